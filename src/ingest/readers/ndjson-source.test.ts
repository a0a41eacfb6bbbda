import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DuckDBStore } from "../../store/duckdb/duckdb-store.js";
import { sql } from "../../store/sql.js";
import type { Store } from "../../store/store.js";
import { ingestFiles } from "../ingest-files.js";
import { tempDir } from "../ingest-fixtures.js";
import { NdjsonSource } from "./ndjson-source.js";
import type { SourceRecord } from "./record-source.js";

async function file(content: string | Buffer, name = "reasons.ndjson"): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, content);
  return path;
}

async function readAll(path: string, highWaterMark?: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const b of new NdjsonSource(path, highWaterMark).batches(2)) out.push(...b);
  return out;
}

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function ingest(path: string) {
  const dir = await tempDir();
  const store = await DuckDBStore.open(join(dir, "kei.duckdb"));
  open.push(store);
  await store.ensureSchema();
  const opts = { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "rejects.csv") };
  const messages: string[] = [];
  const report = await ingestFiles(store, [path], { ...opts, onReject: (m) => messages.push(m) });
  const stored = await store.query<{ reason: string }>(sql`SELECT reason FROM reasons ORDER BY reason`);
  return { file: report.files[0], messages, stored: stored.map((r) => r.reason) };
}

describe("NdjsonSource", () => {
  it("keeps numbers a JS number cannot hold as their exact digits", async () => {
    const p = await file(
      [
        '{"id": 98765432109876543210, "n": 1.5, "big": -9007199254740993, "safe": 9007199254740991}',
        '{"id": 98765432109876543211, "d": 0.12345678901234567, "e": 12345678.123456789, "f": 1e400}',
        '{"id": "98765432109876543210", "x": {"y": [98765432109876543212, 1.0, "\\u00e9"]}}',
        '{"id": 1e400, "tiny": -1e-400, "ok": 1.5e300, "e": 2E+2}',
      ].join("\n"),
    );
    const [a, b, c, d] = await readAll(p);
    expect({ ...a?.values }).toEqual({
      id: "98765432109876543210",
      n: 1.5,
      big: "-9007199254740993",
      safe: 9007199254740991,
    });
    expect({ ...b?.values }).toEqual({
      id: "98765432109876543211",
      d: "0.12345678901234567",
      e: "12345678.123456789",
      f: "1e400",
    });
    expect(c?.values.x).toBe('{"y":[98765432109876543212,1,"é"]}');
    expect({ ...d?.values }).toEqual({ id: "1e400", tiny: "-1e-400", ok: 1.5e300, e: 200 });
  });

  it("big integer ids stay distinct through ingestion", async () => {
    const p = await file('{"reason": 98765432109876543210}\n{"reason": 98765432109876543211}\n');
    const r = await ingest(p);
    expect(r.file).toMatchObject({ read: 2, stored: 2, duplicates: 0, rejected: 0 });
    expect(r.stored).toEqual(["98765432109876543210", "98765432109876543211"]);
  });

  it("columns are the union of all lines' keys; a missing key is a missing value", async () => {
    const p = await file(
      '{"label_nl": "a"}\n\n{"reason": "r2", "label_en": "B"}\n{"reason": "r3", "x": 1}\n',
    );
    expect(await new NdjsonSource(p).columns()).toEqual(["label_nl", "reason", "label_en", "x"]);
    const r = await ingest(p);
    expect(r.file).toMatchObject({ read: 3, stored: 2, rejected: 1 });
    expect(r.messages).toEqual(["reasons.ndjson row 1, column reason: missing required value"]);
  });

  it("rejects a line that is not valid UTF-8 instead of replacing its bytes", async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFF{"reason": "ok"}\r\n{"reason": "encX'),
      Buffer.from([0xff]),
      Buffer.from('1"}\r\n{"reason": "encX'),
      Buffer.from([0xfe]),
      Buffer.from('1"}\r\n{"reason": "caf\u00e9"}'),
    ]);
    const p = await file(bytes);
    const recs = await readAll(p, 7);
    expect(recs.map((r) => [r.row, r.error ?? r.values.reason])).toEqual([
      [1, "ok"],
      [2, "not valid UTF-8 (byte 0xFF); the file may be latin-1 or windows-1252"],
      [3, "not valid UTF-8 (byte 0xFE); the file may be latin-1 or windows-1252"],
      [4, "caf\u00e9"],
    ]);
    const r = await ingest(p);
    expect(r.file).toMatchObject({ read: 4, stored: 2, rejected: 2, duplicates: 0 });
  });

  it("rejects deep nesting and keeps reading", async () => {
    const p = await file(
      [
        `{"reason": "r1", "a": ${deep(10_000)}}`,
        `{"reason": "r2", "a": ${deep(63)}}`,
        `{"reason": "r3", "a": ${deep(64)}}`,
        `{"reason": "r4", "a": "${"[".repeat(100)}"}`,
        `{"reason": "r5", "a": ${deep(63)}, "big": 12345678901234567890}`,
      ].join("\n"),
    );
    const recs = await readAll(p);
    expect(recs.map((r) => r.error ?? r.values.reason)).toEqual([
      "nesting deeper than 64 levels",
      "r2",
      "nesting deeper than 64 levels",
      "r4",
      "r5",
    ]);
    expect(recs[4]?.values.a).toBe(deep(63));
    const r = await ingest(p);
    expect(r.file).toMatchObject({ read: 5, stored: 3, rejected: 2 });
  });

  it("rejects strings and keys that are not well-formed Unicode, naming the column", async () => {
    const p = await file(
      [
        '{"reason": "a\\ud800"}',
        '{"reason": "\\ud83d\\ude00", "label_nl": "\\udc00x"}',
        '{"\\ud800": 1}',
      ].join("\n"),
    );
    expect((await readAll(p)).map((r) => r.error)).toEqual([
      "column reason: not valid Unicode (lone surrogate)",
      "column label_nl: not valid Unicode (lone surrogate)",
      'column name "\\ud800": not valid Unicode (lone surrogate)',
    ]);
  });

  it("treats __proto__ and constructor as ordinary columns", async () => {
    const p = await file('{"__proto__": "x", "constructor": "y", "n": {"__proto__": 1}}\n');
    const [rec] = await readAll(p);
    expect("toString" in (rec?.values ?? {})).toBe(false);
    expect(Object.entries(rec?.values ?? {})).toEqual([
      ["__proto__", "x"],
      ["constructor", "y"],
      ["n", '{"__proto__":1}'],
    ]);
    expect(await new NdjsonSource(p).columns()).toEqual(["__proto__", "constructor", "n"]);
  });

  it("counts only non-blank lines and reads lines split across chunks", async () => {
    const text = '\n{"a": "\u00e9\u00e9\u{1F600}"}\r\n   \n{"a": 1}\n[1]\n{"a":\n';
    const recs = await readAll(await file(text), 3);
    expect(recs.map((r) => [r.row, r.error?.slice(0, 12) ?? r.values.a])).toEqual([
      [1, "\u00e9\u00e9\u{1F600}"],
      [2, 1],
      [3, "invalid JSON"],
      [4, "invalid JSON"],
    ]);
  });
});
