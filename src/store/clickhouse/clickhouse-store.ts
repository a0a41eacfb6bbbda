/**
 * kei's store on ClickHouse: one node, or a sharded cluster of nodes listed in the store address.
 * Opening checks every node, creates the database and tables where missing, and finishes or drops what
 * an ingest run that died left behind (see clickhouse-load-session.ts).
 */
import { UnreachableError } from "../../errors/kei-error.js";
import { TABLE_NAMES, type TableName } from "../../schema/tables.js";
import type { DerivedBuild, DerivedTableSpec } from "../derived/derived-table.js";
import type { Sql } from "../sql.js";
import { type LoadSession, type Store, StoreBusyError, type StoreInfo } from "../store.js";
import type { StoreLocation } from "../store-location.js";
import { changesDdl, runsDdl } from "./clickhouse-ddl.js";
import {
  clickhouseDerivedCounts,
  clickhouseDerivedFresh,
  derivedMetaDdl,
  refreshClickHouseDerived,
} from "./clickhouse-derived.js";
import { clickhouseDialect } from "./clickhouse-dialect.js";
import { ClickHouseLayout } from "./clickhouse-layout.js";
import { encodeLiteral } from "./clickhouse-literal.js";
import { applyRun, ClickHouseLoadSession, newRunId } from "./clickhouse-load-session.js";
import { ClickHouseLoginError, ClickHouseNode } from "./clickhouse-nodes.js";
import { ClickHouseWriteLock } from "./clickhouse-write-lock.js";

type ClickHouseLocation = Extract<StoreLocation, { engine: "clickhouse" }>;

