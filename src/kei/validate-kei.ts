/**
 * `kei validate`: does the KEI relate to what the company cares about, and better than NPS?
 * - Jobs and churn: the share of customers who leave within 90 days after a job, for jobs done right and not,
 *   and the correlation of each job's Ease and Emotion with leaving.
 * - NPS and churn: the same for survey answers (detractors against the others).
 * - Reach: of the customers who left, how many had a contact (so a KEI signal) and how many an NPS answer in
 *   their last 90 days.
 * - Months: the monthly KEI and NPS against the monthly churn rate, the same month and 1-3 months later.
 * Jobs and answers in the last 90 days of the data are left out (their follow-up is not complete), and so are
 * jobs on reasons of the `leaving` lifecycle stage (a cancellation call precedes leaving by definition).
 * Heavy lifting is in SQL; only sums come back.
 */

import { jobsRelation } from "../model/jobs-table.js";
import {
  type AnalysisOptions,
  type AnalysisOverrides,
  analysisOptions,
} from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { type FittedWeights, fitWeights } from "./fit-weights.js";
import { FOLLOW_UP_DAYS, followedJobsSql, followUpCutoff, leftWithin } from "./followed-jobs.js";
import { keiIndex } from "./kei-index.js";
import { npsIndex } from "./nps-index.js";

export { FOLLOW_UP_DAYS } from "./followed-jobs.js";

export interface GroupRate {
  readonly n: number;
  readonly left: number;
  /** Share (0-1) that left within the follow-up. */
  readonly rate: number;
}

export interface Validation {
  /** Last day of contacts in the store, and the last day a job or answer may start to be followed up. */
  readonly dataEnd: string | null;
  readonly cutoff: string | null;
  readonly jobs: {
    readonly effective: GroupRate;
    readonly notEffective: GroupRate;
    /** Rate after jobs not done right / rate after jobs done right. */
    readonly relativeRisk: number | null;
    /** Point-biserial correlation of job Ease (and Emotion) with leaving; negative: easier jobs, fewer leavers. */
    readonly easeCorrelation: number | null;
    readonly emotionCorrelation: number | null;
  };
  readonly nps: {
    readonly detractors: GroupRate;
    readonly others: GroupRate;
    readonly relativeRisk: number | null;
    readonly scoreCorrelation: number | null;
  };
  readonly reach: { readonly leavers: number; readonly withContact: number; readonly withNpsAnswer: number };
  readonly months: {
    readonly month: string[];
    readonly kei: (number | null)[];
    readonly nps: (number | null)[];
    readonly churnRate: (number | null)[];
    /** Correlation of the monthly series with churn `lag` months later, lag 0-3. */
    readonly keiLeadsChurn: (number | null)[];
    readonly npsLeadsChurn: (number | null)[];
    /**
     * Per internal KPI of the `kpis` table (summed over segments per month; rates averaged): its monthly values and
     * the correlation of the KEI and of NPS with it, the same month and 1-3 months later.
     */
    readonly kpis: Record<
      string,
      { values: (number | null)[]; keiLeads: (number | null)[]; npsLeads: (number | null)[] }
    >;
  };
  /** KEI weights fitted to churn (see fit-weights.ts); null when there is too little to fit. */
  readonly fittedWeights: FittedWeights | null;
  readonly verdict: string[];
}

interface Sums {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  sxy: number;
}

/** Pearson correlation from sums (with y in {0, 1} it is the point-biserial correlation). */
export function correlationFromSums(s: Sums): number | null {
  const vx = s.n * s.sxx - s.sx * s.sx;
  const vy = s.n * s.sy - s.sy * s.sy; // y^2 = y for a 0/1 outcome
  if (s.n < 3 || vx <= 0 || vy <= 0) return null;
  return (s.n * s.sxy - s.sx * s.sy) / Math.sqrt(vx * vy);
}

