/**
 * The jobs whose outcome can be judged, shared by `kei validate` and the fitted weights so both judge the same
 * jobs: jobs the data can judge (not censored, see data-coverage.ts), not on a reason of the `leaving` lifecycle
 * stage (a cancellation call comes before leaving by definition), and with 90 days of follow-up in which
 * leaving could have been recorded. Each with whether the customer left within those 90 days.
 *
 * Until when can leaving be observed? A customer's end date is recorded when they leave, so the data shows
 * every departure up to the day it was extracted, and none after. That day is not in the data, but it is no
 * earlier than the latest day the data records anything as having happened: the latest contact, feedback
 * answer or web/app event, or end date (`customers.end_date` is the day the customer left, a past day). That
 * latest day is `observedUntil`; a job is followed up when its first day is at most 90 days before it. Using
 * the last contact instead would cut follow-up short where end dates run on after the contacts; using a day
 * past the latest record would count leavers not yet recorded as staying.
 */

import type { AnalysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, type DataCoverage } from "./data-coverage.js";

export const FOLLOW_UP_DAYS = 90;

/** How units count: each the same, or by their customer's `customers.annual_value_eur` (missing counts 0). */
export type ValidationWeight = "count" | "value";
export const VALIDATION_WEIGHTS: readonly ValidationWeight[] = ["count", "value"];

/** 1 when `end_date` falls in the 90 days after the date `day`, else 0. */
export function leftWithin(store: Store, day: Sql): Sql {
  const gap = store.dialect.daysBetween(day, sql`end_date`);
  return sql`CASE WHEN end_date IS NOT NULL AND ${gap} > 0 AND ${gap} <= ${FOLLOW_UP_DAYS} THEN 1 ELSE 0 END`;
}

export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface FollowUp {
  /** Last day with a contact (YYYY-MM-DD, configured zone); null without contacts. */
  readonly dataEnd: string | null;
  /** Last day on which leaving can be observed: the latest contact, answer, web event or end date. */
  readonly observedUntil: string | null;
  /** Last day a job or answer may start and still have 90 days of follow-up: observedUntil - 90 days. */
  readonly cutoff: string | null;
}

/** The last contact, the last day leaving can be observed, and the last day whose follow-up lies inside it. */
export async function followUpCutoff(store: Store, o: AnalysisOptions): Promise<FollowUp> {
  const d = store.dialect;
  const lastDay = async (q: Sql): Promise<string | null> => {
    const v = (await store.query<{ last_day: unknown }>(q))[0]?.last_day;
    // ClickHouse answers the max of no rows with its zero date; no real day is that early.
    const day = v === null || v === undefined ? null : String(v).slice(0, 10);
    return day && day > "1970-01-01" ? day : null;
  };
  const dayOf = d.periodStart("day", sql`ts`, o.timeZone);
  const dataEnd = await lastDay(sql`SELECT max(${dayOf}) AS last_day FROM contacts`);
  if (!dataEnd) return { dataEnd: null, observedUntil: null, cutoff: null };
  const others = [
    await lastDay(sql`SELECT max(${dayOf}) AS last_day FROM feedback`),
    await lastDay(sql`SELECT max(${dayOf}) AS last_day FROM web_events`),
    await lastDay(sql`SELECT max(end_date) AS last_day FROM customers WHERE end_date IS NOT NULL`),
  ];
  const observedUntil = others.reduce<string>((a, x) => (x !== null && x > a ? x : a), dataEnd);
  return { dataEnd, observedUntil, cutoff: addDays(observedUntil, -FOLLOW_UP_DAYS) };
}

/** The weight of a unit: 1, or its customer's annual value (0 when missing); reads `annual_value_eur`. */
export function weightSql(weight: ValidationWeight): Sql {
  return weight === "value" ? sql`coalesce(annual_value_eur, 0)` : sql`1.0`;
}

/**
 * Rows: u_customer, effective (0/1), ease, emotion (or NULL), left_flag (0/1), w (the unit weight), first_day,
 * first_month and first_t (epoch seconds of the first contact). `jobs`: the jobs relation (`jobsRelation`),
 * whose `first_day` is in the configured time zone.
 */
export function followedJobsSql(
  store: Store,
  o: AnalysisOptions,
  f: { cutoff: string; jobs: Sql; coverage: DataCoverage; weight: ValidationWeight },
): Sql {
  const d = store.dialect;
  const judged = sql`SELECT customer_id AS u_customer, effective, ease, emotion, first_day, first_month, first_t, end_date
    FROM ${f.jobs} AS j
    WHERE first_day <= ${f.cutoff} AND coalesce(lifecycle_stage, '') <> 'leaving' AND ${censoredSql(f.coverage, o)} = 0`;
  const valued =
    f.weight === "value"
      ? sql`SELECT u_customer, effective, ease, emotion, first_day, first_month, first_t, end_date, annual_value_eur
          FROM (${judged}) AS jj
          ${d.join("left")} (SELECT customer_id AS v_customer, annual_value_eur FROM customers) AS v ON u_customer = v_customer`
      : judged;
  return sql`SELECT u_customer, effective, ease, emotion, first_day, first_month, first_t,
      ${leftWithin(store, sql`first_day`)} AS left_flag, ${weightSql(f.weight)} AS w
    FROM (${valued}) AS jl`;
}
