/**
 * KEI weights fitted to an internal outcome, offered to try, not a finding: leaving within 90 days after a job.
 * A linear probability model churn = b0 + b1 x effective + b2 x ease + b3 x emotion is fitted by least squares
 * over the jobs with all three parts (effective as 0/100, so every part is on 0-100). A part's weight is its
 * standardised protective effect, -b x standard deviation, kept at 0 or more and scaled to sum to 1: how much a
 * typical difference in that part moves churn. Same population as `kei validate` (followed-jobs.ts).
 *
 * How sure, and does it generalise? Customers are dealt into BUCKETS groups by a pseudo-random key of their own
 * (the epoch second of their first such job, modulo the prime 211: it carries no information on leaving), and
 * the database returns the normal equations' sums per group, never the jobs:
 * - **Intervals**: a bootstrap over groups of customers (a customer's jobs stay together): BOOTSTRAP_SAMPLES
 *   times, draw 211 groups with replacement (seeded), refit; the 2.5th and 97.5th percentiles per weight.
 * - **Out of sample**: fit on the even groups, then on the odd groups (held out) compare the correlation with
 *   leaving of the job KEI Σ w_k x_k under the fitted weights and under equal weights (more negative is
 *   better), with a bootstrap interval over the held-out groups for the difference. Only when that interval lies
 *   below 0 do the fitted weights predict held-out leaving better.
 * With `weight: "value"` every sum is weighted by the customer's annual value (weighted least squares).
 */

