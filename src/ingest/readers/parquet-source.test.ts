import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { afterEach, describe, expect, it } from "vitest";
import { DuckDBStore } from "../../store/duckdb/duckdb-store.js";
import { sql } from "../../store/sql.js";
import type { Store } from "../../store/store.js";
import { ingestFiles } from "../ingest-files.js";
import { tempDir } from "../ingest-fixtures.js";
import { writeParquet } from "./parquet-fixtures.js";
import { ParquetSource } from "./parquet-source.js";
import type { SourceRecord } from "./record-source.js";

async function readAll(path: string): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const b of new ParquetSource(path).batches(2)) out.push(...b);
  return out;
}

const valuesOf = async (path: string) => (await readAll(path)).map((r) => r.error ?? { ...r.values });

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe("ParquetSource", () => {
  it("reads DECIMAL exactly: a number when a double holds it, else its digits", async () => {
    const p = await writeParquet(`SELECT * FROM (VALUES
      ('99999999999999999999999999999999999999'::DECIMAL(38,0), '12345678901234567890.123456789012345678'::DECIMAL(38,18),
       0.3::DECIMAL(4,1), '-123456789012.345678'::DECIMAL(18,6), 1234567.89::DECIMAL(9,2), 1.5::DECIMAL(20,2)),
      ('99999999999999999999999999999999999998'::DECIMAL(38,0), NULL, -0.1::DECIMAL(4,1), 0::DECIMAL(18,6), NULL, -7::DECIMAL(20,2))
    ) t(id, d38, d4, d18, d9, d20)`);
    expect(await valuesOf(p)).toEqual([
      {
        id: "99999999999999999999999999999999999999",
        d38: "12345678901234567890.123456789012345678",
        d4: 0.3,
        d18: "-123456789012.345678",
        d9: 1234567.89,
        d20: 1.5,
      },
      { id: "99999999999999999999999999999999999998", d38: null, d4: -0.1, d18: 0, d9: null, d20: -7 },
    ]);
  });

  it("documents that DuckDB writes HUGEINT as DOUBLE: the file itself has lost the digits", async () => {
    const p = await writeParquet(
      "SELECT * FROM (VALUES ('170141183460469231731687303715884105727'::HUGEINT), ('170141183460469231731687303715884105726'::HUGEINT)) t(h)",
    );
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(p));
    expect(meta.schema[1]).toMatchObject({ name: "h", type: "DOUBLE" });
    expect(await valuesOf(p)).toEqual([{ h: 1.7014118346046923e38 }, { h: 1.7014118346046923e38 }]);
  });

  it("reads INTERVAL as an ISO 8601 duration and TIME as a time of day, also when nested", async () => {
    const p =
      await writeParquet(`SELECT INTERVAL '1 year 2 months 3 days 04:05:06.789' AS iv, INTERVAL '0 days' AS zero,
      [INTERVAL '1 day', INTERVAL '2 hours'] AS ivs, TIME '12:34:56.789' AS t, TIME '00:00:00' AS midnight`);
    expect(await valuesOf(p)).toEqual([
      {
        iv: "P1Y2M3DT4H5M6.789S",
        zero: "PT0S",
        ivs: '["P1D","PT2H"]',
        t: "12:34:56.789",
        midnight: "00:00:00",
      },
    ]);
  });

  it("an INTERVAL column does not stop ingestion", async () => {
    const dir = await tempDir();
    await writeParquet("SELECT 'r1' AS reason, INTERVAL '3 days' AS label_nl", {
      dir,
      name: "reasons.parquet",
    });
    const store = await DuckDBStore.open(join(dir, "kei.duckdb"));
    open.push(store);
    await store.ensureSchema();
    const report = await ingestFiles(store, [join(dir, "reasons.parquet")], {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dir, "rejects.csv"),
    });
    expect(report.files[0]).toMatchObject({ read: 1, stored: 1 });
    expect(await store.query(sql`SELECT reason, label_nl FROM reasons`)).toEqual([
      { reason: "r1", label_nl: "P3D" },
    ]);
  });

  it("treats __proto__ and constructor as ordinary columns", async () => {
    const p = await writeParquet(`SELECT 'x' AS "__proto__", 'y' AS "constructor", 1 AS "toString"`);
    expect(await new ParquetSource(p).columns()).toEqual(["__proto__", "constructor", "toString"]);
    const [rec] = await readAll(p);
    expect("hasOwnProperty" in (rec?.values ?? {})).toBe(false);
    expect(Object.entries(rec?.values ?? {})).toEqual([
      ["__proto__", "x"],
      ["constructor", "y"],
      ["toString", 1],
    ]);
    expect(rec?.raw).toBe('{"__proto__":"x","constructor":"y","toString":1}');
  });

  it("rejects bytes that are not valid UTF-8, naming the column", async () => {
    const p = await writeParquet(
      `SELECT * FROM (VALUES (1, '\\xFF'::BLOB), (2, 'abc'::BLOB), (3, '\\xEF\\xBB\\xBFx'::BLOB)) t(n, b)`,
    );
    const recs = await readAll(p);
    expect(recs.map((r) => [r.row, r.error ?? { ...r.values }])).toEqual([
      [1, "column b: not valid UTF-8 (byte 0xFF)"],
      [2, { n: 2, b: "abc" }],
      [3, { n: 3, b: "\uFEFFx" }],
    ]);
    expect(recs[0]?.raw).toBe('{"n":1,"b":"\uFFFD"}');
  });

  it("lists only top-level columns and writes nested values as JSON with exact leaves", async () => {
    const p =
      await writeParquet(`SELECT {'a': 1.5::DECIMAL(4,1), 'b': [1, 2], 'c': '99999999999999999999999999999999999999'::DECIMAL(38,0)} AS s,
      MAP {'k': 'v'} AS m, [[1], [2, 3]] AS l, 9007199254740993::BIGINT AS big,
      ['NaN'::DOUBLE, 1.5] AS d`);
    expect(await new ParquetSource(p).columns()).toEqual(["s", "m", "l", "big", "d"]);
    expect(await valuesOf(p)).toEqual([
      {
        s: '{"a":1.5,"b":[1,2],"c":"99999999999999999999999999999999999999"}',
        m: '{"k":"v"}',
        l: "[[1],[2,3]]",
        big: "9007199254740993",
        d: '["NaN",1.5]',
      },
    ]);
  });

  it("a timestamp beyond what a Date holds is handed on as an invalid Date, not a crash", async () => {
    const p = await writeParquet(
      "SELECT TIMESTAMP '290000-01-01 00:00:00' AS ts, TIMESTAMP '2025-03-01 09:30:00' AS ok",
    );
    const [rec] = await readAll(p);
    const ts = rec?.values.ts;
    expect(ts instanceof Date && Number.isNaN(ts.getTime())).toBe(true);
    expect(rec?.values.ok).toBe("2025-03-01T09:30:00");
  });

  it("numbers rows across row groups and batches", async () => {
    const p = await writeParquet("SELECT i AS id, 'v' || i AS t FROM range(5000) r(i)", {
      rowGroupSize: 2048,
    });
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(p));
    expect(meta.row_groups.length).toBeGreaterThan(1);
    const sizes: number[] = [];
    const rows: number[] = [];
    for await (const b of new ParquetSource(p).batches(1000)) {
      sizes.push(b.length);
      for (const r of b) {
        rows.push(r.row);
        if (r.values.id !== r.row - 1 || r.values.t !== `v${r.row - 1}`) expect.fail(`row ${r.row}`);
      }
    }
    expect(rows).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
  });

  it("an error while decoding names the file and the rows", async () => {
    const p = await writeParquet("SELECT i AS id, 'text number ' || i AS t FROM range(10000) r(i)");
    const bytes = await readFile(p);
    for (let i = 200; i < 3000; i += 7) bytes[i] = 0xff ^ (bytes[i] as number);
    await writeFile(p, bytes);
    await expect(readAll(p)).rejects.toThrow(`${p}: cannot read rows 1-10000 (`);
  });
});
