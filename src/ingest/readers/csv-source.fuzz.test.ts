/**
 * Seeded fuzzing of the CSV reader. Random tables written as correct RFC 4180 CSV read back exactly;
 * bad bytes cost only their own rows; random bytes and cut-off files never crash the reader.
 * KEI_FUZZ_RUNS=5000 npx vitest run src/ingest/readers/csv-source.fuzz.test.ts runs more cases;
 * KEI_FUZZ_SEED=7 other ones (the seed is 42 unless set).
 */
import { basename } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvSource } from "./csv-source.js";
import { readAll, tempFile } from "./csv-test-files.js";
import type { SourceRecord } from "./record-source.js";

const RUNS = {
  seed: Number(process.env.KEI_FUZZ_SEED ?? 42),
  numRuns: Number(process.env.KEI_FUZZ_RUNS ?? 200),
};
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const SPECIAL = ['"', '""', ",", ";", "\t", "\r", "\n", "\r\n", " ", "é", "😀", "\uFFFD", "\uFEFF", "'", "="];
const cell = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
      { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }) },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }) },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(""))
  .filter((s) => !LONE_SURROGATE.test(s));

const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    header: fc.uniqueArray(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/), {
      minLength: width,
      maxLength: width,
    }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 12 }),
    delimiter: fc.constantFrom(",", ";", "\t"),
    sniff: fc.boolean(),
    eol: fc.constantFrom("\n", "\r\n", "\r"),
    finalEol: fc.boolean(),
    bom: fc.boolean(),
    quoteAll: fc.boolean(),
    chunk: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(1 << 20)),
  }),
);
type Table = typeof table extends fc.Arbitrary<infer T> ? T : never;