import { jobsRelation } from "../model/jobs-table.js";
import { type AnalysisOverrides, analysisOptions } from "../options/analysis-options.js";
import { solve } from "../stats/solve-linear.js";
import { join, raw, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { dataCoverage } from "./data-coverage.js";
import { followedJobsSql, followUpCutoff, type ValidationWeight } from "./followed-jobs.js";

/** Groups of customers for the bootstrap and the train/test split (a prime, so rounded timestamps still spread). */
export const BUCKETS = 211;
export const BOOTSTRAP_SAMPLES = 200;
const SEED = 20261101;
const MIN_JOBS = 30;

type Triple = { readonly effectiveness: number; readonly ease: number; readonly emotion: number };

export interface FittedWeights extends Triple {
  /** Jobs the fit used. */
  readonly n: number;
  /** Coefficients per point of each part (effectiveness as 0/100), for the record. */
  readonly coefficients: {
    readonly intercept: number;
    readonly effectiveness: number;
    readonly ease: number;
    readonly emotion: number;
  };
  /** 95% bootstrap intervals by customer (percentiles over BOOTSTRAP_SAMPLES refits); null when too few refits. */
  readonly intervals: {
    readonly effectiveness: readonly [number, number];
    readonly ease: readonly [number, number];
    readonly emotion: readonly [number, number];
  } | null;
  /** Fitted on half of the customers, judged on the other half against equal weights; null when a half is too small. */
  readonly outOfSample: {
    readonly trainJobs: number;
    readonly testJobs: number;
    readonly trained: Triple;
    /** Correlation with leaving of the job KEI on the held-out customers (negative: a higher KEI, less leaving). */
    readonly fittedCorrelation: number | null;
    readonly equalCorrelation: number | null;
    /** fitted - equal, and its 95% bootstrap interval over held-out groups; below 0 favours the fitted weights. */
    readonly difference: number | null;
    readonly differenceInterval: readonly [number, number] | null;
    readonly better: boolean;
  } | null;
}

/** The normal equations' sums of one group of customers: index 0 = the constant, 1-3 = the parts, 4 = y. */
interface Moments {
  readonly count: number;
  /** s[i][k] = sum w x_i x_k over i, k in 0..4 (x_0 = 1, x_4 = y). */
  readonly s: number[][];
}

const COLS = ["1.0", "x1", "x2", "x3", "y"] as const;

function addMoments(ms: readonly Moments[]): Moments {
  const s = COLS.map(() => COLS.map(() => 0));
  let count = 0;
  for (const m of ms) {
    count += m.count;
    for (let i = 0; i < 5; i++) {
      const row = s[i] as number[];
      for (let k = 0; k < 5; k++) row[k] = (row[k] as number) + (m.s[i]?.[k] ?? 0);
    }
  }
  return { count, s };
}

function fitMoments(m: Moments): { weights: Triple; b: number[] } | null {
  const at = (i: number, k: number) => m.s[i]?.[k] ?? 0;
  const n = at(0, 0);
  if (m.count < MIN_JOBS || !(n > 0)) return null;
  const b = solve(
    [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((k) => at(i, k))),
    [0, 1, 2, 3].map((i) => at(i, 4)),
  );
  if (!b) return null;
  const sd = (i: number) => Math.sqrt(Math.max(0, at(i, i) / n - (at(0, i) / n) ** 2));
  const effect = [1, 2, 3].map((i) => Math.max(0, -(b[i] as number) * sd(i)));
  const total = effect.reduce((a, x) => a + x, 0);
  if (total <= 0) return null;
  const [e, a, mo] = effect.map((x) => x / total) as [number, number, number];
  return { weights: { effectiveness: e, ease: a, emotion: mo }, b };
}

/** Correlation of the job KEI sum_k w_k x_k with y, from sums. */
function scoreCorrelation(m: Moments, w: Triple): number | null {
  const at = (i: number, k: number) => m.s[i]?.[k] ?? 0;
  const wv = [0, w.effectiveness, w.ease, w.emotion];
  const n = at(0, 0);
  let sS = 0;
  let sSy = 0;
  let sSS = 0;
  for (let i = 1; i <= 3; i++) {
    sS += (wv[i] as number) * at(0, i);
    sSy += (wv[i] as number) * at(i, 4);
    for (let k = 1; k <= 3; k++) sSS += (wv[i] as number) * (wv[k] as number) * at(i, k);
  }
  const sy = at(0, 4);
  const vS = n * sSS - sS * sS;
  const vy = n * sy - sy * sy; // y^2 = y
  if (m.count < 3 || vS <= 0 || vy <= 0) return null;
  return (n * sSy - sS * sy) / Math.sqrt(vS * vy);
}

/** A small seeded generator (mulberry32), so that the intervals are the same on every run and engine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))] as number;
};

function resample(groups: readonly Moments[], rand: () => number): Moments {
  return addMoments(groups.map(() => groups[Math.floor(rand() * groups.length)] as Moments));
}

export async function fitWeights(
  store: Store,
  options: AnalysisOverrides = {},
  weight: ValidationWeight = "count",
): Promise<FittedWeights | null> {
  const o = analysisOptions(options);
  const d = store.dialect;
  const { cutoff } = await followUpCutoff(store, o);
  if (!cutoff) return null;
  const jobs = followedJobsSql(store, o, {
    cutoff,
    jobs: await jobsRelation(store, o),
    coverage: await dataCoverage(store, o),
    weight,
  });
  // Per customer the weighted sums of x_i x_k (x1 = effective x 100), then per group of customers. The group is
  // key mod BUCKETS written with floor (ClickHouse 18.16 types `Int64 % 211` by its divisor, a small int that
  // overflows).
  const x = ["1.0", "100.0 * effective", "ease", "emotion", "1.0 * left_flag"];
  const pairs: [number, number][] = [];
  for (let i = 0; i < 5; i++) for (let k = i; k < 5; k++) pairs.push([i, k]);
  const perCustomer = sql`SELECT min(first_t) AS c_key, ${d.count()} AS c_count,
      ${join(
        pairs.map(([i, k]) => raw(`sum(w * ${x[i]} * ${x[k]}) AS c_${i}_${k}`)),
        ", ",
      )}
    FROM (${jobs}) AS f WHERE emotion IS NOT NULL GROUP BY u_customer`;
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT bucket, sum(c_count) AS n, ${join(
      pairs.map(([i, k]) => raw(`sum(c_${i}_${k}) AS s_${i}_${k}`)),
      ", ",
    )}
      FROM (SELECT c_key - ${BUCKETS} * floor(1.0 * c_key / ${BUCKETS}) AS bucket, c_count, ${join(
        pairs.map(([i, k]) => raw(`c_${i}_${k}`)),
        ", ",
      )} FROM (${perCustomer}) AS pc) AS pb GROUP BY bucket ORDER BY bucket`,
  );
  const groups = new Map<number, Moments>();
  for (const r of rows) {
    const s = COLS.map(() => COLS.map(() => 0));
    for (const [i, k] of pairs) {
      const v = Number(r[`s_${i}_${k}`] ?? 0);
      (s[i] as number[])[k] = v;
      (s[k] as number[])[i] = v;
    }
    groups.set(Number(r.bucket), { count: Number(r.n ?? 0), s });
  }
  // In bucket order, so that the seeded draws pick the same groups on every engine.
  const all = [...groups].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  const whole = addMoments(all);
  const full = fitMoments(whole);
  if (!full) return null;
  const b = full.b;

  // Bootstrap over groups of customers.
  const rand = seeded(SEED);
  const draws: Triple[] = [];
  for (let r = 0; r < BOOTSTRAP_SAMPLES; r++) {
    const f = fitMoments(resample(all, rand));
    if (f) draws.push(f.weights);
  }
  const interval = (k: keyof Triple) =>
    [
      percentile(
        draws.map((w) => w[k]),
        0.025,
      ),
      percentile(
        draws.map((w) => w[k]),
        0.975,
      ),
    ] as const;
  const intervals =
    draws.length >= BOOTSTRAP_SAMPLES / 2
      ? { effectiveness: interval("effectiveness"), ease: interval("ease"), emotion: interval("emotion") }
      : null;

  return {
    ...full.weights,
    n: whole.count,
    coefficients: {
      intercept: b[0] as number,
      effectiveness: b[1] as number,
      ease: b[2] as number,
      emotion: b[3] as number,
    },
    intervals,
    outOfSample: outOfSample(groups, rand),
  };
}

const EQUAL: Triple = { effectiveness: 1 / 3, ease: 1 / 3, emotion: 1 / 3 };

function outOfSample(groups: ReadonlyMap<number, Moments>, rand: () => number): FittedWeights["outOfSample"] {
  const sorted = [...groups].sort((a, b) => a[0] - b[0]);
  const train = sorted.filter(([k]) => k % 2 === 0).map(([, m]) => m);
  const test = sorted.filter(([k]) => k % 2 === 1).map(([, m]) => m);
  const trained = fitMoments(addMoments(train));
  const held = addMoments(test);
  if (!trained || held.count < MIN_JOBS) return null;
  const diff = (m: Moments) => {
    const f = scoreCorrelation(m, trained.weights);
    const e = scoreCorrelation(m, EQUAL);
    return f === null || e === null ? null : f - e;
  };
  const fittedCorrelation = scoreCorrelation(held, trained.weights);
  const equalCorrelation = scoreCorrelation(held, EQUAL);
  const difference = diff(held);
  const draws: number[] = [];
  for (let r = 0; r < BOOTSTRAP_SAMPLES; r++) {
    const x = diff(resample(test, rand));
    if (x !== null) draws.push(x);
  }
  const differenceInterval =
    draws.length >= BOOTSTRAP_SAMPLES / 2
      ? ([percentile(draws, 0.025), percentile(draws, 0.975)] as const)
      : null;
  return {
    trainJobs: addMoments(train).count,
    testJobs: held.count,
    trained: trained.weights,
    fittedCorrelation,
    equalCorrelation,
    difference,
    differenceInterval,
    better: differenceInterval !== null && differenceInterval[1] < 0,
  };
}
