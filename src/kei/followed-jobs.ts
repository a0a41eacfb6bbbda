/**
 * The jobs whose outcome can be judged: with 90 days of follow-up inside the data, and not on a reason of the
 * `leaving` lifecycle stage (a cancellation call comes before leaving by definition). Each with whether the
 * customer left within those 90 days. Shared by `kei validate` and the fitted weights, so both judge the same jobs.
 */

import type { AnalysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";

export const FOLLOW_UP_DAYS = 90;

/** 1 when `end_date` falls in the 90 days after the date `day`, else 0. */
export function leftWithin(store: Store, day: Sql): Sql {
  const gap = store.dialect.daysBetween(day, sql`end_date`);
  return sql`CASE WHEN end_date IS NOT NULL AND ${gap} > 0 AND ${gap} <= ${FOLLOW_UP_DAYS} THEN 1 ELSE 0 END`;
}

/** The last day with contacts, and the last day from which 90 days of follow-up lie inside the data. */
export async function followUpCutoff(
  store: Store,
  o: AnalysisOptions,
): Promise<{ dataEnd: string | null; cutoff: string | null }> {
  const rows = await store.query<{ last_day: string | null }>(
    sql`SELECT max(${store.dialect.periodStart("day", sql`ts`, o.timeZone)}) AS last_day FROM contacts`,
  );
  const dataEnd = rows[0]?.last_day ?? null;
  const cutoff = dataEnd
    ? new Date(Date.parse(dataEnd) - FOLLOW_UP_DAYS * 86400_000).toISOString().slice(0, 10)
    : null;
  return { dataEnd, cutoff };
}

/** Rows: effective (0/1), ease, emotion (or NULL), left_flag (0/1). */
/** `jobs`: the jobs relation (`jobsRelation`), whose `first_day` is in the configured time zone. */
export function followedJobsSql(store: Store, cutoff: string, jobs: Sql): Sql {
  return sql`SELECT effective, ease, emotion, ${leftWithin(store, sql`first_day`)} AS left_flag FROM (
      SELECT effective, ease, emotion, first_day, end_date, lifecycle_stage FROM ${jobs} AS j
    ) AS jl WHERE first_day <= ${cutoff} AND coalesce(lifecycle_stage, '') <> 'leaving'`;
}