/** RFC 4180 with a single empty cell quoted (a blank line is no row). */
function quoteCell(t: Table, s: string, alone: boolean): string {
  const needs = t.quoteAll || /["\r\n,;\t]/.test(s) || (alone && s === "");
  return needs ? `"${s.replaceAll('"', '""')}"` : s;
}
function csvLines(t: Table): string[] {
  return [t.header, ...t.rows].map((r) => r.map((c) => quoteCell(t, c, r.length === 1)).join(t.delimiter));
}
const joinLines = (t: Table, lines: string[]) =>
  (t.bom ? "\uFEFF" : "") + lines.join(t.eol) + (t.finalEol && lines.length > 0 ? t.eol : "");
const source = (t: Table, file: string) =>
  new CsvSource(file, { highWaterMark: t.chunk, ...(t.sniff ? {} : { delimiter: t.delimiter }) });
const expected = (t: Table, row: readonly string[]) =>
  Object.fromEntries(t.header.map((h, i) => [h, row[i]]));

/** What must hold for any file: no crash but a file-level error naming it; rows 1..n; no marker leaks. */
async function readAnything(file: string, chunk: number): Promise<SourceRecord[] | undefined> {
  let records: SourceRecord[];
  try {
    records = await readAll(new CsvSource(file, { highWaterMark: chunk }));
  } catch (e) {
    expect((e as Error).message.startsWith(`${basename(file)}: `)).toBe(true);
    return undefined;
  }
  expect(records.map((r) => r.row)).toEqual(records.map((_, i) => i + 1));
  for (const r of records) {
    const text = JSON.stringify(r);
    expect(LONE_SURROGATE.test(text.replace(/\\u[0-9a-f]{4}/gi, ""))).toBe(false);
    if (!r.error) expect(LONE_SURROGATE.test(Object.values(r.values).join(""))).toBe(false);
  }
  return records;
}

describe("CSV reader fuzzing", () => {
  it("random tables written as RFC 4180 CSV read back exactly", async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const file = await tempFile(Buffer.from(joinLines(t, csvLines(t)), "utf8"));
        const records = await readAll(source(t, file));
        expect(records).toEqual(
          t.rows.map((row, i) => ({ row: i + 1, values: expected(t, row), raw: expect.any(String) })),
        );
      }),
      RUNS,
    );
  });

  it("a bad byte in a cell rejects that row only, naming its column", async () => {
    const bad = fc.constantFrom(0xff, 0xfe, 0xe9, 0xeb, 0x80, 0xc3, 0xed);
    const withBad = table.chain((t) =>
      fc.tuple(fc.constant(t), fc.array(fc.tuple(fc.nat(), fc.nat(), bad), { maxLength: 4 })),
    );
    await fc.assert(
      fc.asyncProperty(withBad, async ([t, hits]) => {
        const width = t.header.length;
        const marks = new Map<string, number>();
        for (const [r, c, byte] of hits)
          if (t.rows.length > 0) marks.set(`${r % t.rows.length},${c % width}`, byte);
        const lines = csvLines(t).map((line, li) => {
          if (li === 0) return Buffer.from(line, "utf8");
          const cells = t.rows[li - 1]?.map((c, ci) => {
            const byte = marks.get(`${li - 1},${ci}`);
            const text = Buffer.from(quoteCell({ ...t, quoteAll: true }, c, width === 1), "utf8");
            return byte === undefined
              ? text
              : Buffer.concat([text.subarray(0, 1), Buffer.from([byte]), text.subarray(1)]);
          });
          return Buffer.concat(
            (cells ?? []).flatMap((b, i) => (i === 0 ? [b] : [Buffer.from(t.delimiter), b])),
          );
        });
        const eol = Buffer.from(t.eol);
        const file = await tempFile(Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [eol, l]))));
        const records = await readAll(source(t, file));
        expect(records).toHaveLength(t.rows.length);
        records.forEach((rec, i) => {
          const badCols = [...marks.keys()]
            .filter((k) => k.startsWith(`${i},`))
            .map((k) => Number(k.split(",")[1]));
          if (badCols.length === 0) expect(rec.values).toEqual(expected(t, t.rows[i] ?? []));
          else
            expect(rec.error).toMatch(
              new RegExp(
                `^not valid UTF-8 \\(byte 0x[0-9A-F]{2}\\) in column "${t.header[Math.min(...badCols)]}"`,
              ),
            );
        });
      }),
      RUNS,
    );
  });

  it("random bytes never crash the reader", async () => {
    const byte = fc.oneof(
      fc.constantFrom(
        0x22,
        0x2c,
        0x3b,
        0x0d,
        0x0a,
        0x61,
        0xef,
        0xbb,
        0xbf,
        0xc3,
        0xa9,
        0xff,
        0xed,
        0xa0,
        0xf0,
        0x9f,
      ),
      fc.integer({ min: 0, max: 255 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(byte, { maxLength: 200 }),
        fc.integer({ min: 1, max: 16 }),
        async (bytes, chunk) => {
          const data = Uint8Array.from(bytes);
          const records = await readAnything(await tempFile(data), chunk);
          for (const r of records ?? []) {
            if (!r.error) expect(Buffer.from(data).includes(Buffer.from(r.raw ?? "", "utf8"))).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it("a file cut off anywhere reads every row before the cut exactly, and never crashes", async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.nat(), async (t, at) => {
        const lines = csvLines(t);
        const whole = Buffer.from(joinLines(t, lines), "utf8");
        const cut = at % (whole.length + 1);
        const records = await readAnything(await tempFile(whole.subarray(0, cut)), t.chunk);
        // Where each line ends, in bytes: a data row before the cut must be read as written.
        let end = t.bom ? 3 : 0;
        lines.forEach((line, i) => {
          end += Buffer.byteLength(line, "utf8");
          if (i > 0 && end <= cut) {
            expect(records?.[i - 1]).toEqual({ row: i, values: expected(t, t.rows[i - 1] ?? []), raw: line });
          }
          end += t.eol.length;
        });
      }),
      RUNS,
    );
  });
});
