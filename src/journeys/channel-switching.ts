/**
 * Channel switching and loops per contact reason, over the KEI's jobs (a customer's contacts on one reason within
 * the job window): how often customers switch channel within a job, ping-pong (a job that returns to a channel it
 * had already left), rework loops (a repeat contact on the same channel), and the time from a job's first to its
 * last contact. Computed in the database.
 */
import { jobContactsSql } from "../model/job-table.js";
import { type AnalysisOverrides, analysisOptions } from "../options/analysis-options.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";

export interface ChannelSwitching {
  readonly reason: string;
  readonly jobs: number;
  /** Mean channel switches per job. */
  readonly switchesPerJob: number;
  /** Shares of jobs (0-1). */
  readonly withSwitch: number;
  readonly pingPong: number;
  readonly rework: number;
  /** Median hours from first to last contact, over jobs with more than one contact (null without any). */
  readonly medianHoursToResolution: number | null;
}

export async function channelSwitching(
  store: Store,
  options: AnalysisOverrides = {},
): Promise<ChannelSwitching[]> {
  const o = analysisOptions(options);
  const d = store.dialect;
  const perJob = sql`SELECT reason AS j_reason, ${d.count()} AS n_contacts,
      sum(CASE WHEN starts_group = 0 AND prev_channel <> channel THEN 1 ELSE 0 END) AS n_switches,
      sum(CASE WHEN starts_group = 0 AND prev_channel = channel THEN 1 ELSE 0 END) AS n_rework,
      ${d.countDistinct(sql`channel`)} AS n_channels, max(t) - min(t) AS span_s
    FROM (${jobContactsSql(d, o)}) AS jc GROUP BY customer_id, reason, grp`;
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT j_reason, ${d.count()} AS n_jobs, avg(n_switches) AS mean_switches,
        avg(CASE WHEN n_switches > 0 THEN 1.0 ELSE 0.0 END) AS share_switch,
        avg(CASE WHEN n_switches >= 2 AND n_channels <= n_switches THEN 1.0 ELSE 0.0 END) AS share_ping_pong,
        avg(CASE WHEN n_rework > 0 THEN 1.0 ELSE 0.0 END) AS share_rework,
        ${d.quantile(0.5, sql`CASE WHEN n_contacts > 1 THEN span_s END`)} AS median_span
      FROM (${perJob}) AS pj GROUP BY j_reason ORDER BY j_reason`,
  );
  return rows.map((r) => ({
    reason: String(r.j_reason),
    jobs: Number(r.n_jobs),
    switchesPerJob: Number(r.mean_switches),
    withSwitch: Number(r.share_switch),
    pingPong: Number(r.share_ping_pong),
    rework: Number(r.share_rework),
    medianHoursToResolution: r.median_span === null ? null : Number(r.median_span) / 3600,
  }));
}
