/**
 * ClickHouse tables for the data model. Every table is a MergeTree partitioned by ingest run (`_run`),
 * which is what makes a run's rows appear in one step: they are built in a staging table and attached as
 * one partition (see clickhouse-load-session.ts). On a cluster each node holds `<table>_local` and a
 * `Distributed` table `<table>` over them, sharded by customer so that one customer's journey stays on
 * one shard; tables without a customer are sharded by their key (they are small).
 */
import {
  type ColumnSpec,
  type ColumnType,
  storedColumns,
  TABLES,
  type TableName,
} from "../../schema/tables.js";
import { quoteIdentifier as q } from "../sql.js";

const TYPES: Record<ColumnType, string> = {
  string: "String",
  enum: "String",
  integer: "Int64",
  number: "Float64",
  boolean: "UInt8",
  timestamp: "DateTime('UTC')",
  date: "Date",
};

/** Columns ClickHouse adds to every table: the ingest run, and the file and row a stored row came from. */
export const PROVENANCE_COLUMNS = ["_run", "_file", "_row"] as const;

export function columnType(c: ColumnSpec): string {
  return c.required ? TYPES[c.type] : `Nullable(${TYPES[c.type]})`;
}

/** All columns of a stored table, in order, with their ClickHouse types. */
export function clickhouseColumns(table: TableName): [string, string][] {
  const cols: [string, string][] = storedColumns(TABLES[table]).map((c) => [c.name, columnType(c)]);
  if (table === "reasons") cols.push(["derived", "UInt8"]);
  cols.push(["_run", "UInt64"], ["_file", "UInt32"], ["_row", "UInt64"]);
  return cols;
}

/** Sort key: by customer and time where the table has them (Nullable columns cannot be keys in 18.16). */
const ORDER_BY: Record<TableName, string> = {
  customers: `"customer_id"`,
  contacts: `("customer_id", "ts", "contact_id")`,
  web_events: `(ifNull("customer_id", ''), "ts", "event_id")`,
  feedback: `(ifNull("customer_id", ''), "ts", "feedback_id")`,
  reasons: `"reason"`,
  costs: `"channel"`,
  kpis: `("period", "name")`,
};

/** Sharding key of the Distributed table: the customer; anonymous rows by their own key. */
export const SHARDING_KEY: Record<TableName, string> = {
  customers: `cityHash64("customer_id")`,
  contacts: `cityHash64("customer_id")`,
  web_events: `cityHash64(ifNull("customer_id", "session_id"))`,
  feedback: `cityHash64(ifNull("customer_id", "feedback_id"))`,
  reasons: `cityHash64("reason")`,
  costs: `cityHash64("channel")`,
  kpis: `cityHash64("name")`,
};

/** The expressions that identify a row, comma-separated (NULL segments compare as equal, as in DuckDB). */
export function keyList(table: TableName): string {
  const parts = TABLES[table].key.map((k) => {
    const c = TABLES[table].columns.find((x) => x.name === k);
    return c?.required ? q(k) : `ifNull(${q(k)}, '')`;
  });
  return parts.join(", ");
}

/** The key as one expression: a tuple when the key has several columns. */
export function keyExpression(table: TableName): string {
  const list = keyList(table);
  return TABLES[table].key.length === 1 ? list : `(${list})`;
}

export function mergeTreeDdl(db: string, name: string, table: TableName): string {
  const cols = clickhouseColumns(table).map(([n, t]) => `${q(n)} ${t}${n === "derived" ? " DEFAULT 0" : ""}`);
  return `CREATE TABLE IF NOT EXISTS ${q(db)}.${q(name)} (${cols.join(", ")}) ENGINE = MergeTree() PARTITION BY "_run" ORDER BY ${ORDER_BY[table]}`;
}

export function distributedDdl(
  db: string,
  name: string,
  local: string,
  table: TableName,
  cluster: string,
): string {
  const cols = clickhouseColumns(table).map(([n, t]) => `${q(n)} ${t}`);
  return `CREATE TABLE IF NOT EXISTS ${q(db)}.${q(name)} (${cols.join(", ")}) ENGINE = Distributed(${q(cluster)}, ${q(db)}, ${q(local)}, ${SHARDING_KEY[table]})`;
}

/**
 * What each run changed, for incremental derived builds (written before its commit point; rows of a run that never
 * committed are ignored): the tables it stored rows in, and the customers whose rows those were.
 */
export function changesDdl(db: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${q(db)}."kei_changes" ("run" UInt64, "tbl" String) ENGINE = MergeTree() ORDER BY "run"`,
    `CREATE TABLE IF NOT EXISTS ${q(db)}."kei_touched" ("run" UInt64, "customer_id" String) ENGINE = MergeTree() ORDER BY ("run", "customer_id")`,
  ];
}

/** Journal of ingest runs: a run is visible once 'committing' is written; 'committed' closes it. */
export function runsDdl(db: string): string {
  return `CREATE TABLE IF NOT EXISTS ${q(db)}."kei_runs" ("run" UInt64, "state" String, "tables" Array(String), "at" DateTime('UTC')) ENGINE = MergeTree() ORDER BY "run"`;
}
