/**
 * Channel switching and loops per contact reason, over the KEI's jobs (a customer's contacts on one reason within
 * the job window): how often customers switch channel within a job, ping-pong (a job that returns to a channel it
 * had already left), rework loops (a repeat contact on the same channel), and the time from a job's first to its
 * last contact. Switches and rework count the customer's own (inbound) contacts, as Ease does. Read from the jobs
 * table in the database.
 */
import { jobsRelation } from "../model/jobs-table.js";
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
  // The KEI's jobs as stored: the same jobs, so the same counts per reason as `kei index --by reason`.
  const jobs = await jobsRelation(store, o);
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT reason AS j_reason, ${d.count()} AS n_jobs, avg(switches) AS mean_switches,
        avg(CASE WHEN switches > 0 THEN 1.0 ELSE 0.0 END) AS share_switch,
        avg(CASE WHEN switches >= 2 AND channels <= switches THEN 1.0 ELSE 0.0 END) AS share_ping_pong,
        avg(CASE WHEN reworks > 0 THEN 1.0 ELSE 0.0 END) AS share_rework,
        ${d.quantile(0.5, sql`CASE WHEN contacts > 1 THEN last_t - first_t END`)} AS median_span
      FROM ${jobs} AS j GROUP BY reason ORDER BY reason`,
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
