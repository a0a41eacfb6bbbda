/**
 * Customer journeys from the stored data, as an event log, read from the `journey_events` derived table
 * (src/model/journey-events.ts: contacts as `channel:reason`, visits as `visit:web:reason` or by page group,
 * feedback as `feedback:source`). Events are ordered by time, ties by their id. A case is a customer (the whole
 * history) or a job: a customer's contacts and sessions on one reason where no pause exceeds the job window
 * (feedback has no reason and stays out of job cases). The frequency filters (activities, variants) run in the
 * database too. Everything is computed with dialect methods, so it runs the same on DuckDB and ClickHouse.
 */

import { journeyEventsRelation } from "../model/journey-events.js";
import { type AnalysisOverrides, analysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { assertShare, coverageThreshold } from "./coverage.js";
import { compareText, type Dfg, sortVariants, type Variant } from "./discover-dfg.js";
import { buildLog, type EventLog } from "./event-log.js";

export interface JourneyOptions {
  /** One case per customer (default) or per job. */
  readonly cases?: "customer" | "job" | undefined;
  /** Only the events on this contact reason. */
  readonly reason?: string | undefined;
  /** Visits as `visit:web:reason` (default) or as `visit:web:page group`, one event per session and group. */
  readonly webActivity?: "reason" | "group" | undefined;
  /**
   * The analysis options these journeys read: `jobWindowDays` (job cases: a longer pause starts a new job, as
   * for the KEI's jobs), `pageGroupDepth` and `pageGroups` (visits by page group). Defaults: src/options.
   */
  readonly options?: AnalysisOverrides | undefined;
  /** Keep the most frequent activities that together hold at least this share of the events (0-1]. */
  readonly activityCoverage?: number | undefined;
  /** Then keep the cases of the most frequent variants that cover at least this share of the cases (0-1]. */
  readonly variantCoverage?: number | undefined;
}

/**
 * The journey events, before frequency filters: case_id, e_reason, activity, t (epoch seconds), event_key, grp
 * (the case within customer and reason: the KEI's job 1, 2, ..., or a self-service episode -1, -2, ...). Read from
 * the `journey_events` derived table (src/model/journey-events.ts), where every event already has its case.
 */
export async function journeyEventsSql(store: Store, o: JourneyOptions = {}): Promise<Sql> {
  const d = store.dialect;
  const a = analysisOptions(o.options);
  const events = await journeyEventsRelation(store, a);
  const mode = o.webActivity === "group" ? "group" : "reason";
  const onReason =
    o.reason !== undefined
      ? sql` AND e_reason = ${o.reason}`
      : o.cases === "job"
        ? sql` AND e_reason <> ''`
        : sql``;
  const caseId =
    o.cases === "job" ? sql`concat(e_customer, '|', e_reason, '|', ${d.toText(sql`grp`)})` : sql`e_customer`;
  // Contacts and feedback are stored once (mode 'all'); visits once per way of naming them.
  return sql`SELECT ${caseId} AS case_id, e_reason, activity, t, event_key, grp FROM ${events} AS je
    WHERE mode IN (${mode}, 'all')${onReason}`;
}

function variantsOfSql(store: Store, events: Sql): Sql {
  const d = store.dialect;
  return d.sequenceArrays({
    from: events,
    partitionBy: ["case_id"],
    time: "t",
    id: "event_key",
    value: "activity",
    into: "variant",
  });
}

/** The journey events after the frequency filters of `o`, as SQL (thresholds are counted first). */
export async function filteredEventsSql(store: Store, o: JourneyOptions = {}): Promise<Sql> {
  assertShare("the activity coverage", o.activityCoverage);
  assertShare("the variant coverage", o.variantCoverage);
  const d = store.dialect;
  let events = await journeyEventsSql(store, o);
  if (o.activityCoverage !== undefined && o.activityCoverage < 1) {
    const counts = await store.query<{ n: number }>(
      sql`SELECT activity, ${d.count()} AS n FROM (${events}) AS ea GROUP BY activity`,
    );
    const min = coverageThreshold(
      counts.map((c) => Number(c.n)),
      o.activityCoverage,
    );
    const all = events;
    events = sql`SELECT case_id, e_reason, activity, t, event_key FROM (${all}) AS fa WHERE activity IN (
        SELECT activity FROM (${all}) AS fb GROUP BY activity HAVING ${d.count()} >= ${min})`;
  }
  if (o.variantCoverage !== undefined && o.variantCoverage < 1) {
    const counts = await store.query<{ n: number }>(
      sql`SELECT variant, ${d.count()} AS n FROM (${variantsOfSql(store, events)}) AS vc GROUP BY variant`,
    );
    const min = coverageThreshold(
      counts.map((c) => Number(c.n)),
      o.variantCoverage,
    );
    const all = events;
    const counted = d.withGroupCount({
      from: variantsOfSql(store, all),
      groupBy: "variant",
      carry: ["case_id"],
      into: "variant_n",
    });
    events = sql`SELECT case_id, e_reason, activity, t, event_key FROM (${all}) AS fv WHERE case_id IN (
        SELECT case_id FROM (${counted}) AS vk WHERE variant_n >= ${min})`;
  }
  return events;
}

function sequenced(store: Store, events: Sql): Sql {
  return store.dialect.sequenceGroups({
    previousTime: true,
    from: events,
    partitionBy: ["case_id"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    previous: ["activity"],
    // One group per case: no gap splits a journey.
    gapSeconds: 1e12,
  });
}

/**
 * How many sequences end in each activity, from the counts of starts (rows from '') and of pairs. Every event is a
 * start or has an incoming pair, and is an end or has an outgoing one: so end(a) = start(a) + in(a) - out(a),
 * exactly, with no second pass over the events.
 */
export function endCounts(rows: readonly { a_from: string; a_to: string; n: number }[]): Map<string, number> {
  const balance = new Map<string, number>();
  for (const r of rows) {
    balance.set(r.a_to, (balance.get(r.a_to) ?? 0) + Number(r.n));
    if (r.a_from !== "") balance.set(r.a_from, (balance.get(r.a_from) ?? 0) - Number(r.n));
  }
  for (const [a, n] of balance) if (n <= 0) balance.delete(a);
  return balance;
}

export async function storedDfg(store: Store, o: JourneyOptions = {}): Promise<Dfg> {
  const d = store.dialect;
  const events = await filteredEventsSql(store, o);
  // One pass: a case's first event is a start (from ''), every other one an edge from its predecessor.
  const rows = await store.query<{
    a_from: string;
    a_to: string;
    n: number;
    med: number;
    p90: number;
    total_s: number;
  }>(
    sql`SELECT a_from, activity AS a_to, ${d.count()} AS n, ${d.quantile(0.5, sql`gap_s`)} AS med,
        ${d.quantile(0.9, sql`gap_s`)} AS p90, sum(gap_s) AS total_s FROM (
        SELECT CASE WHEN starts_group = 1 THEN '' ELSE prev_activity END AS a_from, activity, t - prev_t AS gap_s
        FROM (${sequenced(store, events)}) AS s2
      ) AS pairs GROUP BY a_from, activity`,
  );
  const starts = rows.filter((r) => r.a_from === "").map((r) => ({ activity: r.a_to, n: r.n }));
  const edges = rows
    .filter((r) => r.a_from !== "")
    .sort(
      (a, b) => Number(b.n) - Number(a.n) || compareText(a.a_from, b.a_from) || compareText(a.a_to, b.a_to),
    );
  const start: Record<string, number> = {};
  for (const s of starts) start[s.activity] = Number(s.n);
  const end = Object.fromEntries(endCounts(rows));
  return {
    edges: edges.map((e) => ({
      from: e.a_from,
      to: e.a_to,
      count: Number(e.n),
      medianSeconds: Number(e.med),
      // Whole seconds summed exactly in the database, divided here: the same mean on every engine.
      meanSeconds: Number(e.total_s) / Number(e.n),
      p90Seconds: Number(e.p90),
    })),
    start,
    end,
  };
}

/** Variants of the stored journeys, counted in the database: most frequent first, ties by sequence. */
export async function storedVariants(store: Store, o: JourneyOptions = {}): Promise<Variant[]> {
  const d = store.dialect;
  const events = await filteredEventsSql(store, o);
  const rows = await store.query<{ variant: string[]; n: number }>(
    sql`SELECT variant, ${d.count()} AS n FROM (${variantsOfSql(store, events)}) AS v GROUP BY variant`,
  );
  return sortVariants(rows.map((r) => ({ variant: [...r.variant].map(String), count: Number(r.n) })));
}

const SOURCES: Record<string, string> = { c: "contact", w: "visit", f: "feedback" };

/**
 * The stored journeys as an event log, for export (XES, CSV) and for checks. Each event keeps where it came from:
 * `kei:source` (contact, visit or feedback), `kei:id` (the contact, first web event or feedback id), `channel`
 * and, where it has one, `reason`. No free text leaves the store this way.
 */
export async function storedJourneyLog(store: Store, o: JourneyOptions = {}): Promise<EventLog> {
  const events = await filteredEventsSql(store, o);
  const rows = await store.query<{
    case_id: string;
    activity: string;
    t: number;
    event_key: string;
    e_reason: string;
  }>(
    sql`SELECT case_id, activity, t, event_key, e_reason FROM (${events}) AS e ORDER BY case_id, t, event_key`,
  );
  return buildLog(
    rows.map((r) => {
      const attributes: Record<string, string> = {
        "kei:source": SOURCES[r.event_key.slice(0, 1)] ?? "event",
        "kei:id": r.event_key.slice(2),
        channel: channelOf(r.activity),
      };
      if (r.e_reason) attributes.reason = r.e_reason;
      return { caseId: r.case_id, event: { activity: r.activity, time: Number(r.t) * 1000, attributes } };
    }),
  );
}

/** The channel of an activity: `phone` of `phone:storing`, `web` of `visit:web:storing`. */
function channelOf(activity: string): string {
  const rest = activity.startsWith("visit:") ? activity.slice(6) : activity;
  return rest.slice(0, rest.indexOf(":"));
}
