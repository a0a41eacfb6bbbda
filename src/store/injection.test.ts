/**
 * Injection strings through every text column of every table, on every engine: stored and returned
 * verbatim, usable as filter values, never executed.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { storedColumns, TABLE_NAMES, TABLES, type TableName } from "../schema/tables.js";
import { testEngines } from "./engine-fixtures.js";
import { ident, sql } from "./sql.js";
import type { Store } from "./store.js";

const NASTY = [
  "O'Brien",
  "back\\slash\\",
  "'; DROP TABLE contacts; --",
  '"; DROP TABLE "customers"; --',
  "nul\u0000byte",
  "tab\tnew\nline",
  "😀 ﷽ é\u0301",
  "\\'; SELECT 1; --",
  "{x:UInt32} $1 ?",
];

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** A valid value for a non-text column, so that only the text columns carry the payload. */
function filler(table: TableName, column: string, type: string, i: number): string {
  if (type === "timestamp") return `2025-05-0${1 + (i % 9)}T10:00:00Z`;
  if (type === "date") return `2025-05-0${1 + (i % 9)}`;
  if (type === "number" || type === "integer") return table === "feedback" ? "3" : "1";
  if (type === "boolean") return "false";
  const spec = TABLES[table].columns.find((c) => c.name === column);
  if (spec?.values) return spec.values[0] as string;
  if (column === "colour") return "#aabbcc";
  if (column === "language") return "nl";
  return "x";
}

const engines = await testEngines();

describe.each(engines)("injection strings on $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    const dir = await tempDir();
    for (const t of TABLE_NAMES) {
      const cols = TABLES[t].columns;
      const lines = [cols.map((c) => c.name).join(",")];
      NASTY.forEach((s, i) => {
        lines.push(
          cols
            .map((c) => {
              const isText = c.type === "string" && !c.pattern;
              // Keys get a prefix per row so the rows stay distinct.
              return q(
                isText ? (TABLES[t].key.includes(c.name) ? `${i}:${s}` : s) : filler(t, c.name, c.type, i),
              );
            })
            .join(","),
        );
      });
      await writeFile(join(dir, `${t}.csv`), `${lines.join("\n")}\n`);
    }
    const r = await ingestFiles(store, [dir], {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dir, "r.csv"),
    });
    for (const f of r.files) expect(f, f.table).toMatchObject({ rejected: 0 });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `stores, returns and filters every text column verbatim${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      for (const t of TABLE_NAMES) {
        const textCols = storedColumns(TABLES[t]).filter(
          (c) => c.type === "string" && !c.pattern && c.name !== "attributes",
        );
        for (const c of textCols) {
          const isKey = TABLES[t].key.includes(c.name);
          const values = (await s.query<{ v: string }>(sql`SELECT ${ident(c.name)} AS v FROM ${ident(t)}`))
            .map((r) => r.v)
            .sort();
          const want = NASTY.map((x, i) => (isKey ? `${i}:${x}` : x));
          if (t !== "reasons") expect(values, `${t}.${c.name}`).toEqual([...want].sort());
          for (const v of want) {
            const n = await s.query<{ n: number }>(
              sql`SELECT ${s.dialect.count()} AS n FROM ${ident(t)} WHERE ${ident(c.name)} = ${v}`,
            );
            expect(n[0]?.n, `${t}.${c.name} = ${JSON.stringify(v)}`).toBeGreaterThanOrEqual(1);
          }
        }
      }
      expect((await s.tableCounts()).contacts).toBe(NASTY.length);
    },
  );
});
