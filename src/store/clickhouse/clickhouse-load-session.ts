/**
 * An ingest run on ClickHouse, with the guarantees of the DuckDB store:
 * 1. Parsed rows go to raw staging tables of this run (first node), out of sight.
 * 2. `commit` dedupes them in SQL (first occurrence of a key by file and row; keys already stored are
 *    duplicates) into one staging table per model table, partitioned by the run and, on a cluster,
 *    spread over the shards by customer like the model tables. It works in buckets of keys, so its
 *    memory stays bounded however large the run or the store (see clickhouse-dedupe.ts).
 * 3. The commit point: a 'committing' row in `kei_runs`. Before it, a killed run leaves only staging
 *    tables, which the next open drops. After it, the run's partitions are attached table by table
 *    (`ATTACH PARTITION ... FROM`); if the process dies half-way, the next open finishes the attach from
 *    the staging tables still there (roll forward), then marks the run 'committed'.
 * So through kei a run is visible all at once or not at all. One writer at a time, as with DuckDB.
 */

import { storedColumns, TABLES, type TableName } from "../../schema/tables.js";
import { quoteIdentifier as q } from "../sql.js";
import {
  COMMIT_ORDER,
  type FileLoadCounts,
  type LoadResult,
  type LoadSession,
  type StagedRow,
} from "../store.js";
import { changesDdl } from "./clickhouse-ddl.js";
import { bucketedRawStageDdl, countUnknownCustomers, dedupeIntoStage } from "./clickhouse-dedupe.js";
import type { ClickHouseLayout } from "./clickhouse-layout.js";
import { encodeLiteral } from "./clickhouse-literal.js";
import type { ClickHouseWriteLock } from "./clickhouse-write-lock.js";

