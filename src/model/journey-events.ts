/**
 * Journey events, the model the stored journeys are read from: every contact as `channel:reason`, every web or
 * app session on a reason's pages as one `visit:web:reason` / `visit:app:reason` event at its first page (or, by
 * page group, one `visit:web:/mijn/meterstand` per session and group), every feedback as `feedback:source`. Visits
 * are named apart from contacts: `app:storing` is a contact through the app, `visit:app:storing` a visit.
 *
 * The `journey_events` derived table holds both ways of naming visits (`mode` 'reason' and 'group'; contacts and
 * feedback, the same in both, once with `mode` 'all'), each event with its customer (`e_customer`), reason
 * (`e_reason`, '' for feedback), time (`t`, epoch seconds), a unique `event_key` (`c:`, `w:` or `f:` and the id)
 * and `grp`: its case within the customer and reason, the KEI's job (1, 2, ...) or a self-service episode of visits
 * without a contact (-1, -2, ...); see journeyEventsBuildSql. Built once per data version and options.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import { type DerivedInputs, type DerivedTableSpec, WHOLE_INPUTS } from "../store/derived/derived-table.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { raw, type Sql, sql } from "../store/sql.js";
import { type Store, StoreBusyError } from "../store/store.js";
import { jobContactsSql } from "./job-table.js";
import { pageGroupSql } from "./page-group.js";

export type VisitNaming = "reason" | "group";

/**
 * The visits of one way of naming them, one row per session (and page group): e_customer, e_reason, activity, t,
 * event_key. The nullable columns of web_events are coalesced: ClickHouse 18.16 cannot group a UNION ALL whose
 * branches differ in nullability.
 */
function visitRowsSql(d: Dialect, a: AnalysisOptions, naming: VisitNaming, inputs: DerivedInputs): Sql {
  const visits =
    naming === "group"
      ? sql`SELECT customer_id, session_id, channel, coalesce(reason, '') AS w_reason, ${pageGroupSql(d, a)} AS w_key, ts, event_id
        FROM ${inputs.from("web_events")} WHERE customer_id IS NOT NULL`
      : sql`SELECT customer_id, session_id, channel, coalesce(reason, '') AS w_reason, coalesce(reason, '') AS w_key, ts, event_id
        FROM ${inputs.from("web_events")} WHERE customer_id IS NOT NULL AND reason IS NOT NULL`;
  return sql`SELECT ${naming} AS mode, coalesce(customer_id, '') AS e_customer, max(w_reason) AS e_reason,
      concat('visit:', channel, ':', w_key) AS activity, min(${d.epochSeconds(sql`ts`)}) AS t, concat('w:', min(event_id)) AS event_key
    FROM (${visits}) AS wv GROUP BY customer_id, session_id, channel, w_key`;
}

/**
 * The journey events with their case within customer and reason (`grp`):
 * - contacts (mode 'all': the same in both namings) keep the job the KEI gives them (jobContactsSql), so the
 *   journeys' job cases are exactly the KEI's jobs (`grp` 1, 2, ...);
 * - a visit joins the earliest job it comes before or during (from `webWindowHours` before the job's first contact
 *   to its last), else the earliest job it follows within the job window (a look at the site after the call);
 * - a visit that joins no job is self-service: such visits form episodes of their own, a pause longer than the job
 *   window starting the next, numbered -1, -2, ... (`grp` < 0), so they never merge or split the KEI's jobs;
 * - feedback (no reason) is grouped by customer alone, and stays out of job cases.
 */
