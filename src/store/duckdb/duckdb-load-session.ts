/**
 * An ingest run on DuckDB. Rows go through an appender into TEMP staging tables, which live only in this
 * connection and never reach the database file. `commit` then moves the new rows into the real tables in
 * one transaction, so a run killed at any moment (kill -9 included) leaves the file as it was: either the
 * transaction committed in the WAL or it did not happen.
 */
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { type ColumnSpec, storedColumns, TABLES, type TableName } from "../../schema/tables.js";
import { quoteIdentifier as q } from "../sql.js";
import {
  COMMIT_ORDER,
  type FileLoadCounts,
  type LoadResult,
  type LoadSession,
  type StagedRow,
} from "../store.js";
import { CHANGES_DDL, CHANGES_KEPT, duckdbFromStage, duckdbStageDdl } from "./duckdb-ddl.js";

type Append = (a: DuckDBAppender, v: unknown) => void;

function appenderFor(c: ColumnSpec): Append {
  switch (c.type) {
    case "integer":
    case "timestamp":
      return (a, v) => a.appendBigInt(BigInt(v as number));
    case "number":
      return (a, v) => a.appendDouble(v as number);
    case "boolean":
      return (a, v) => a.appendBoolean(v as boolean);
    default:
      return (a, v) => a.appendVarchar(v as string);
  }
}

interface Staged {
  appender: DuckDBAppender;
  writers: Append[];
}

export class DuckDBLoadSession implements LoadSession {
  private readonly files: { table: TableName; staged: number }[] = [];
  private readonly staged = new Map<TableName, Staged>();
  private done = false;

  constructor(
    private readonly conn: DuckDBConnection,
    /** Called once when the run has committed or aborted. */
    private readonly onFinish: () => void = () => undefined,
  ) {}

  async addFile(_file: string, table: TableName): Promise<number> {
    if (!this.staged.has(table)) {
      const stage = `stage_${table}`;
      await this.conn.run(duckdbStageDdl(TABLES[table], stage));
      const appender = await this.conn.createAppender(stage, "main", "temp");
      this.staged.set(table, { appender, writers: storedColumns(TABLES[table]).map(appenderFor) });
    }
    this.files.push({ table, staged: 0 });
    return this.files.length - 1;
  }

  async append(fileIndex: number, rows: readonly StagedRow[]): Promise<void> {
    const file = this.files[fileIndex];
    if (!file) throw new Error(`unknown file index ${fileIndex}`);
    const st = this.staged.get(file.table);
    if (!st) throw new Error(`no staging table for ${file.table}`);
    const { appender: a, writers } = st;
    for (const r of rows) {
      a.appendInteger(fileIndex);
      a.appendBigInt(BigInt(r.row));
      for (let i = 0; i < writers.length; i++) {
        const v = r.values[i];
        if (v === null || v === undefined) a.appendNull();
        else (writers[i] as Append)(a, v);
      }
      a.endRow();
    }
    file.staged += rows.length;
  }

  async commit(): Promise<LoadResult> {
    if (this.done) throw new Error("load session already finished");
    for (const st of this.staged.values()) {
      st.appender.flushSync();
      st.appender.closeSync();
    }
    const stored = new Map<number, number>();
    const c = this.conn;
    await c.run("BEGIN TRANSACTION");
    try {
      for (const table of COMMIT_ORDER) {
        if (!this.staged.has(table)) continue;
        for (const [file, n] of await this.moveNewRows(table)) stored.set(file, n);
      }
      const addedReasons = await this.deriveReasons();
      const unknownCustomerContacts = this.staged.has("contacts") ? await this.countUnknownCustomers() : 0;
      const changed = addedReasons.length > 0 || [...stored.values()].some((n) => n > 0);
      if (changed) {
        await c.run(`UPDATE main."kei_data_version" SET "version" = "version" + 1`);
        await this.recordChanges(stored);
      }
      await c.run("COMMIT");
      this.done = true;
      const files: FileLoadCounts[] = this.files.map((f, i) => {
        const s = stored.get(i) ?? 0;
        return { stored: s, duplicates: f.staged - s };
      });
      return { files, addedReasons, unknownCustomerContacts };
    } catch (e) {
      await c.run("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      await this.dropStages();
      this.finish();
    }
  }

  private finish(): void {
    this.done = true;
    this.conn.closeSync();
    this.onFinish();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const st of this.staged.values()) {
      try {
        st.appender.closeSync();
      } catch {
        // already closed
      }
    }
    await this.dropStages();
    this.finish();
  }

