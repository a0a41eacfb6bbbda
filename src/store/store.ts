/**
 * The store: where kei keeps the canonical tables. One interface, one implementation per engine
 * (`duckdb/`, `clickhouse/`); only those folders import an engine client. Analytics ask for data with
 * `query(sql\`...\`)` built from dialect methods, and ingestion loads through a `LoadSession`, which makes
 * a run visible all at once or not at all.
 */
import { BusyError } from "../errors/kei-error.js";
import type { CanonicalValue } from "../schema/parse-value.js";
import type { TableName } from "../schema/tables.js";
import type { DerivedBuild, DerivedTableSpec } from "./derived/derived-table.js";
import type { Dialect } from "./dialect/dialect.js";
import type { Sql } from "./sql.js";

export type EngineName = "duckdb" | "clickhouse";

export interface StoreInfo {
  readonly engine: EngineName;
  readonly version: string;
  /** DuckDB: the file path; ClickHouse: every node's HTTP address. */
  readonly nodes: readonly string[];
  /** ClickHouse cluster name, when sharded. */
  readonly cluster?: string;
}

/** One input row, parsed, with its values in `storedColumns(table)` order. */
export interface StagedRow {
  readonly row: number;
  readonly values: readonly CanonicalValue[];
}

/**
 * The order in which a load session commits tables: reasons first, so that reasons derived from contacts only
 * fill gaps the run's own reasons file leaves.
 */
export const COMMIT_ORDER: readonly TableName[] = [
  "reasons",
  "costs",
  "customers",
  "contacts",
  "web_events",
  "feedback",
  "kpis",
];

export interface FileLoadCounts {
  /** Rows added to the store. */
  readonly stored: number;
  /** Rows whose key was already in the store, or earlier in this run. */
  readonly duplicates: number;
}

export interface LoadResult {
  /** Per file index (as returned by `addFile`). */
  readonly files: readonly FileLoadCounts[];
  /** Reason codes found in contacts or web events but not in `reasons`, added with the code as label. */
  readonly addedReasons: readonly string[];
  /** Contacts of this run whose customer is not in `customers` (kept, reported). */
  readonly unknownCustomerContacts: number;
}

/**
 * Loading one ingest run. Rows are staged out of sight; `commit` dedupes them against the store and
 * each other (the first occurrence of a key wins, by file then row), adds them, and derives missing
 * reasons, atomically. If the process dies before `commit` returns, the store is as it was.
 */
export interface LoadSession {
  addFile(file: string, table: TableName): Promise<number>;
  append(fileIndex: number, rows: readonly StagedRow[]): Promise<void>;
  commit(): Promise<LoadResult>;
  abort(): Promise<void>;
}

/**
 * The store is being written by another kei run (DuckDB: another process has the file, or another load
 * session of this process is open; ClickHouse: another writer holds the store's write lock).
 */
export class StoreBusyError extends BusyError {}

export interface Store {
  readonly engine: EngineName;
  readonly dialect: Dialect;
  /** Creates the tables that do not exist yet. */
  ensureSchema(): Promise<void>;
  info(): Promise<StoreInfo>;
  /** Row counts of every table of the data model. */
  tableCounts(): Promise<Record<TableName, number>>;
  /**
   * The data version: it changes with every ingest run that stores rows (or derives a reason) and never
   * otherwise, so a cache keyed on it is never stale. DuckDB counts such runs; ClickHouse gives the id of
   * the last such run. Compare versions of one store for equality only.
   */
  dataVersion(): Promise<number>;
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]>;
  /**
   * Builds the derived tables that are stale (built for another data version or by another query), each
   * beside its old version and swapped in at once, under the store's write lock (`StoreBusyError` when
   * another run writes).
   */
  refreshDerived(specs: readonly DerivedTableSpec[]): Promise<DerivedBuild[]>;
  /** True when `spec`'s table was built for the current data version by the same query. */
  derivedFresh(spec: DerivedTableSpec): Promise<boolean>;
  /** Rows of every derived table built so far, by name. */
  derivedCounts(): Promise<Record<string, number>>;
  /** Starts a run; one at a time per store: a second one throws `StoreBusyError` until the first finishes. */
  beginLoad(): Promise<LoadSession>;
  close(): Promise<void>;
}