export function journeyEventsBuildSql(
  d: Dialect,
  a: AnalysisOptions,
  inputs: DerivedInputs = WHOLE_INPUTS,
): Sql {
  const contacts = sql`SELECT 'all' AS mode, customer_id AS e_customer, reason AS e_reason, concat(channel, ':', reason) AS activity,
      t, concat('c:', contact_id) AS event_key, grp FROM (${jobContactsSql(d, a, inputs)}) AS jc`;
  const spans = sql`SELECT customer_id AS s_customer, reason AS s_reason, grp AS s_grp, min(t) AS s_first, max(t) AS s_last
    FROM (${jobContactsSql(d, a, inputs)}) AS jc GROUP BY customer_id, reason, grp`;
  const visits = sql`SELECT mode, e_customer, e_reason, activity, t, event_key FROM (${visitRowsSql(d, a, "reason", inputs)}) AS vr
    UNION ALL SELECT mode, e_customer, e_reason, activity, t, event_key FROM (${visitRowsSql(d, a, "group", inputs)}) AS vg`;
  // Before or during a job ranks 0, after it 1; among equals the earliest job. One number to take the minimum of.
  const before = a.webWindowHours * 3600;
  const after = a.jobWindowDays * 86400;
  const big = 1_000_000_000;
  const matches = sql`SELECT v_mode, v_key, min(CASE WHEN t >= s_first - ${before} AND t <= s_last THEN 0 ELSE ${big} END + s_grp) AS pick
    FROM (SELECT mode AS v_mode, event_key AS v_key, t, s_first, s_last, s_grp FROM (${visits}) AS v
      ${d.join("inner")} (${spans}) AS s ON e_customer = s_customer AND e_reason = s_reason) AS vs
    WHERE t >= s_first - ${before} AND t <= s_last + ${after}
    GROUP BY v_mode, v_key`;
  const linked = sql`SELECT mode, e_customer, e_reason, activity, t, event_key, coalesce(pick, 0) % ${big} AS job_grp
    FROM (${visits}) AS v ${d.join("left")} (${matches}) AS m ON mode = v_mode AND event_key = v_key`;
  const selfService = d.sequenceGroups({
    from: sql`SELECT mode, e_customer, e_reason, activity, t, event_key FROM (${linked}) AS l WHERE job_grp = 0`,
    partitionBy: ["mode", "e_customer", "e_reason"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    gapSeconds: after,
  });
  const feedback = d.sequenceGroups({
    from: sql`SELECT 'all' AS mode, coalesce(customer_id, '') AS e_customer, '' AS e_reason, concat('feedback:', source) AS activity,
        ${d.epochSeconds(sql`ts`)} AS t, concat('f:', feedback_id) AS event_key FROM ${inputs.from("feedback")} WHERE customer_id IS NOT NULL`,
    partitionBy: ["mode", "e_customer", "e_reason"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    gapSeconds: after,
  });
  return sql`SELECT mode, e_customer, e_reason, activity, t, event_key, grp FROM (${contacts}) AS c
    UNION ALL SELECT mode, e_customer, e_reason, activity, t, event_key, job_grp AS grp FROM (${linked}) AS l WHERE job_grp > 0
    UNION ALL SELECT mode, e_customer, e_reason, activity, t, event_key, 0 - grp AS grp FROM (${selfService}) AS ss
    UNION ALL SELECT mode, e_customer, e_reason, activity, t, event_key, grp FROM (${feedback}) AS fb`;
}

export function journeyEventsTable(a: AnalysisOptions): DerivedTableSpec {
  return {
    name: "journey_events",
    columns: [
      { name: "mode", type: "string" },
      { name: "e_customer", type: "string" },
      { name: "e_reason", type: "string" },
      { name: "activity", type: "string" },
      { name: "t", type: "integer" },
      { name: "event_key", type: "string" },
      { name: "grp", type: "integer" },
    ],
    key: ["mode", "e_customer", "e_reason", "t", "event_key"],
    customerColumn: "e_customer",
    reads: ["contacts", "web_events", "feedback"],
    build: (d, inputs) => journeyEventsBuildSql(d, a, inputs),
  };
}

/**
 * The journey events as a relation to select from: the derived table when fresh (built first if needed), else
 * the same events computed on the spot while another process writes to the store.
 */
export async function journeyEventsRelation(store: Store, a: AnalysisOptions): Promise<Sql> {
  const spec = journeyEventsTable(a);
  if (await store.derivedFresh(spec)) return raw("journey_events");
  try {
    await store.refreshDerived([spec]);
    return raw("journey_events");
  } catch (e) {
    if (e instanceof StoreBusyError) return sql`(${journeyEventsBuildSql(store.dialect, a)})`;
    throw e;
  }
}
