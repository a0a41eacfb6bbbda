/**
 * Seeded fuzz tests for the NDJSON reader. Random objects (odd keys such as __proto__, unicode, empty;
 * strings with quotes, newlines, emoji; big integers as digits; nested values) written as NDJSON read
 * back exactly, numbered 1..n. Random bytes never make the reader throw, and every non-blank line comes
 * out as a record (values or an error). KEI_FUZZ_RUNS sets the number of runs.
 */
import { isUtf8 } from "node:buffer";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../ingest-fixtures.js";
import { NdjsonSource } from "./ndjson-source.js";
import type { SourceRecord } from "./record-source.js";

const RUNS = { seed: 42, numRuns: Number(process.env.KEI_FUZZ_RUNS ?? 200) };

/** A JSON value as text, and what the reader should hand on for it. */
interface Cell {
  readonly json: string;
  readonly expected: string | number | boolean | null;
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.constantFrom("", " ", '"', "\\", "\n", "\r\n", "a,b", "\u2028", "\uFEFF", "😀", "12345678901234567890"),
);
const key = fc.oneof(text, fc.constantFrom("__proto__", "constructor", "toString", "", "é", "0", "10"));
const nestedKey = key.filter((k) => !/^(0|[1-9]\d*)$/.test(k)); // JS would reorder index-like keys
const bigDigits = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String);

const nested: fc.Arbitrary<string> = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text.map((s) => JSON.stringify(s)),
    bigDigits,
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.constantFrom("true", "false", "null"),
    fc.array(tie("json"), { maxLength: 3 }).map((a) => `[${a.join(",")}]`),
    fc
      .uniqueArray(fc.tuple(nestedKey, tie("json")), { maxLength: 3, selector: ([k]) => k })
      .map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).json;

const cell: fc.Arbitrary<Cell> = fc.oneof(
  text.map((s) => ({ json: JSON.stringify(s), expected: s })),
  bigDigits.map((d) => ({ json: d, expected: Number.isSafeInteger(Number(d)) ? Number(d) : d })),
  fc.integer().map((n) => ({ json: String(n), expected: n })),
  fc.boolean().map((b) => ({ json: String(b), expected: b })),
  fc.constant({ json: "null", expected: null }),
  // Nested values come back as JSON text written the way JSON.stringify writes it, big digits kept.
  nested.filter((j) => j.startsWith("[") || j.startsWith("{")).map((j) => ({ json: j, expected: j })),
);

const line = fc.uniqueArray(fc.tuple(key, cell), { maxLength: 6, selector: ([k]) => k });

async function readAll(path: string, highWaterMark: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const b of new NdjsonSource(path, highWaterMark).batches(7)) out.push(...b);
  return out;
}

const sorted = (entries: [string, unknown][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe("NdjsonSource (fuzz)", () => {
  it("random objects round-trip exactly", async () => {
    const dir = await tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, fc.boolean(), fc.boolean()), { maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        async (lines, hwm) => {
          const path = join(dir, `f${n++}.ndjson`);
          const body = lines.map(([cells, blank, crlf]) => {
            const obj = `{${cells.map(([k, c]) => `${JSON.stringify(k)}: ${c.json}`).join(", ")}}`;
            return `${blank ? "  \n" : ""}${obj}${crlf ? "\r" : ""}`;
          });
          await writeFile(path, body.join("\n"));
          const recs = await readAll(path, hwm);
          expect(recs.map((r) => r.row)).toEqual(lines.map((_, i) => i + 1));
          recs.forEach((r, i) => {
            const cells = lines[i]?.[0] ?? [];
            expect(r.error).toBeUndefined();
            expect(sorted(Object.entries(r.values))).toEqual(sorted(cells.map(([k, c]) => [k, c.expected])));
          });
        },
      ),
      RUNS,
    );
  });

  const fragment = fc.oneof(
    fc.uint8Array({ maxLength: 8 }),
    fc
      .constantFrom(
        '{"a":',
        "}",
        '"',
        "\\",
        "\n",
        "\r\n",
        "[",
        "]",
        "1234567890123456789",
        "\\ud800",
        " ",
        "é",
        "\uFEFF",
      )
      .map((s) => Buffer.from(s)),
    fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]).map((b) => Buffer.from(b)),
  );

  it("random bytes: never throws, every non-blank line is a record", async () => {
    const dir = await tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fragment, { maxLength: 40 }),
        fc.integer({ min: 1, max: 16 }),
        async (fs, hwm) => {
          const bytes = Buffer.concat(fs);
          const path = join(dir, `g${n++}.ndjson`);
          await writeFile(path, bytes);
          const recs = await readAll(path, hwm);
          let expected = 0;
          let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
          while (start <= bytes.length) {
            const nl = bytes.indexOf(0x0a, start);
            const end = nl < 0 ? bytes.length : nl;
            const l = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
            if (!isUtf8(l) || l.toString("utf8").trim() !== "") expected++;
            start = end + 1;
          }
          expect(recs.map((r) => r.row)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
          for (const r of recs) {
            if (r.error) continue;
            for (const v of Object.values(r.values)) {
              if (typeof v === "string")
                expect((v as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
            }
          }
        },
      ),
      RUNS,
    );
  });
});