/** The staging tables of ingest runs on a node. */
async function stageTables(L: ClickHouseLayout, node: ClickHouseNode): Promise<string[]> {
  const rows = await node.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = ${encodeLiteral(L.db)} AND match(name, '^kei_(raw|stage|stagedist)_[0-9]+_')`,
  );
  return rows.map((r) => r.name);
}

/**
 * With the write lock held no other run is live: finish every run past its commit point (roll forward), then
 * drop every staging table left, which can only belong to runs that died before their commit point.
 */
async function recoverUnderLock(L: ClickHouseLayout): Promise<void> {
  const open = await L.first.query<{ run: number; tables: string[] }>(
    `SELECT "run", any("tables") AS "tables" FROM ${L.name("kei_runs")} GROUP BY "run" HAVING countIf("state" = 'committed') = 0`,
  );
  for (const r of open) await applyRun(L, Number(r.run), r.tables as TableName[]);
  for (const node of L.nodes) {
    for (const name of await stageTables(L, node)) await node.command(`DROP TABLE IF EXISTS ${L.name(name)}`);
  }
}

export class ClickHouseStore implements Store {
  readonly engine = "clickhouse" as const;
  readonly dialect = clickhouseDialect;

  private constructor(
    private readonly location: ClickHouseLocation,
    private readonly layout: ClickHouseLayout,
    /** Clients whose default database is kei's, for analytics' unqualified table names. */
    private readonly readers: readonly ClickHouseNode[],
  ) {}

  static async open(location: ClickHouseLocation): Promise<ClickHouseStore> {
    const admin = location.nodes.map(
      (url) => new ClickHouseNode({ url, user: location.user, password: location.password }),
    );
    try {
      for (const node of admin) {
        const ok = await node.client.ping();
        if (!ok.success) {
          const e = ok.error as Error & { code?: string };
          const why =
            e.code === "ECONNREFUSED" || /ECONNREFUSED/.test(e.message)
              ? "connection refused (is the server running?)"
              : e.message;
          throw new UnreachableError(`cannot reach ClickHouse at ${node.options.url}: ${why}`);
        }
        if (location.cluster) {
          const clusters = await node.query<{ cluster: string }>(
            "SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster",
          );
          if (!clusters.some((c) => c.cluster === location.cluster)) {
            throw new UnreachableError(
              `ClickHouse at ${node.options.url} has no cluster "${location.cluster}" in its remote_servers config (it has: ${clusters.map((c) => c.cluster).join(", ") || "none"})`,
            );
          }
        }
        try {
          await node.command(`CREATE DATABASE IF NOT EXISTS "${location.database}"`);
        } catch (e) {
          if (e instanceof ClickHouseLoginError) throw e;
          throw new UnreachableError(
            `database "${location.database}" does not exist on ${node.options.url} and could not be created: ${(e as Error).message}`,
          );
        }
      }
    } catch (e) {
      await Promise.all(admin.map((n) => n.close()));
      throw e;
    }
    const layout = new ClickHouseLayout(location.database, admin, location.cluster);
    const readers = location.nodes.map(
      (url) =>
        new ClickHouseNode({
          url,
          user: location.user,
          password: location.password,
          database: location.database,
        }),
    );
    return new ClickHouseStore(location, layout, readers);
  }

  async ensureSchema(): Promise<void> {
    for (const t of TABLE_NAMES) await this.layout.createModelTable(t);
    await this.layout.first.command(runsDdl(this.layout.db));
    await this.layout.first.command(derivedMetaDdl(this.layout.db));
    for (const ddl of changesDdl(this.layout.db)) await this.layout.first.command(ddl);
    await this.recover();
  }

  /**
   * Finishes runs past their commit point and drops staging tables (a full copy of a run's rows) of runs that
   * died before it. Only a writer holding the store's write lock does this, so a live run's staging is never
   * touched; opening a store with nothing to recover takes no lock, and a reader that finds work while
   * another process writes leaves it to that process.
   */
  private async recover(): Promise<void> {
    if (!(await this.hasLeftovers())) return;
    let lock: ClickHouseWriteLock;
    try {
      lock = await ClickHouseWriteLock.acquire(this.layout.first, this.layout.db, { purpose: "recovery" });
    } catch (e) {
      if (e instanceof StoreBusyError) return;
      throw e;
    }
    try {
      await recoverUnderLock(this.layout);
    } finally {
      await lock.release();
    }
  }

  private async hasLeftovers(): Promise<boolean> {
    const L = this.layout;
    const open = await L.first.query<{ n: number }>(
      `SELECT toInt64(count()) AS n FROM (SELECT "run" FROM ${L.name("kei_runs")} GROUP BY "run" HAVING countIf("state" = 'committed') = 0)`,
    );
    if (Number(open[0]?.n) > 0) return true;
    for (const node of L.nodes) if ((await stageTables(L, node)).length > 0) return true;
    return false;
  }

  /** The id of the last committed run: only runs that store rows are committed (see the load session). */
  async dataVersion(): Promise<number> {
    const r = await this.layout.first.query<{ v: number }>(
      `SELECT toUInt64(max("run")) AS v FROM ${this.layout.name("kei_runs")} WHERE "state" = 'committed'`,
    );
    return Number(r[0]?.v ?? 0);
  }

  async refreshDerived(specs: readonly DerivedTableSpec[]): Promise<DerivedBuild[]> {
    const lock = await ClickHouseWriteLock.acquire(this.layout.first, this.layout.db, {
      purpose: "derived build",
    });
    try {
      return await refreshClickHouseDerived(this.layout, this.dialect, specs, await this.dataVersion(), () =>
        lock.assertHeld(),
      );
    } finally {
      await lock.release();
    }
  }

  async derivedFresh(spec: DerivedTableSpec): Promise<boolean> {
    return clickhouseDerivedFresh(this.layout, this.dialect, spec, await this.dataVersion());
  }

  async derivedCounts(): Promise<Record<string, number>> {
    return clickhouseDerivedCounts(this.layout);
  }

  async info(): Promise<StoreInfo> {
    const v = await this.layout.first.query<{ v: string }>("SELECT version() AS v");
    return {
      engine: "clickhouse",
      version: String(v[0]?.v ?? ""),
      nodes: [...this.location.nodes],
      ...(this.location.cluster ? { cluster: this.location.cluster } : {}),
    };
  }

  async tableCounts(): Promise<Record<TableName, number>> {
    const parts = TABLE_NAMES.map(
      (t) => `SELECT '${t}' AS t, toInt64(count()) AS n FROM ${this.layout.readable(t)}`,
    );
    const rows = await this.layout.first.query<{ t: TableName; n: number }>(parts.join(" UNION ALL "));
    const counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
    for (const r of rows) counts[r.t] = Number(r.n);
    return counts;
  }

  async query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    const { text } = this.dialect.render(q);
    return (this.readers[0] as ClickHouseNode).query<T>(text);
  }

  /** Rows of a table held by each node (a cluster's shards), for checks and `kei status`. */
  async rowsPerNode(table: TableName): Promise<number[]> {
    const out: number[] = [];
    for (const node of this.layout.nodes) {
      const r = await node.query<{ n: number }>(
        `SELECT toInt64(count()) AS n FROM ${this.layout.partitionTable(table)}`,
      );
      out.push(Number(r[0]?.n ?? 0));
    }
    return out;
  }

  /**
   * A load session holding the store's write lock until it commits or aborts; a second writer fails at
   * once with `StoreBusyError` (see clickhouse-write-lock.ts).
   */
  async beginLoad(): Promise<LoadSession> {
    const lock = await ClickHouseWriteLock.acquire(this.layout.first, this.layout.db, { purpose: "ingest" });
    try {
      await recoverUnderLock(this.layout);
    } catch (e) {
      await lock.release();
      throw e;
    }
    return new ClickHouseLoadSession(this.layout, newRunId(), lock);
  }

  async close(): Promise<void> {
    await Promise.all([...this.layout.nodes, ...this.readers].map((n) => n.close()));
  }
}