/** `_file` of reasons derived at commit: no input file. */
const DERIVED_FILE = 4294967295;
const SYNC = { insert_distributed_sync: 1 };

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function newRunId(): number {
  // Milliseconds since 1970 times 1000 plus a random tail: unique enough for one writer, ordered in time.
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

export class ClickHouseLoadSession implements LoadSession {
  private readonly files: { table: TableName; staged: number }[] = [];
  private readonly tables = new Set<TableName>();
  private done = false;

  constructor(
    private readonly layout: ClickHouseLayout,
    readonly run: number,
    private readonly lock: ClickHouseWriteLock,
  ) {}

  async addFile(_file: string, table: TableName): Promise<number> {
    if (!this.tables.has(table)) {
      await this.layout.first.command(
        bucketedRawStageDdl(this.layout.db, `kei_raw_${this.run}_${table}`, table),
      );
      this.tables.add(table);
    }
    this.files.push({ table, staged: 0 });
    return this.files.length - 1;
  }

  async append(fileIndex: number, rows: readonly StagedRow[]): Promise<void> {
    const file = this.files[fileIndex];
    if (!file) throw new Error(`unknown file index ${fileIndex}`);
    const cols = storedColumns(TABLES[file.table]);
    const values = rows.map((r) => {
      const o: Record<string, unknown> = { _file: fileIndex, _row: r.row };
      cols.forEach((c, i) => {
        const v = r.values[i] ?? null;
        o[c.name] = typeof v === "boolean" ? (v ? 1 : 0) : v;
      });
      return o;
    });
    await this.layout.first.insert(`${q(this.layout.db)}.${q(`kei_raw_${this.run}_${file.table}`)}`, values);
    file.staged += rows.length;
  }

  async commit(): Promise<LoadResult> {
    if (this.done) throw new Error("load session already finished");
    const L = this.layout;
    const stored = new Map<number, number>();
    try {
      for (const table of COMMIT_ORDER) {
        if (!this.tables.has(table)) continue;
        await L.createStage(this.run, table);
        await dedupeIntoStage(L, this.run, table);
        const counts = await L.first.query<{ f: number; n: number }>(
          `SELECT "_file" AS f, toInt64(count()) AS n FROM ${L.stageInsert(this.run, table)} GROUP BY "_file"`,
        );
        for (const c of counts) stored.set(Number(c.f), Number(c.n));
      }
      const addedReasons = await this.deriveReasons();
      const unknownCustomerContacts = this.tables.has("contacts")
        ? await countUnknownCustomers(L, this.run, this.tables.has("customers"))
        : 0;
      const touched = COMMIT_ORDER.filter((t) => this.tables.has(t));
      const files: FileLoadCounts[] = this.files.map((f, i) => {
        const s = stored.get(i) ?? 0;
        return { stored: s, duplicates: f.staged - s };
      });
      if (addedReasons.length === 0 && files.every((f) => f.stored === 0)) {
        // Nothing new: no run to make visible, and the data version stays as it is.
        await this.abort();
        return { files, addedReasons, unknownCustomerContacts };
      }
      await this.recordChanges(files);
      await this.lock.assertHeld();
      // The commit point.
      await L.first.command(
        `INSERT INTO ${L.name("kei_runs")} ("run", "state", "tables", "at") VALUES (${this.run}, 'committing', ${encodeLiteral(touched)}, now())`,
      );
      this.done = true;
      await applyRun(L, this.run, touched);
      await this.lock.release();
      return { files, addedReasons, unknownCustomerContacts };
    } catch (e) {
      if (!this.done) await this.abort().catch(() => undefined);
      else this.lock.abandon();
      // Past the commit point the lock is released only when the run is complete; if applying it failed,
      // the lease runs out and the next writer or reader finishes the run (see recovery in the store).
      throw e;
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    try {
      await this.layout.dropStages(this.run, [...this.tables, "reasons"]);
    } finally {
      await this.lock.release();
    }
  }

  /**
   * Notes what the run changes, for incremental derived builds: the tables that store rows and the customers whose
   * rows they are (feedback without a customer id: the customer of its contact). Written before the commit point;
   * a run that never commits leaves rows nobody reads. Reason codes derived from contacts change no other
   * customer's jobs.
   */
  private async recordChanges(files: readonly FileLoadCounts[]): Promise<void> {
    const L = this.layout;
    for (const ddl of changesDdl(L.db)) await L.first.command(ddl);
    const tables = new Set<TableName>();
    files.forEach((f, i) => {
      const t = this.files[i]?.table;
      if (t && f.stored > 0) tables.add(t);
    });
    if (tables.size > 0) {
      await L.first.command(
        `INSERT INTO ${L.name("kei_changes")} ("run", "tbl") VALUES ${[...tables].map((t) => `(${this.run}, ${encodeLiteral(t)})`).join(", ")}`,
      );
    }
    const sources: string[] = [];
    for (const t of ["customers", "contacts", "web_events", "feedback"] as const) {
      if (tables.has(t)) {
        sources.push(
          `SELECT assumeNotNull("customer_id") AS id FROM ${L.stageInsert(this.run, t)} WHERE isNotNull("customer_id")`,
        );
      }
    }
    if (tables.has("feedback")) {
      sources.push(
        `SELECT "customer_id" AS id FROM ${L.readable("contacts")} WHERE "contact_id" IN (
          SELECT assumeNotNull("contact_id") FROM ${L.stageInsert(this.run, "feedback")} WHERE isNull("customer_id") AND isNotNull("contact_id"))`,
      );
    }
    for (const source of sources) {
      await L.first.command(
        `INSERT INTO ${L.name("kei_touched")} ("run", "customer_id") SELECT toUInt64(${this.run}), id FROM (${source}) GROUP BY id`,
      );
    }
  }

  private async deriveReasons(): Promise<string[]> {
    const L = this.layout;
    const sources: string[] = [];
    for (const t of ["contacts", "web_events"] as const) {
      if (this.tables.has(t)) sources.push(`SELECT "reason" FROM ${L.stageInsert(this.run, t)}`);
    }
    if (sources.length === 0) return [];
    const hasReasons = this.tables.has("reasons");
    const staged = hasReasons
      ? ` AND "reason" NOT IN (SELECT "reason" FROM ${L.stageInsert(this.run, "reasons")})`
      : "";
    // 18.16 returns a row per stream for SELECT DISTINCT over a UNION ALL (and per shard over a Distributed
    // table), which stored every derived reason twice. GROUP BY merges the streams; the Set below keeps the
    // codes unique whatever the engine does, and the one insert below happens once, from the first node.
    const rows = await L.first.query<{ reason: string }>(
      `SELECT "reason" FROM (${sources.join(" UNION ALL ")})
       WHERE isNotNull("reason") AND "reason" NOT IN (SELECT "reason" FROM ${L.readable("reasons")})${staged}
       GROUP BY "reason"`,
    );
    const codes = [...new Set(rows.map((r) => r.reason))].sort(byCodeUnits);
    if (codes.length === 0) return codes;
    if (!hasReasons) {
      await L.createStage(this.run, "reasons");
      this.tables.add("reasons");
    }
    await L.first.insert(
      L.stageInsert(this.run, "reasons"),
      codes.map((c, i) => ({
        reason: c,
        label_nl: c,
        label_en: c,
        derived: 1,
        _run: this.run,
        _file: DERIVED_FILE,
        _row: i + 1,
      })),
      SYNC,
    );
    return codes;
  }
}

/**
 * Makes a committing run visible: attaches its partition to every table on every node where it is not
 * there yet, removes derived reasons that a real one replaces, marks the run committed, drops its stages.
 * Safe to repeat, so the next open can finish a run whose process died half-way.
 */
export async function applyRun(
  L: ClickHouseLayout,
  run: number,
  tables: readonly TableName[],
): Promise<void> {
  for (const table of tables) {
    for (const node of L.nodes) {
      const stage = L.stageLocal(run, table);
      const exists = await node.query<{ n: number }>(
        `SELECT toInt64(count()) AS n FROM system.tables WHERE database = ${encodeLiteral(L.db)} AND name = ${encodeLiteral(`kei_stage_${run}_${table}`)}`,
      );
      if (Number(exists[0]?.n) === 0) continue;
      const present = await node.query<{ n: number }>(
        `SELECT toInt64(count()) AS n FROM ${L.partitionTable(table)} WHERE "_run" = ${run}`,
      );
      if (Number(present[0]?.n) === 0) {
        await node.command(`ALTER TABLE ${L.partitionTable(table)} ATTACH PARTITION ${run} FROM ${stage}`);
      }
    }
  }
  if (tables.includes("reasons")) await replaceDerivedReasons(L, run);
  await L.first.command(
    `INSERT INTO ${L.name("kei_runs")} ("run", "state", "tables", "at") VALUES (${run}, 'committed', ${encodeLiteral([...tables])}, now())`,
  );
  await L.dropStages(run, tables);
}

async function replaceDerivedReasons(L: ClickHouseLayout, run: number): Promise<void> {
  const real = await L.first.query<{ reason: string }>(
    `SELECT DISTINCT "reason" FROM ${L.readable("reasons")} WHERE "_run" = ${run} AND "derived" = 0`,
  );
  if (real.length === 0) return;
  const list = encodeLiteral(real.map((r) => r.reason));
  for (const node of L.nodes) {
    await node.command(
      `ALTER TABLE ${L.partitionTable("reasons")} DELETE WHERE "derived" = 1 AND "_run" != ${run} AND has(${list}, "reason")`,
    );
    // Mutations run in the background on ClickHouse; wait so the run is complete when commit returns.
    for (let i = 0; i < 600; i++) {
      const pending = await node.query<{ n: number }>(
        `SELECT toInt64(count()) AS n FROM system.mutations WHERE database = ${encodeLiteral(L.db)} AND is_done = 0`,
      );
      if (Number(pending[0]?.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
