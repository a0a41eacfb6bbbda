/**
 * The `jobs` derived table: one row per job (see job-table.ts for the definition and docs/methodology.md for
 * the formulas), built once per data version with the analysis options in force, and read by the KEI,
 * `kei validate`, the fitted weights and `kei calibrate` instead of grouping the contacts into jobs again for
 * every query. Built after every ingest that stores rows; a command that finds it stale (another data version,
 * or other options) builds it first, and answers from the contacts directly while another process holds the
 * store's write lock, so an answer is never wrong, only slower.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import type { DerivedTableSpec } from "../store/derived/derived-table.js";
import { raw, type Sql, sql } from "../store/sql.js";
import { type Store, StoreBusyError } from "../store/store.js";
import { jobTableSql } from "./job-table.js";

export function jobsTable(o: AnalysisOptions): DerivedTableSpec {
  return {
    name: "jobs",
    columns: [
      { name: "customer_id", type: "string" },
      { name: "reason", type: "string" },
      { name: "grp", type: "integer" },
      { name: "first_t", type: "integer" },
      { name: "first_ts", type: "timestamp" },
      { name: "channel", type: "string", nullable: true },
      { name: "contacts", type: "integer" },
      { name: "switches", type: "integer" },
      { name: "wait_s", type: "number" },
      { name: "transfers", type: "integer" },
      { name: "complaints", type: "integer" },
      { name: "web_before", type: "integer" },
      { name: "agent_resolved", type: "integer", nullable: true },
      { name: "effective", type: "integer" },
      { name: "ease", type: "number" },
      { name: "c_contacts", type: "number" },
      { name: "c_switches", type: "number" },
      { name: "c_wait", type: "number" },
      { name: "c_transfers", type: "number" },
      { name: "c_web", type: "number" },
      { name: "emotion", type: "number", nullable: true },
    ],
    key: ["customer_id", "reason", "grp"],
    customerColumn: "customer_id",
    reads: ["contacts", "web_events", "feedback"],
    build: (d) => jobTableSql(d, o),
  };
}

/** Every derived table kei keeps, for the given options (built after each ingest that stores rows). */
export function derivedTables(o: AnalysisOptions): DerivedTableSpec[] {
  return [jobsTable(o)];
}

/**
 * The jobs as a relation to select from (`FROM ${jobs} AS j`): the derived table when it is fresh (after
 * building it if needed), else the job grouping over the contacts as a subquery.
 */
export async function jobsRelation(store: Store, o: AnalysisOptions): Promise<Sql> {
  const spec = jobsTable(o);
  if (await store.derivedFresh(spec)) return raw("jobs");
  try {
    await store.refreshDerived([spec]);
    return raw("jobs");
  } catch (e) {
    if (e instanceof StoreBusyError) return sql`(${jobTableSql(store.dialect, o)})`;
    throw e;
  }
}
