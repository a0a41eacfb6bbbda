/**
 * Ingest fuzzing on every engine (fast-check, seeded): random feedback files, as CSV and NDJSON, with random
 * ids (unicode, quotes, long digit strings, case and space variants), times in and out of kei's range,
 * scores in and out of bounds and random text. For every run, on DuckDB, a ClickHouse node and the cluster:
 * read = stored + rejected + duplicates, exactly the rows a small model of the rules expects are stored, with
 * their values as given (text round-trips), a refused file leaves the store unchanged, and every engine
 * gives the same outcome. KEI_FUZZ_RUNS sets the number of runs on DuckDB (ClickHouse runs a tenth of them).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../store/engine-fixtures.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { ingestFiles } from "./ingest-files.js";
import { tempDir } from "./ingest-fixtures.js";

const engines = await testEngines();
const RUNS = Number(process.env.KEI_FUZZ_RUNS ?? 300);
const FIRST = 86_400;
const LAST = Date.UTC(2105, 11, 31, 23, 59, 59) / 1000;

interface Row {
  id: string;
  customer: string;
  ts: number;
  nps: number | null | string;
  text: string;
}

const idPart = fc.oneof(
  fc.constantFrom(
    "K1",
    "k1",
    " K1",
    "007",
    "7",
    "98765432109876543210",
    "98765432109876543211",
    "Zoë",
    "a,b",
    'q"t',
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
);
const row: fc.Arbitrary<Row> = fc.record({
  id: idPart,
  customer: fc.oneof(fc.constant(""), fc.string({ unit: "grapheme", maxLength: 5 })),
  ts: fc.oneof(
    fc.integer({ min: 1_500_000_000, max: 1_800_000_000 }),
    fc.constantFrom(FIRST, LAST, FIRST - 1, LAST + 1, -1),
  ),
  nps: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 12 }), fc.constantFrom("7,0", "x")),
  text: fc.string({ unit: "grapheme", maxLength: 40 }),
});

const iso = (t: number) => new Date(t * 1000).toISOString().replace(".000", "");
const csvCell = (s: string) => `"${s.replaceAll('"', '""')}"`;

function write(rows: Row[], format: "csv" | "ndjson", prefix: string, refuse: boolean): string {
  const cols = refuse ? ["feedback_id", "customer_id", "source", "nps", "text"] : undefined;
  if (format === "csv") {
    const header = (cols ?? ["feedback_id", "customer_id", "ts", "source", "nps", "text"]).join(",");
    const lines = rows.map((r) =>
      [
        csvCell(prefix + r.id),
        csvCell(r.customer),
        ...(refuse ? [] : [iso(r.ts)]),
        "survey",
        r.nps === null ? "" : csvCell(String(r.nps)),
        csvCell(r.text),
      ].join(","),
    );
    return `${[header, ...lines].join("\r\n")}\r\n`;
  }
  return rows
    .map((r) =>
      // An id of digits only goes as a JSON number, however long: it must keep every digit.
      JSON.stringify({
        feedback_id: prefix + r.id,
        customer_id: r.customer,
        ...(refuse ? {} : { ts: iso(r.ts) }),
        source: "survey",
        nps: r.nps,
        text: r.text,
      }).replace(/^\{"feedback_id":"(\d+)"/, '{"feedback_id":$1'),
    )
    .join("\n");
}

/** What kei's rules say happens to each row: stored (first valid occurrence of a trimmed id) or not. */
function model(rows: Row[], prefix: string) {
  const seen = new Set<string>();
  const stored: {
    feedback_id: string;
    customer_id: string | null;
    ts: number;
    nps: number | null;
    text: string | null;
  }[] = [];
  let rejected = 0;
  for (const r of rows) {
    const id = (prefix + r.id).trim();
    const npsOk =
      r.nps === null || (typeof r.nps === "number" && r.nps >= 0 && r.nps <= 10) || r.nps === "7,0";
    if (r.ts < FIRST || r.ts > LAST || !npsOk) {
      rejected++;
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    stored.push({
      feedback_id: id,
      customer_id: r.customer.trim() || null,
      ts: r.ts,
      nps: r.nps === null ? null : r.nps === "7,0" ? 7 : Number(r.nps),
      text: r.text.trim() || null,
    });
  }
  stored.sort((a, b) => (a.feedback_id < b.feedback_id ? -1 : a.feedback_id > b.feedback_id ? 1 : 0));
  return { stored, rejected, duplicates: rows.length - rejected - stored.length };
}

const outcomes = new Map<string, unknown[]>();

describe.each(engines)("ingest fuzz on $name", (engine) => {
  let store: Store | undefined;
  let dir = "";
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    dir = await tempDir("kei-fuzz-");
  });
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `stores exactly what the rules say, as given, and refuses whole files cleanly${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      const seen: unknown[] = [];
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { maxLength: 25 }),
          fc.constantFrom("csv", "ndjson" as const),
          fc.boolean(),
          async (rows, format, refuseAsked) => {
            run++;
            // A file without a ts column is refused whole; an empty NDJSON file has no columns to refuse.
            const refuse = refuseAsked && rows.length > 0;
            // Digits, fixed width and no leading zero: an id of digits stays a valid JSON number.
            const prefix = `1${String(run).padStart(5, "0")}`;
            const file = join(dir, `r${run}`, `feedback.${format}`);
            await mkdir(join(dir, `r${run}`), { recursive: true });
            await writeFile(file, write(rows, format, prefix, refuse));
            const before = await s.tableCounts();
            const options = { timeZone: "UTC", rejectsPath: join(dir, `r${run}`, "rejects.csv") };
            if (refuse) {
              await expect(ingestFiles(s, [file], options)).rejects.toThrow(/missing required column ts/);
              expect(await s.tableCounts()).toEqual(before);
              seen.push("refused");
              return;
            }
            const report = await ingestFiles(s, [file], options);
            const f = report.files[0];
            const want = model(rows, prefix);
            expect(f).toMatchObject({
              read: rows.length,
              stored: want.stored.length,
              rejected: want.rejected,
              duplicates: want.duplicates,
            });
            const d = s.dialect;
            const got = await s.query(
              sql`SELECT feedback_id, customer_id, ${d.epochSeconds(sql`ts`)} AS ts, nps, text FROM feedback
                  WHERE ${d.startsWith(sql`feedback_id`, sql`${prefix}`)}`,
            );
            const sorted = got.sort((a, b) =>
              String(a.feedback_id) < String(b.feedback_id)
                ? -1
                : String(a.feedback_id) > String(b.feedback_id)
                  ? 1
                  : 0,
            );
            expect(sorted).toEqual(want.stored);
            seen.push([f?.stored, f?.rejected, f?.duplicates]);
          },
        ),
        { seed: 42, numRuns: engine.name === "duckdb" ? RUNS : Math.max(10, Math.round(RUNS / 10)) },
      );
      outcomes.set(engine.name, seen);
    },
    600_000,
  );
});

it("every engine has the same outcome run by run", () => {
  const ref = outcomes.get("duckdb");
  for (const [name, seen] of outcomes) {
    if (name === "duckdb" || !ref) continue;
    expect(seen, name).toEqual(ref.slice(0, seen.length));
  }
});