export function pearson(xs: readonly (number | null)[], ys: readonly (number | null)[]): number | null {
  const pairs = xs
    .map((x, i) => [x, ys[i]] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && p[1] != null);
  const n = pairs.length;
  if (n < 3) return null;
  const mx = pairs.reduce((a, p) => a + p[0], 0) / n;
  const my = pairs.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

const rateOf = (n: number, left: number): GroupRate => ({ n, left, rate: n > 0 ? left / n : 0 });
const num = (v: unknown) => Number(v ?? 0);

async function jobChurn(store: Store, o: AnalysisOptions, cutoff: string) {
  const d = store.dialect;
  const jobs = followedJobsSql(store, cutoff, await jobsRelation(store, o));
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT effective AS eff, ${d.count()} AS n, sum(left_flag) AS n_left,
        sum(ease) AS s_ease, sum(ease * ease) AS ss_ease, sum(ease * left_flag) AS sl_ease,
        ${d.count(sql`emotion`)} AS n_emo, sum(emotion) AS s_emo, sum(emotion * emotion) AS ss_emo,
        sum(CASE WHEN emotion IS NOT NULL THEN left_flag ELSE 0 END) AS n_left_emo, sum(emotion * left_flag) AS sl_emo
      FROM (${jobs}) AS x GROUP BY effective`,
  );
  return rows;
}

export async function validateKei(store: Store, options: AnalysisOverrides = {}): Promise<Validation> {
  const o = analysisOptions(options);
  const d = store.dialect;
  const { dataEnd, cutoff } = await followUpCutoff(store, o);

  let effective = rateOf(0, 0);
  let notEffective = rateOf(0, 0);
  let easeSums: Sums = { n: 0, sx: 0, sxx: 0, sy: 0, sxy: 0 };
  let emoSums: Sums = { n: 0, sx: 0, sxx: 0, sy: 0, sxy: 0 };
  if (cutoff) {
    for (const r of await jobChurn(store, o, cutoff)) {
      const g = rateOf(num(r.n), num(r.n_left));
      if (num(r.eff) === 1) effective = g;
      else notEffective = g;
      easeSums = {
        n: easeSums.n + num(r.n),
        sx: easeSums.sx + num(r.s_ease),
        sxx: easeSums.sxx + num(r.ss_ease),
        sy: easeSums.sy + num(r.n_left),
        sxy: easeSums.sxy + num(r.sl_ease),
      };
      emoSums = {
        n: emoSums.n + num(r.n_emo),
        sx: emoSums.sx + num(r.s_emo),
        sxx: emoSums.sxx + num(r.ss_emo),
        sy: emoSums.sy + num(r.n_left_emo),
        sxy: emoSums.sxy + num(r.sl_emo),
      };
    }
  }

  // NPS answers and leaving within the follow-up.
  const answerDay = d.periodStart("day", sql`ts`, o.timeZone);
  const answers = sql`SELECT score, ${leftWithin(store, sql`a_day`)} AS left_flag FROM (
      SELECT nps AS score, ${answerDay} AS a_day, customer_id AS a_customer FROM feedback WHERE nps IS NOT NULL
    ) AS a ${d.join("inner")} (SELECT customer_id, end_date FROM customers) AS c ON a_customer = customer_id
    WHERE a_day <= ${cutoff ?? "1970-01-01"}`;
  const npsRows = await store.query<Record<string, unknown>>(
    sql`SELECT CASE WHEN score <= 6 THEN 1 ELSE 0 END AS detractor, ${d.count()} AS n, sum(left_flag) AS n_left,
        sum(score) AS s_score, sum(score * score) AS ss_score, sum(score * left_flag) AS sl_score
      FROM (${answers}) AS x GROUP BY CASE WHEN score <= 6 THEN 1 ELSE 0 END`,
  );
  let detractors = rateOf(0, 0);
  let others = rateOf(0, 0);
  let scoreSums: Sums = { n: 0, sx: 0, sxx: 0, sy: 0, sxy: 0 };
  for (const r of npsRows) {
    const g = rateOf(num(r.n), num(r.n_left));
    if (num(r.detractor) === 1) detractors = g;
    else others = g;
    scoreSums = {
      n: scoreSums.n + num(r.n),
      sx: scoreSums.sx + num(r.s_score),
      sxx: scoreSums.sxx + num(r.ss_score),
      sy: scoreSums.sy + num(r.n_left),
      sxy: scoreSums.sxy + num(r.sl_score),
    };
  }

  const reach = await leaverReach(store, o);
  const months = await monthlySeries(store, o);
  const fittedWeights = await fitWeights(store, o);
  const result = {
    dataEnd,
    cutoff,
    jobs: {
      effective,
      notEffective,
      relativeRisk: effective.rate > 0 ? notEffective.rate / effective.rate : null,
      easeCorrelation: correlationFromSums(easeSums),
      emotionCorrelation: correlationFromSums(emoSums),
    },
    nps: {
      detractors,
      others,
      relativeRisk: others.rate > 0 ? detractors.rate / others.rate : null,
      scoreCorrelation: correlationFromSums(scoreSums),
    },
    reach,
    months,
    fittedWeights,
  };
  return { ...result, verdict: verdictOf(result) };
}

/** Of the customers who left, how many had a contact, and how many an NPS answer, in their last 90 days. */
async function leaverReach(store: Store, o: AnalysisOptions) {
  const d = store.dialect;
  const seen = (table: "contacts" | "feedback", extra: Sql) => sql`SELECT ${d.count()} AS n FROM (
      SELECT l_customer, max(CASE WHEN ${d.daysBetween(sql`e_day`, sql`l_end`)} >= 0 AND ${d.daysBetween(sql`e_day`, sql`l_end`)} <= ${FOLLOW_UP_DAYS} THEN 1 ELSE 0 END) AS seen
      FROM (SELECT customer_id AS l_customer, end_date AS l_end FROM customers WHERE end_date IS NOT NULL) AS l
      ${d.join("inner")} (SELECT customer_id AS e_customer, ${d.periodStart("day", sql`ts`, o.timeZone)} AS e_day FROM ${table === "contacts" ? sql`contacts` : sql`feedback`} ${extra}) AS e
        ON l_customer = e_customer
      GROUP BY l_customer
    ) AS s WHERE seen = 1`;
  const leavers = await store.query<{ n: number }>(
    sql`SELECT ${d.count()} AS n FROM customers WHERE end_date IS NOT NULL`,
  );
  // A cancellation call is not the experience that made a customer leave: contacts on `leaving` reasons do not count.
  const withContact = await store.query<{ n: number }>(
    seen("contacts", sql`WHERE reason NOT IN (SELECT reason FROM reasons WHERE lifecycle_stage = 'leaving')`),
  );
  const withNps = await store.query<{ n: number }>(seen("feedback", sql`WHERE nps IS NOT NULL`));
  return {
    leavers: num(leavers[0]?.n),
    withContact: num(withContact[0]?.n),
    withNpsAnswer: num(withNps[0]?.n),
  };
}

/** Monthly KEI, NPS and churn rate (leavers in the month / customers active at its start), and lagged correlations. */
async function monthlySeries(store: Store, o: AnalysisOptions) {
  const d = store.dialect;
  const kei = await keiIndex(store, { by: ["month"], options: { ...o, minCellSize: 1 } });
  const nps = await npsIndex(store, { by: ["month"], options: { ...o, minCellSize: 1 } });
  const month = kei.map((c) => c.key.month as string);
  // Customers active at the start of each month: started before it, not yet left.
  const flows = await store.query<{ m: string; starts: number; ends: number }>(
    sql`SELECT m, sum(s) AS starts, sum(e) AS ends FROM (
        SELECT ${d.periodStartOfDate("month", sql`start_date`)} AS m, 1 AS s, 0 AS e FROM customers WHERE start_date IS NOT NULL
        UNION ALL
        SELECT ${d.periodStartOfDate("month", sql`end_date`)} AS m, 0 AS s, 1 AS e FROM customers WHERE end_date IS NOT NULL
      ) AS f GROUP BY m ORDER BY m`,
  );
  const churnRate = month.map((m) => {
    let active = 0;
    let left = 0;
    for (const f of flows) {
      if (f.m < m) active += num(f.starts) - num(f.ends);
      if (f.m === m) left = num(f.ends);
    }
    return active > 0 ? left / active : null;
  });
  const keiSeries = kei.map((c) => c.kei);
  const npsByMonth = new Map(nps.map((c) => [c.key.month, c.nps]));
  const npsSeries = month.map((m) => npsByMonth.get(m) ?? null);
  const lagged = (series: (number | null)[], target: (number | null)[] = churnRate) =>
    [0, 1, 2, 3].map((lag) => pearson(series.slice(0, series.length - lag), target.slice(lag)));
  // Internal KPIs: counts and amounts add up over segments; rates (names ending in _rate) are averaged.
  const kpiRows = await store.query<{ period: string; name: string; total: number; mean: number }>(
    sql`SELECT period, name, sum(value) AS total, avg(value) AS mean FROM kpis GROUP BY period, name ORDER BY name, period`,
  );
  const kpis: Record<
    string,
    { values: (number | null)[]; keiLeads: (number | null)[]; npsLeads: (number | null)[] }
  > = {};
  for (const name of [...new Set(kpiRows.map((r) => r.name))]) {
    const byPeriod = new Map(
      kpiRows
        .filter((r) => r.name === name)
        .map((r) => [r.period, name.endsWith("_rate") ? Number(r.mean) : Number(r.total)]),
    );
    const values = month.map((m) => byPeriod.get(m) ?? null);
    kpis[name] = { values, keiLeads: lagged(keiSeries, values), npsLeads: lagged(npsSeries, values) };
  }
  return {
    month,
    kei: keiSeries,
    nps: npsSeries,
    churnRate,
    keiLeadsChurn: lagged(keiSeries),
    npsLeadsChurn: lagged(npsSeries),
    kpis,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function verdictOf(v: Omit<Validation, "verdict">): string[] {
  const out: string[] = [];
  const j = v.jobs;
  if (j.relativeRisk !== null && j.notEffective.n > 0) {
    out.push(
      `Customers leave within ${FOLLOW_UP_DAYS} days after ${pct(j.notEffective.rate)} of jobs not done right the first time, against ${pct(j.effective.rate)} after jobs done right: ${j.relativeRisk.toFixed(2)} times as often.`,
    );
  }
  if (j.easeCorrelation !== null) {
    out.push(
      `Easier jobs are followed by ${j.easeCorrelation < 0 ? "less" : "more"} leaving (correlation ${j.easeCorrelation.toFixed(3)} per job).`,
    );
  }
  const n = v.nps;
  if (n.relativeRisk !== null) {
    out.push(
      `Detractors leave ${n.relativeRisk.toFixed(2)} times as often as other respondents (${pct(n.detractors.rate)} against ${pct(n.others.rate)}).`,
    );
  }
  const r = v.reach;
  if (r.leavers > 0) {
    out.push(
      `Of ${r.leavers} customers who left, ${pct(r.withContact / r.leavers)} had a contact in their last ${FOLLOW_UP_DAYS} days, so the KEI saw their experience; only ${pct(r.withNpsAnswer / r.leavers)} had answered an NPS survey.`,
    );
  }
  const w = v.fittedWeights;
  if (w) {
    out.push(
      `Weights that best explain leaving: Effectiveness ${w.effectiveness.toFixed(2)}, Ease ${w.ease.toFixed(2)}, Emotion ${w.emotion.toFixed(2)} (fitted on ${w.n} jobs; use them with kei index --weights fitted).`,
    );
  }
  const best = (xs: (number | null)[]) =>
    xs.reduce<number | null>(
      (a, x) => (x === null ? a : a === null || Math.abs(x) > Math.abs(a) ? x : a),
      null,
    );
  const k = best(v.months.keiLeadsChurn);
  const p = best(v.months.npsLeadsChurn);
  for (const [name, k] of Object.entries(v.months.kpis)) {
    const kr = best(k.keiLeads);
    const nr = best(k.npsLeads);
    if (kr !== null || nr !== null) {
      out.push(
        `${name}: strongest monthly correlation with the KEI ${kr === null ? "n/a" : kr.toFixed(2)}, with NPS ${nr === null ? "n/a" : nr.toFixed(2)} (same month to 3 months later).`,
      );
    }
  }
  if (v.months.month.length < 12) {
    out.push(`With ${v.months.month.length} months of data, monthly comparisons say little yet.`);
  } else {
    out.push(
      `Month by month, the strongest correlation of the KEI with churn (same month to 3 months later) is ${k === null ? "n/a" : k.toFixed(2)}; of NPS ${p === null ? "n/a" : p.toFixed(2)}. Over ${v.months.month.length} months these are indications, not proof.`,
    );
  }
  return out;
}
