/**
 * The dedupe of an ingest run on ClickHouse, in bounded memory. Keeping the first occurrence of each key
 * (by file, then row) and dropping keys already stored needs, in one statement, a sort of every staged row
 * and sets of every key: for the 40 million web events of the 1,000,000-customer demo more than the
 * server's per-query limit (`max_memory_usage`, 3.7 GiB on kei's test servers). So the run's keys are
 * split into buckets by a hash of the key, and each bucket is one `INSERT ... SELECT`; every occurrence of
 * a key falls in the same bucket, so deduping bucket by bucket keeps exactly the rows one statement would.
 *
 * - The raw stage holds each row's fine bucket `_b` (the top 16 bits of cityHash64 of the key) and is
 *   sorted by it, so a bucket (a range of fine buckets) reads only its own rows through the primary index.
 * - The number of buckets comes from the staged rows and their uncompressed bytes (`DEDUPE_BUCKETS`), so
 *   a bucket's sort and key sets stay well under the limit: 41.5 million staged web events made 21
 *   buckets of about 2 million rows, each peaking at 1.3 GiB on 18.16.
 * - Keys already stored are looked up only among the bucket's own keys (`GLOBAL IN` the bucket's staged
 *   keys), so the set held stays the size of the bucket however large the store is.
 * - `max_bytes_before_external_sort` lets a bucket larger than planned (very long texts, say) sort on disk
 *   rather than fail.
 */
import { storedColumns, TABLES, type TableName } from "../../schema/tables.js";
import { quoteIdentifier as q } from "../sql.js";
import { columnType, keyExpression, keyList } from "./clickhouse-ddl.js";
import type { ClickHouseLayout } from "./clickhouse-layout.js";
import { encodeLiteral } from "./clickhouse-literal.js";

/**
 * Largest bucket the dedupe plans for, in staged rows and in uncompressed bytes of the raw stage; whichever
 * gives more buckets wins. Tests lower them to force several buckets on a small input.
 */
export const DEDUPE_BUCKETS = { rows: 2_000_000, bytes: 512 * 2 ** 20 };

/** Fine buckets in the raw stage (`_b`, a UInt16); a bucket is a contiguous range of them. */
const FINE = 65_536;

/** A bucket sorts on disk past this many bytes instead of failing at the memory limit. */
const EXTERNAL_SORT_BYTES = 1_000_000_000;

/**
 * The fine bucket of a value list: the top 16 bits of its cityHash64. Not the low bits: 18.16's hash sets
 * of strings (the sets of `IN`) place a string by the low bits of the same cityHash64, so a bucket of keys
 * alike in their low bits crowds into a few cells: building the set of a bucket of 2 million keys took 30 to
 * 60 seconds instead of 0.6.
 */
function fineBucket(values: string): string {
  return `toUInt16(bitShiftRight(assumeNotNull(cityHash64(${values})), 48))`;
}

/** Staging of raw parsed rows (first node only): every column Nullable, sorted by fine bucket, file, row. */
export function bucketedRawStageDdl(db: string, name: string, table: TableName): string {
  const cols = storedColumns(TABLES[table]).map((c) => {
    const t = columnType(c);
    return `${q(c.name)} ${t.startsWith("Nullable(") ? t : `Nullable(${t})`}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${q(db)}.${q(name)} ("_file" UInt32, "_row" UInt64, ${cols.join(", ")}, "_b" UInt16 MATERIALIZED ${fineBucket(keyList(table))}) ENGINE = MergeTree() ORDER BY ("_b", "_file", "_row")`;
}

/** How many buckets keep each under `DEDUPE_BUCKETS` (at least 1, at most one per fine bucket). */
export function bucketCount(rows: number, bytes: number): number {
  const n = Math.max(Math.ceil(rows / DEDUPE_BUCKETS.rows), Math.ceil(bytes / DEDUPE_BUCKETS.bytes), 1);
  return Math.min(n, FINE);
}

/** Bucket `i` of `n` as a condition on `column` holding values 0 to `size` - 1 spread evenly. */
function inBucket(column: string, i: number, n: number, size: number): string {
  const lo = Math.floor((i * size) / n);
  const hi = Math.floor(((i + 1) * size) / n);
  return `${column} >= ${lo} AND ${column} < ${hi}`;
}

/**
 * Inserts the run's new rows of `table` into its stage, bucket by bucket: per key the first occurrence by
 * file and row, unless the key is stored already (for reasons: as a real reasons row; a derived one is
 * replaced). Returns the number of buckets used.
 */
export async function dedupeIntoStage(L: ClickHouseLayout, run: number, table: TableName): Promise<number> {
  const raw = L.rawStage(run, table);
  const size = await L.first.query<{ n: number; b: number }>(
    `SELECT toInt64(sum(rows)) AS n, toInt64(sum(data_uncompressed_bytes)) AS b FROM system.parts
     WHERE active AND database = ${encodeLiteral(L.db)} AND table = ${encodeLiteral(`kei_raw_${run}_${table}`)}`,
  );
  const n = bucketCount(Number(size[0]?.n ?? 0), Number(size[0]?.b ?? 0));
  const cols = storedColumns(TABLES[table]).map((c) => q(c.name));
  const keys = keyList(table);
  const key = keyExpression(table);
  const reasons = table === "reasons";
  for (let i = 0; i < n; i++) {
    const bucket = inBucket(`"_b"`, i, n, FINE);
    const stored = `SELECT ${keys} FROM ${L.readable(table)} WHERE ${reasons ? `"derived" = 0 AND ` : ""}${key} GLOBAL IN (SELECT ${keys} FROM ${raw} WHERE ${bucket})`;
    await L.first.command(
      `INSERT INTO ${L.stageInsert(run, table)} (${cols.join(", ")}${reasons ? `, "derived"` : ""}, "_run", "_file", "_row")
       SELECT ${cols.join(", ")}${reasons ? `, toUInt8(0) AS "derived"` : ""}, toUInt64(${run}) AS "_run", "_file", "_row" FROM (
         SELECT * FROM ${raw} WHERE ${bucket} ORDER BY "_file", "_row" LIMIT 1 BY ${keys}
       ) WHERE ${key} NOT IN (${stored})`,
      { insert_distributed_sync: 1, max_bytes_before_external_sort: EXTERNAL_SORT_BYTES },
    );
  }
  return n;
}

/**
 * Contacts of the run whose customer is neither stored nor in the run's customers, counted in buckets of
 * customers so that no set holds more than a bucket's customer ids.
 */
export async function countUnknownCustomers(
  L: ClickHouseLayout,
  run: number,
  withCustomers: boolean,
): Promise<number> {
  const contacts = L.stageInsert(run, "contacts");
  const rows = await L.first.query<{ n: number }>(`SELECT toInt64(count()) AS n FROM ${contacts}`);
  const n = bucketCount(Number(rows[0]?.n ?? 0), 0);
  let unknown = 0;
  for (let i = 0; i < n; i++) {
    const bucket = inBucket(fineBucket(`"customer_id"`), i, n, FINE);
    const mine = `SELECT "customer_id" FROM ${contacts} WHERE ${bucket}`;
    const known = (from: string) =>
      ` AND "customer_id" NOT IN (SELECT "customer_id" FROM ${from} WHERE "customer_id" GLOBAL IN (${mine}))`;
    const r = await L.first.query<{ n: number }>(
      `SELECT toInt64(count()) AS n FROM ${contacts} WHERE ${bucket}${known(L.readable("customers"))}${withCustomers ? known(L.stageInsert(run, "customers")) : ""}`,
    );
    unknown += Number(r[0]?.n ?? 0);
  }
  return unknown;
}
