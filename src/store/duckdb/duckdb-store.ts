/**
 * The embedded default: one DuckDB file (`./kei.duckdb`). Opened for one process at a time (DuckDB
 * locks the file), with a memory limit so that large ingests spill to disk rather than grow unbounded.
 */

import { chmodSync, existsSync } from "node:fs";
import { totalmem } from "node:os";
import { DuckDBConnection, DuckDBInstance, type DuckDBResultReader, DuckDBTypeId } from "@duckdb/node-api";
import { EngineError, UnreachableError } from "../../errors/kei-error.js";
import { TABLE_NAMES, TABLES, type TableName } from "../../schema/tables.js";
import type { DerivedBuild, DerivedTableSpec } from "../derived/derived-table.js";
import type { Sql } from "../sql.js";
import { quoteIdentifier } from "../sql.js";
import { type LoadSession, type Store, StoreBusyError, type StoreInfo } from "../store.js";
import { CHANGES_DDL, DATA_VERSION_DDL, duckdbTableDdl } from "./duckdb-ddl.js";
import {
  DERIVED_META_DDL,
  duckdbDerivedCounts,
  duckdbDerivedFresh,
  refreshDuckDBDerived,
} from "./duckdb-derived.js";
import { duckdbDialect } from "./duckdb-dialect.js";
import { DuckDBLoadSession } from "./duckdb-load-session.js";

export interface DuckDBStoreOptions {
  /** DuckDB's memory limit, e.g. "8GB" (default: defaultMemoryLimit()). Work beyond it spills to a temp folder. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

/**
 * Half the machine's memory, at least 2 GB. DuckDB's own default (80%) leaves too little for the rest of a busy
 * machine; a fixed 2 GB was too little for the journeys' variants on 15 million events (bench/journeys), whose
 * per-case lists cannot spill to disk.
 */
export function defaultMemoryLimit(): string {
  return `${Math.max(2, Math.floor(totalmem() / 2 / 1024 ** 3))}GB`;
}

export class DuckDBStore implements Store {
  readonly engine = "duckdb" as const;
  readonly dialect = duckdbDialect;
  private loading = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string, options: DuckDBStoreOptions = {}): Promise<DuckDBStore> {
    const isNew = path !== ":memory:" && !existsSync(path);
    let instance: DuckDBInstance;
    try {
      const config: Record<string, string> = {
        memory_limit: options.memoryLimit ?? defaultMemoryLimit(),
        preserve_insertion_order: "false",
      };
      if (options.threads) config.threads = String(options.threads);
      instance = await DuckDBInstance.create(path, config);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg))
        throw new StoreBusyError(`the store ${path} is in use by another process (${msg})`);
      throw new UnreachableError(`cannot open the DuckDB store ${path}: ${msg}`);
    }
    // A new store holds personal data: readable and writable by its owner only.
    if (isNew && existsSync(path)) chmodSync(path, 0o600);
    const conn = await instance.connect();
    return new DuckDBStore(path, instance, conn);
  }

  async ensureSchema(): Promise<void> {
    for (const t of TABLE_NAMES) await this.conn.run(duckdbTableDdl(TABLES[t]));
    await this.conn.run(DATA_VERSION_DDL);
    await this.conn.run(DERIVED_META_DDL);
    for (const ddl of CHANGES_DDL) await this.conn.run(ddl);
    await this.conn.run(
      `INSERT INTO "kei_data_version" SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM "kei_data_version")`,
    );
  }

  async dataVersion(): Promise<number> {
    const r = await this.conn.runAndReadAll(`SELECT max("version") AS v FROM "kei_data_version"`);
    return Number(r.getRowObjectsJS()[0]?.v ?? 0);
  }

  async info(): Promise<StoreInfo> {
    const rows = await this.query<{ v: string }>({
      parts: [{ kind: "text", text: "SELECT version() AS v" }],
    });
    return { engine: "duckdb", version: String(rows[0]?.v ?? "").replace(/^v/, ""), nodes: [this.path] };
  }

  async tableCounts(): Promise<Record<TableName, number>> {
    const parts = TABLE_NAMES.map(
      (t) => `SELECT '${t}' AS t, CAST(count(*) AS BIGINT) AS n FROM ${quoteIdentifier(t)}`,
    );
    const r = await this.conn.runAndReadAll(parts.join(" UNION ALL "));
    const counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    for (const row of r.getRowObjectsJS()) counts[row.t as TableName] = Number(row.n);
    return counts;
  }

  async query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    const { text, params } = this.dialect.render(q);
    let result: DuckDBResultReader;
    try {
      result = await this.conn.runAndReadAll(text, params as never);
    } catch (e) {
      // Out of memory, a full disk, a damaged file: the engine failed, not the user.
      throw new EngineError(`DuckDB (${this.path}): ${(e as Error).message.split("\n")[0]}`, { cause: e });
    }
    return toPlainRows(result) as T[];
  }

  async refreshDerived(specs: readonly DerivedTableSpec[]): Promise<DerivedBuild[]> {
    if (this.loading) {
      throw new StoreBusyError(`the store ${this.path} is being written by another run of this process`);
    }
    this.loading = true;
    try {
      return await refreshDuckDBDerived(this.conn, this.dialect, specs, await this.dataVersion());
    } finally {
      this.loading = false;
    }
  }

  async derivedFresh(spec: DerivedTableSpec): Promise<boolean> {
    return duckdbDerivedFresh(this.conn, this.dialect, spec, await this.dataVersion());
  }

  async derivedCounts(): Promise<Record<string, number>> {
    return duckdbDerivedCounts(this.conn);
  }

  async beginLoad(): Promise<LoadSession> {
    // Other processes are kept out by DuckDB's file lock; two runs of one process would each dedupe against
    // the store as it was and could both store a key, so a second one waits for nothing and fails at once.
    if (this.loading) {
      throw new StoreBusyError(
        `the store ${this.path} is being written by another ingest run of this process`,
      );
    }
    // A connection of its own: TEMP staging tables are private to it.
    const conn = await DuckDBConnection.create(this.instance);
    this.loading = true;
    return new DuckDBLoadSession(conn, () => {
      this.loading = false;
    });
  }

  /** Runs engine SQL written by kei itself (no values); for tests and maintenance. */
  async exec(text: string): Promise<void> {
    await this.conn.run(text);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Rows as plain JS values the same on every engine: BIGINT as number, DATE as "YYYY-MM-DD". */
function toPlainRows(result: DuckDBResultReader): Record<string, unknown>[] {
  const types = result.columnTypes();
  const names = result.columnNames();
  const dateCols = names.filter((_, i) => types[i]?.typeId === DuckDBTypeId.DATE);
  return result.getRowObjectsJS().map((r) => {
    const row = r as Record<string, unknown>;
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === "bigint") row[k] = Number(v);
      else if (v instanceof Date && dateCols.includes(k)) row[k] = v.toISOString().slice(0, 10);
    }
    return row;
  });
}