  /** Inserts the staged rows whose key is new (first occurrence wins); returns rows stored per file. */
  private async moveNewRows(table: TableName): Promise<Map<number, number>> {
    const spec = TABLES[table];
    const cols = storedColumns(spec);
    const keyCols = spec.key.map(q);
    const matchKey = spec.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM s.${q(k)}`).join(" AND ");
    const stage = q(`stage_${table}`);
    const fresh = q(`new_${table}`);
    if (table === "reasons") {
      // A real reasons file replaces labels that were derived from contact codes earlier.
      await this.conn.run(
        `DELETE FROM "reasons" WHERE "derived" AND "reason" IN (SELECT "reason" FROM temp.main.${stage})`,
      );
    }
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${fresh} AS
       SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY ${keyCols.join(", ")} ORDER BY "_file", "_row") AS "_rn"
         FROM temp.main.${stage}
       ) s
       WHERE "_rn" = 1 AND NOT EXISTS (SELECT 1 FROM main.${q(table)} t WHERE ${matchKey})`,
    );
    const names = cols.map((col) => q(col.name)).join(", ");
    const values = cols.map((col) => duckdbFromStage(col, "s")).join(", ");
    await this.conn.run(
      `INSERT INTO main.${q(table)} (${names}) SELECT ${values} FROM temp.main.${fresh} s ORDER BY "_file", "_row"`,
    );
    const counts = await this.conn.runAndReadAll(
      `SELECT "_file" AS f, CAST(count(*) AS INTEGER) AS n FROM temp.main.${fresh} GROUP BY "_file"`,
    );
    return new Map(counts.getRowObjectsJS().map((r) => [Number(r.f), Number(r.n)]));
  }

  /**
   * Notes what the new data version changed (see CHANGES_DDL): the tables that stored rows and the customers
   * whose rows they were. Reason codes derived from contacts are no change to other customers' jobs.
   */
  private async recordChanges(stored: ReadonlyMap<number, number>): Promise<void> {
    const c = this.conn;
    for (const ddl of CHANGES_DDL) await c.run(ddl);
    const r = await c.runAndReadAll(`SELECT max("version") AS v FROM main."kei_data_version"`);
    const version = Number(r.getRowObjectsJS()[0]?.v ?? 0);
    const tables = new Set<TableName>();
    for (const [file, n] of stored) {
      const t = this.files[file]?.table;
      if (t && n > 0) tables.add(t);
    }
    for (const t of tables) {
      await c.run(`INSERT INTO main."kei_changes" VALUES ($1, $2)`, [version, t]);
    }
    const sources: string[] = [];
    for (const t of ["customers", "contacts", "web_events"] as const) {
      if (tables.has(t))
        sources.push(`SELECT CAST("customer_id" AS VARCHAR) AS id FROM temp.main.${q(`new_${t}`)}`);
    }
    if (tables.has("feedback")) {
      sources.push(`SELECT CAST("customer_id" AS VARCHAR) AS id FROM temp.main."new_feedback"`);
      sources.push(`SELECT k."customer_id" AS id FROM main."contacts" k
        JOIN temp.main."new_feedback" f ON k."contact_id" = CAST(f."contact_id" AS VARCHAR) WHERE f."customer_id" IS NULL`);
    }
    if (sources.length > 0) {
      await c.run(
        `INSERT INTO main."kei_touched" SELECT DISTINCT $1 AS "version", id FROM (${sources.join(" UNION ALL ")}) t WHERE id IS NOT NULL`,
        [version],
      );
    }
    await c.run(`DELETE FROM main."kei_changes" WHERE "version" <= $1`, [version - CHANGES_KEPT]);
    await c.run(`DELETE FROM main."kei_touched" WHERE "version" <= $1`, [version - CHANGES_KEPT]);
  }

  /** Adds reason codes seen in contacts or web events that `reasons` lacks, labelled with the code. */
  private async deriveReasons(): Promise<string[]> {
    const sources: string[] = [];
    if (this.staged.has("contacts")) sources.push(`SELECT "reason" FROM temp.main."new_contacts"`);
    if (this.staged.has("web_events")) sources.push(`SELECT "reason" FROM temp.main."new_web_events"`);
    if (sources.length === 0) return [];
    const missing = await this.conn.runAndReadAll(
      `SELECT DISTINCT "reason" FROM (${sources.join(" UNION ALL ")}) r
       WHERE "reason" IS NOT NULL AND "reason" NOT IN (SELECT "reason" FROM main."reasons")
       ORDER BY "reason"`,
    );
    const codes = missing.getRowObjectsJS().map((r) => String(r.reason));
    if (codes.length === 0) return codes;
    const ins = await this.conn.prepare(
      `INSERT INTO main."reasons" ("reason", "label_nl", "label_en", "derived") VALUES ($1, $1, $1, true)`,
    );
    for (const code of codes) {
      ins.bindVarchar(1, code);
      await ins.run();
    }
    return codes;
  }

  private async countUnknownCustomers(): Promise<number> {
    const r = await this.conn.runAndReadAll(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM temp.main."new_contacts" n
       WHERE NOT EXISTS (SELECT 1 FROM main."customers" c WHERE c."customer_id" = n."customer_id")`,
    );
    return Number(r.getRowObjectsJS()[0]?.n ?? 0);
  }

  private async dropStages(): Promise<void> {
    for (const table of this.staged.keys()) {
      await this.conn.run(`DROP TABLE IF EXISTS temp.main.${q(`stage_${table}`)}`).catch(() => undefined);
      await this.conn.run(`DROP TABLE IF EXISTS temp.main.${q(`new_${table}`)}`).catch(() => undefined);
    }
  }
}
