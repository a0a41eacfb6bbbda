/**
 * Seeded fuzz test for the Parquet reader: random small tables (VARCHAR, BIGINT with its extremes,
 * DOUBLE, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, DECIMAL(38,9), NULLs; odd column names such as
 * __proto__) written by DuckDB read back equal, rows numbered 1..n. KEI_FUZZ_RUNS sets the number of runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalText } from "./exact-number.js";
import { sqlString, writeParquet } from "./parquet-fixtures.js";
import { ParquetSource } from "./parquet-source.js";

const RUNS = { seed: 42, numRuns: Number(process.env.KEI_FUZZ_RUNS ?? 30) };

/** One column: its SQL type, a value as SQL, and a check of what the reader gave for it. */
interface Cell {
  readonly sql: string;
  readonly check: (v: unknown) => boolean;
}
type Column = { readonly type: string; readonly cell: fc.Arbitrary<Cell> };

const MIN_MS = Date.UTC(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const iso = (ms: number) => new Date(ms).toISOString();

const COLUMNS: readonly Column[] = [
  {
    type: "VARCHAR",
    cell: fc
      .oneof(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "grapheme" }),
        fc.constantFrom("", "'", "\n", "\uFEFFx"),
      )
      .map((s) => s.replaceAll("\0", ""))
      .map((s) => ({ sql: sqlString(s), check: (v) => v === s })),
  },
  {
    type: "BIGINT",
    cell: fc
      .oneof(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n),
      )
      .map((b) => ({
        sql: `'${b}'`,
        check: (v) => (Number.isSafeInteger(Number(b)) ? v === Number(b) : v === b.toString()),
      })),
  },
  {
    type: "DOUBLE",
    cell: fc.double().map((d) => ({
      sql: `'${Number.isNaN(d) ? "NaN" : Object.is(d, -0) ? "-0.0" : String(d)}'`,
      check: (v) => Object.is(v, d),
    })),
  },
  { type: "BOOLEAN", cell: fc.boolean().map((b) => ({ sql: String(b), check: (v) => v === b })) },
  {
    type: "DATE",
    cell: fc.integer({ min: MIN_MS / 86400000, max: Math.floor(MAX_MS / 86400000) }).map((days) => ({
      sql: `'${iso(days * 86400000).slice(0, 10)}'`,
      check: (v) => v instanceof Date && v.getTime() === days * 86400000,
    })),
  },
  {
    type: "TIMESTAMP",
    cell: fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => ({
      sql: `'${iso(ms).slice(0, 23).replace("T", " ")}'`,
      check: (v) => v === iso(ms).slice(0, 19),
    })),
  },
  {
    type: "TIMESTAMPTZ",
    cell: fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => ({
      sql: `'${iso(ms)}'`,
      check: (v) => v instanceof Date && v.getTime() === ms,
    })),
  },
  {
    type: "DECIMAL(38,9)",
    cell: fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }).map((u) => {
      const text = decimalText(u, 9);
      return { sql: `'${text}'`, check: (v) => (typeof v === "string" ? v === text : v === Number(text)) };
    }),
  },
];

const NAMES = ["__proto__", "constructor", "é", "a b", "😀", "Ω", "toString", "x", "hasOwnProperty"];
const nullable = (c: fc.Arbitrary<Cell>) =>
  fc.option(c, { freq: 5 }).map((x) => x ?? { sql: "NULL", check: (v: unknown) => v === null });

const table = fc
  .shuffledSubarray(NAMES, { minLength: COLUMNS.length, maxLength: COLUMNS.length })
  .chain((names) =>
    fc.record({
      names: fc.constant(names),
      rows: fc.array(fc.tuple(...COLUMNS.map((c) => nullable(c.cell))), { minLength: 1, maxLength: 12 }),
      batch: fc.integer({ min: 1, max: 5 }),
    }),
  );

describe("ParquetSource (fuzz)", () => {
  it("random tables written by DuckDB read back equal", async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ names, rows, batch }) => {
        const quoted = names.map((n) => `"${n}"`);
        const values = rows.map(
          (cells) => `(${cells.map((c, i) => `CAST(${c.sql} AS ${COLUMNS[i]?.type})`).join(", ")})`,
        );
        const path = await writeParquet(
          `SELECT * FROM (VALUES ${values.join(", ")}) t(${quoted.join(", ")})`,
        );
        const source = new ParquetSource(path);
        expect(await source.columns()).toEqual(names);
        const got = [];
        for await (const b of source.batches(batch)) got.push(...b);
        expect(got.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
        got.forEach((r, i) => {
          expect(r.error).toBeUndefined();
          expect(Object.keys(r.values)).toEqual(names);
          names.forEach((n, k) => {
            const ok = rows[i]?.[k]?.check(r.values[n]) ?? false;
            if (!ok)
              expect.fail(
                `row ${i + 1} ${COLUMNS[k]?.type} ${n}: ${rows[i]?.[k]?.sql} read as ${String(r.values[n])}`,
              );
          });
        });
      }),
      RUNS,
    );
  });
});
