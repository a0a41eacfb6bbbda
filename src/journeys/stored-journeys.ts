/**
 * Customer journeys from the stored data, as an event log per customer: contacts as `channel:reason`,
 * web and app sessions on a reason's pages as `web:reason` / `app:reason` (one event per session and reason,
 * at its first page), feedback as `feedback:source`. Events are ordered by time, ties by their id.
 * The directly-follows graph is computed in the database with the dialect's sequence method, so it scales and
 * runs the same on DuckDB and ClickHouse.
 */

import { registerIdentifiers, type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Dfg, Variant } from "./discover-dfg.js";
import { buildLog, type EventLog } from "./event-log.js";

registerIdentifiers(["case_id", "activity", "t", "event_key", "prev_activity", "starts_group", "grp"]);

/** The journey events: case_id (customer), activity, t (epoch seconds), event_key (a unique id for ties). */
export function journeyEventsSql(store: Store): Sql {
  const d = store.dialect;
  return sql`SELECT customer_id AS case_id, concat(channel, ':', reason) AS activity, ${d.epochSeconds(sql`ts`)} AS t,
        concat('c:', contact_id) AS event_key FROM contacts
    UNION ALL
    SELECT customer_id AS case_id, concat(channel, ':', reason) AS activity, min(${d.epochSeconds(sql`ts`)}) AS t,
        concat('w:', min(event_id)) AS event_key
      FROM web_events WHERE customer_id IS NOT NULL AND reason IS NOT NULL GROUP BY customer_id, session_id, channel, reason
    UNION ALL
    SELECT customer_id AS case_id, concat('feedback:', source) AS activity, ${d.epochSeconds(sql`ts`)} AS t,
        concat('f:', feedback_id) AS event_key FROM feedback WHERE customer_id IS NOT NULL`;
}

function sequenced(store: Store): Sql {
  return store.dialect.sequenceGroups({
    previousTime: true,
    from: journeyEventsSql(store),
    partitionBy: ["case_id"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    previous: ["activity"],
    // One group per case: no gap splits a journey.
    gapSeconds: 1e12,
  });
}

export async function storedDfg(store: Store): Promise<Dfg> {
  const d = store.dialect;
  const edges = await store.query<{ a_from: string; a_to: string; n: number; med: number }>(
    sql`SELECT prev_activity AS a_from, activity AS a_to, ${d.count()} AS n, ${d.quantile(0.5, sql`gap_s`)} AS med FROM (
        SELECT prev_activity, activity, t - prev_t AS gap_s FROM (${sequenced(store)}) AS s2 WHERE starts_group = 0
      ) AS pairs GROUP BY prev_activity, activity ORDER BY n DESC, a_from, a_to`,
  );
  const starts = await store.query<{ activity: string; n: number }>(
    sql`SELECT activity, ${d.count()} AS n FROM (${sequenced(store)}) AS s WHERE starts_group = 1 GROUP BY activity`,
  );
  const start: Record<string, number> = {};
  for (const s of starts) start[s.activity] = Number(s.n);
  // Every event is a start or has an incoming edge, and is an end or has an outgoing one:
  // so end(a) = start(a) + in(a) - out(a), exactly.
  const balance = new Map<string, number>(Object.entries(start));
  for (const e of edges) {
    balance.set(e.a_to, (balance.get(e.a_to) ?? 0) + Number(e.n));
    balance.set(e.a_from, (balance.get(e.a_from) ?? 0) - Number(e.n));
  }
  const end: Record<string, number> = {};
  for (const [a, n] of balance) if (n > 0) end[a] = n;
  return {
    edges: edges.map((e) => ({
      from: e.a_from,
      to: e.a_to,
      count: Number(e.n),
      medianSeconds: Number(e.med),
    })),
    start,
    end,
  };
}

/** Variants of the stored journeys, counted in the database: most frequent first, ties by sequence. */
export async function storedVariants(store: Store): Promise<Variant[]> {
  const d = store.dialect;
  const rows = await store.query<{ variant: string[]; n: number }>(
    sql`SELECT variant, ${d.count()} AS n FROM (
        SELECT case_id, ${d.orderedArray(sql`activity`, sql`t`, sql`event_key`)} AS variant
        FROM (${journeyEventsSql(store)}) AS e GROUP BY case_id
      ) AS v GROUP BY variant`,
  );
  return rows
    .map((r) => ({ variant: [...r.variant].map(String), count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.variant.join("\u0000").localeCompare(b.variant.join("\u0000")));
}

/** The stored journeys as an event log, for export (XES, CSV) and for checks. */
export async function storedJourneyLog(store: Store): Promise<EventLog> {
  const rows = await store.query<{ case_id: string; activity: string; t: number; event_key: string }>(
    sql`SELECT case_id, activity, t, event_key FROM (${journeyEventsSql(store)}) AS e ORDER BY case_id, t, event_key`,
  );
  return buildLog(
    rows.map((r) => ({ caseId: r.case_id, event: { activity: r.activity, time: Number(r.t) * 1000 } })),
  );
}
