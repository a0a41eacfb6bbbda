/**
 * What the data covers, for censoring: a job needs one job window of data after its last contact to show a
 * repeat (right-censored when its follow-up ends after the last contact in the data), and one job window
 * before its first contact to be sure it is not the continuation of a job that began before the data
 * (left-censored when it starts within a window of the first contact). A period (month, quarter) is
 * **partial** when it reaches outside the days whose jobs can be judged (or, in kei index, holds a censored
 * job): from the first day with a full window of data before it to the last day with a full window after it.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import { raw, type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";

export interface DataCoverage {
  /** First and last contact (epoch seconds); null without contacts. */
  readonly firstT: number | null;
  readonly lastT: number | null;
  /** First and last day whose jobs can be judged (YYYY-MM-DD, configured zone); null when none can. */
  readonly firstCompleteDay: string | null;
  readonly lastCompleteDay: string | null;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function dataCoverage(store: Store, o: AnalysisOptions): Promise<DataCoverage> {
  const d = store.dialect;
  const rows = await store.query<{
    first_t: number | null;
    last_t: number | null;
    first_day: string | null;
    last_day: string | null;
  }>(
    // The first and last contact first, then their days: the zone's calendar for two values, not every row.
    sql`SELECT ${d.epochSeconds(sql`first_ts`)} AS first_t, ${d.epochSeconds(sql`last_ts`)} AS last_t,
        ${d.periodStart("day", sql`first_ts`, o.timeZone)} AS first_day, ${d.periodStart("day", sql`last_ts`, o.timeZone)} AS last_day
      FROM (SELECT min(ts) AS first_ts, max(ts) AS last_ts FROM contacts) AS span WHERE first_ts IS NOT NULL`,
  );
  const r = rows[0];
  if (!r || r.first_t === null || r.last_t === null || !r.first_day || !r.last_day) {
    return { firstT: null, lastT: null, firstCompleteDay: null, lastCompleteDay: null };
  }
  // Whole days: the first day after a full window, the last day before one (a partial day counts as outside).
  const windowDays = Math.ceil(o.jobWindowDays);
  const firstComplete = addDays(String(r.first_day), windowDays + 1);
  const lastComplete = addDays(String(r.last_day), -(windowDays + 1));
  const none = firstComplete > lastComplete;
  return {
    firstT: Number(r.first_t),
    lastT: Number(r.last_t),
    firstCompleteDay: none ? null : firstComplete,
    lastCompleteDay: none ? null : lastComplete,
  };
}

/** 1 for a job the data cannot judge (left- or right-censored), else 0; reads first_t and follow_up_end_t. */
export function censoredSql(c: DataCoverage, o: AnalysisOptions): Sql {
  if (c.firstT === null || c.lastT === null) return raw("0");
  const window = o.jobWindowDays * 86_400;
  return sql`CASE WHEN follow_up_end_t > ${c.lastT} OR first_t < ${c.firstT + window} THEN 1 ELSE 0 END`;
}

/** True when the month or quarter starting on `start` reaches outside the days whose jobs can be judged. */
export function periodPartial(grain: "month" | "quarter", start: string, c: DataCoverage): boolean {
  if (c.firstCompleteDay === null || c.lastCompleteDay === null) return true;
  const [y, m] = start.split("-").map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1 + (grain === "month" ? 1 : 3), 0)).toISOString().slice(0, 10);
  return start < c.firstCompleteDay || end > c.lastCompleteDay;
}
