/**
 * The KEI against NPS on the same customers at the same moments, so that neither wins by measuring other
 * customers or other times. The unit is an NPS answer (followed up, see churn-answers.ts) of a customer who also
 * had a followed job (followed-jobs.ts) in the LOOKBACK_DAYS up to and including the answer's day. For each unit:
 * - its NPS: the answer's score; flagged when a detractor (0-6);
 * - its KEI: the mean job KEI of those jobs (job KEI = the weighted mean of 100 x effective, ease and emotion
 *   where present, with the configured weights); flagged when at most the KEI's p-quantile, p being the share of
 *   detractors among the units, so that both measures flag (nearly, ties aside) an equal share of the units;
 * - the outcome: the customer left within 90 days after the answer's day (the same window for both).
 * Each measure's relative risk (flagged against not flagged) has an interval clustered by customer
 * (validate-relative-risk.ts), and so has their ratio RR_KEI / RR_NPS: log ratio = log RR_KEI - log RR_NPS, whose
 * influence per customer is the difference of the two influences, Var = G/(G-1) sum_c (u_KEI,c - u_NPS,c)^2. The
 * KEI warns better than NPS only when that interval lies above 1.
 * A job's Emotion can include the very answer (survey scores count in it), which favours the KEI a little.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { followedAnswersSql } from "./churn-answers.js";
import type { ValidationWeight } from "./followed-jobs.js";
import { clusteredLogVariance, clusterSums, clusterSumsSql } from "./validate-cluster-sums.js";
import {
  logRiskGradient,
  type RiskComparison,
  riskComparison,
  riskCrossed,
  riskTotals,
} from "./validate-relative-risk.js";

/** Days before an answer (and the answer's own day) whose jobs make the unit's KEI. */
export const LOOKBACK_DAYS = 90;

export interface SameCustomers {
  /** Answers with a job in the lookback (units), and their customers. */
  readonly units: number;
  readonly customers: number;
  /** Share of the units flagged by NPS (detractors), and by the KEI (at most `keiThreshold`). */
  readonly npsShareFlagged: number;
  readonly keiShareFlagged: number;
  readonly keiThreshold: number | null;
  readonly kei: RiskComparison;
  readonly nps: RiskComparison;
  /** RR_KEI / RR_NPS and its 95% interval clustered by customer; above 1: the KEI singles out leavers better. */
  readonly ratio: number | null;
  readonly ratioCi: readonly [number, number] | null;
}

/** A job's KEI: the weighted mean of its parts present (emotion may be missing). */
function jobKeiSql(store: Store, o: AnalysisOptions): Sql {
  const w = o.weights;
  return store.dialect.safeDivide(
    sql`${w.effectiveness} * 100.0 * effective + ${w.ease} * ease + coalesce(${w.emotion} * emotion, 0)`,
    sql`${w.effectiveness} + ${w.ease} + CASE WHEN emotion IS NULL THEN 0 ELSE ${w.emotion} END`,
  );
}

export async function sameCustomers(
  store: Store,
  o: AnalysisOptions,
  f: { cutoff: string; followedJobs: Sql; weight: ValidationWeight },
): Promise<SameCustomers> {
  const d = store.dialect;
  const answers = followedAnswersSql(store, o, f.cutoff, f.weight);
  const gap = d.daysBetween(sql`first_day`, sql`a_day`);
  const units = sql`SELECT a_id, u_customer, score, left_flag, w, round(avg(job_kei), 6) AS kei FROM (
      SELECT a_id, u_customer, a_day, score, left_flag, w FROM (${answers}) AS a0
    ) AS a ${d.join("inner")} (
      SELECT u_customer AS j_customer, first_day, ${jobKeiSql(store, o)} AS job_kei FROM (${f.followedJobs}) AS j0
    ) AS j ON u_customer = j_customer
    WHERE ${gap} >= 0 AND ${gap} <= ${LOOKBACK_DAYS}
    GROUP BY a_id, u_customer, score, left_flag, w`;
  const head = (
    await store.query<Record<string, unknown>>(
      sql`SELECT ${d.count()} AS n, sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END) AS n_detractors FROM (${units}) AS u`,
    )
  )[0];
  const n = Number(head?.n ?? 0);
  const npsShare = n > 0 ? Number(head?.n_detractors ?? 0) / n : 0;
  let threshold: number | null = null;
  if (npsShare > 0 && npsShare < 1) {
    const q = await store.query<{ t: unknown }>(
      sql`SELECT ${d.quantile(npsShare, sql`kei`)} AS t FROM (${units}) AS u`,
    );
    threshold = q[0]?.t === null || q[0]?.t === undefined ? null : Number(q[0].t);
  }
  // Without a threshold nothing is flagged by the KEI (the comparison then says so).
  const keiFlag = threshold === null ? sql`0` : sql`CASE WHEN kei <= ${threshold} THEN 1 ELSE 0 END`;
  const totals = {
    ...riskTotals("k", keiFlag, sql`left_flag`, sql`w`),
    ...riskTotals("p", sql`CASE WHEN score <= 6 THEN 1 ELSE 0 END`, sql`left_flag`, sql`w`),
  };
  const crossed = [...riskCrossed("k"), ...riskCrossed("p")];
  const s = clusterSums(
    (await store.query<Record<string, unknown>>(clusterSumsSql(d, { from: units, totals, crossed })))[0],
    crossed,
  );
  const kei = riskComparison(s, "k");
  const nps = riskComparison(s, "p");
  const gk = logRiskGradient(s, "k");
  const gp = logRiskGradient(s, "p");
  const ratio =
    kei.relativeRisk !== null && nps.relativeRisk !== null && nps.relativeRisk > 0
      ? kei.relativeRisk / nps.relativeRisk
      : null;
  let ratioCi: readonly [number, number] | null = null;
  if (ratio !== null && ratio > 0 && gk && gp) {
    const g: Record<string, number> = { ...gk };
    for (const [k, v] of Object.entries(gp)) g[k] = -v;
    const variance = clusteredLogVariance(s, g);
    if (variance !== null) {
      const half = 1.959964 * Math.sqrt(variance);
      ratioCi = [Math.exp(Math.log(ratio) - half), Math.exp(Math.log(ratio) + half)];
    }
  }
  return {
    units: n,
    customers: s.customers,
    npsShareFlagged: npsShare,
    keiShareFlagged: n > 0 ? kei.exposed.n / n : 0,
    keiThreshold: threshold,
    kei,
    nps,
    ratio,
    ratioCi,
  };
}
