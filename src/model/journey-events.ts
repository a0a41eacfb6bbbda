/**
 * Journey events, the model the stored journeys are read from: every contact as `channel:reason`, every web or
 * app session on a reason's pages as one `visit:web:reason` / `visit:app:reason` event at its first page (or, by
 * page group, one `visit:web:/mijn/meterstand` per session and group), every feedback as `feedback:source`. Visits
 * are named apart from contacts: `app:storing` is a contact through the app, `visit:app:storing` a visit.
 *
 * The `journey_events` derived table holds both ways of naming visits (`mode` 'reason' and 'group'), each event
 * with its customer (`e_customer`), reason (`e_reason`, '' for feedback), time (`t`, epoch seconds), a unique
 * `event_key` (`c:`, `w:` or `f:` and the id) and `grp`: its job within the customer and reason (a pause longer
 * than the job window starts the next, as for the KEI's jobs). Built once per data version and options.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import type { DerivedTableSpec } from "../store/derived/derived-table.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { raw, type Sql, sql } from "../store/sql.js";
import { type Store, StoreBusyError } from "../store/store.js";
import { pageGroupSql } from "./page-group.js";

export type VisitNaming = "reason" | "group";

/**
 * The events of one way of naming visits: e_customer, e_reason, activity, t, event_key. The nullable columns of
 * web_events and feedback are coalesced: ClickHouse 18.16 cannot group a UNION ALL whose branches differ in
 * nullability.
 */
export function journeyEventRowsSql(d: Dialect, a: AnalysisOptions, naming: VisitNaming): Sql {
  const visits =
    naming === "group"
      ? sql`SELECT customer_id, session_id, channel, coalesce(reason, '') AS w_reason, ${pageGroupSql(d, a)} AS w_key, ts, event_id
        FROM web_events WHERE customer_id IS NOT NULL`
      : sql`SELECT customer_id, session_id, channel, coalesce(reason, '') AS w_reason, coalesce(reason, '') AS w_key, ts, event_id
        FROM web_events WHERE customer_id IS NOT NULL AND reason IS NOT NULL`;
  return sql`SELECT customer_id AS e_customer, reason AS e_reason, concat(channel, ':', reason) AS activity,
        ${d.epochSeconds(sql`ts`)} AS t, concat('c:', contact_id) AS event_key FROM contacts
    UNION ALL
    SELECT coalesce(customer_id, '') AS e_customer, max(w_reason) AS e_reason, concat('visit:', channel, ':', w_key) AS activity,
        min(${d.epochSeconds(sql`ts`)}) AS t, concat('w:', min(event_id)) AS event_key
      FROM (${visits}) AS wv GROUP BY customer_id, session_id, channel, w_key
    UNION ALL
    SELECT coalesce(customer_id, '') AS e_customer, '' AS e_reason, concat('feedback:', source) AS activity,
        ${d.epochSeconds(sql`ts`)} AS t, concat('f:', feedback_id) AS event_key FROM feedback WHERE customer_id IS NOT NULL`;
}

/** Both namings' events with their job number `grp` within (mode, customer, reason). */
export function journeyEventsBuildSql(d: Dialect, a: AnalysisOptions): Sql {
  const both = sql`SELECT 'reason' AS mode, e_customer, e_reason, activity, t, event_key FROM (${journeyEventRowsSql(d, a, "reason")}) AS r
    UNION ALL
    SELECT 'group' AS mode, e_customer, e_reason, activity, t, event_key FROM (${journeyEventRowsSql(d, a, "group")}) AS g`;
  const grouped = d.sequenceGroups({
    from: both,
    partitionBy: ["mode", "e_customer", "e_reason"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    gapSeconds: a.jobWindowDays * 86400,
  });
  return sql`SELECT mode, e_customer, e_reason, activity, t, event_key, grp FROM (${grouped}) AS je`;
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
    build: (d) => journeyEventsBuildSql(d, a),
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
