/**
 * The `jobs` derived table: one row per job (see job-table.ts for the definition and docs/methodology.md for
 * the formulas) with its customer's and reason's attributes, built once per data version with the analysis options in force, and read by the KEI,
 * `kei validate`, the fitted weights and `kei calibrate` instead of grouping the contacts into jobs again for
 * every query. Built after every ingest that stores rows; a command that finds it stale (another data version,
 * or other options) builds it first, and answers from the contacts directly while another process holds the
 * store's write lock, so an answer is never wrong, only slower.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import {
  type DerivedColumn,
  type DerivedInputs,
  type DerivedTableSpec,
  WHOLE_INPUTS,
} from "../store/derived/derived-table.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { raw, type Sql, sql } from "../store/sql.js";
import { type Store, StoreBusyError } from "../store/store.js";
import { jobTableSql } from "./job-table.js";
import { journeyEventsTable } from "./journey-events.js";

/** The facts of a job as job-table.ts computes them, in its column order. */
const JOB_FACTS: readonly DerivedColumn[] = [
  { name: "customer_id", type: "string" },
  { name: "reason", type: "string" },
  { name: "grp", type: "integer" },
  { name: "first_t", type: "integer" },
  { name: "last_t", type: "integer" },
  { name: "follow_up_end_t", type: "integer" },
  { name: "first_ts", type: "timestamp" },
  { name: "channel", type: "string", nullable: true },
  { name: "contacts", type: "integer" },
  { name: "inbound_contacts", type: "integer" },
  { name: "channels", type: "integer" },
  { name: "escalated", type: "integer" },
  { name: "complaint", type: "integer" },
  { name: "switches", type: "integer" },
  { name: "reworks", type: "integer" },
  { name: "wait_s", type: "number" },
  { name: "wait_norms", type: "number" },
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
  { name: "emotion_feedback", type: "number", nullable: true },
  { name: "feedback_signals", type: "integer" },
  { name: "complaint_signals", type: "integer" },
];

export function jobsTable(o: AnalysisOptions): DerivedTableSpec {
  return {
    name: "jobs",
    columns: [
      ...JOB_FACTS,
      // The customer's and the reason's attributes, so that cuts need no join.
      { name: "segment", type: "string", nullable: true },
      { name: "product", type: "string", nullable: true },
      { name: "end_date", type: "date", nullable: true },
      { name: "lifecycle_stage", type: "string", nullable: true },
      // The day, month and quarter of the first contact in the configured time zone.
      { name: "first_day", type: "date" },
      { name: "first_month", type: "date" },
      { name: "first_quarter", type: "date" },
    ],
    key: ["customer_id", "reason", "grp"],
    customerColumn: "customer_id",
    reads: ["contacts", "web_events", "feedback", "customers", "reasons"],
    build: (d, inputs) => jobFactsSql(d, o, inputs),
  };
}

const JOB_COLUMNS = JOB_FACTS.map((c) => c.name).join(", ");

/**
 * The jobs with their customer's segment, product and end date, their reason's lifecycle stage, and the day,
 * month and quarter of their first contact in the configured time zone.
 */
export function jobFactsSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs = WHOLE_INPUTS): Sql {
  const cols = raw(JOB_COLUMNS);
  // One join per SELECT (ClickHouse 18.16): the customer first, then the reason.
  const withCustomer = sql`SELECT ${cols}, segment, product, end_date FROM (${jobTableSql(d, o, inputs)}) AS j
    ${d.join("left")} (SELECT customer_id AS c_customer, segment, product, end_date FROM ${inputs.from("customers")}) AS c
      ON customer_id = c_customer`;
  const zone = o.timeZone;
  return sql`SELECT ${cols}, segment, product, end_date, lifecycle_stage,
      ${d.periodStart("day", sql`first_ts`, zone)} AS first_day, ${d.periodStart("month", sql`first_ts`, zone)} AS first_month,
      ${d.periodStart("quarter", sql`first_ts`, zone)} AS first_quarter
    FROM (${withCustomer}) AS jc
    ${d.join("left")} (SELECT reason AS r_reason, lifecycle_stage FROM ${inputs.from("reasons")}) AS r ON reason = r_reason`;
}

/** Every derived table kei keeps, for the given options (built after each ingest that stores rows). */
export function derivedTables(o: AnalysisOptions): DerivedTableSpec[] {
  return [jobsTable(o), journeyEventsTable(o)];
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
    if (e instanceof StoreBusyError) return sql`(${jobFactsSql(store.dialect, o)})`;
    throw e;
  }
}
