/**
 * A relative risk of leaving with its 95% interval clustered by customer, and the verdict it allows.
 *
 * Units (jobs, NPS answers, customer-months) fall in an exposed group (a job not done right, a detractor) or
 * not; each has a weight w (1, or the customer's annual value) and an outcome y (1 when the customer left
 * within the follow-up). Per customer c the database sums y1c = sum w y and n1c = sum w over the exposed units,
 * y0c and n0c over the others (see validate-cluster-sums.ts). With the totals Y1, N1, Y0, N0 over customers:
 *
 *   p1 = Y1 / N1, p0 = Y0 / N0, RR = p1 / p0;
 *   log RR = log Y1 - log N1 - log Y0 + log N0, so each customer's influence is
 *   u_c = y1c / Y1 - n1c / N1 - y0c / Y0 + n0c / N0, and
 *   Var(log RR) = G / (G - 1) x sum_c u_c^2 over the G customers (the sandwich variance: a customer's units
 *   share one leaving date, so they are not independent);
 *   95% interval = exp(log RR -+ 1.96 sqrt(Var)).
 *
 * No relation is claimed when the interval contains 1, when nobody left, when either group has fewer than
 * MIN_VERDICT_UNITS units (a log ratio's normal approximation needs them), or when a group has no leavers or
 * the units come from fewer than two customers (no interval then).
 */
import { type Sql, sql } from "../store/sql.js";
import { type ClusterSums, clusteredLogVariance } from "./validate-cluster-sums.js";

/** Units (jobs, answers) each compared group needs before kei states a verdict on a relative risk. */
export const MIN_VERDICT_UNITS = 100;

const Z95 = 1.959964;

export interface GroupRate {
  /** Units in the group (jobs, answers, customer-months). */
  readonly n: number;
  /** Of which the customer left within the follow-up. */
  readonly left: number;
  /** Share (0-1) that left: left / n, or the value-weighted share under `--weight value`. */
  readonly rate: number;
}

/**
 * What a relative risk allows one to say: the exposed group leaves more or less often (the interval lies
 * above or below 1), no relation shown (it contains 1), nobody left, too few units, or no interval.
 */
export type Relation =
  | "more-leaving"
  | "less-leaving"
  | "none-shown"
  | "no-churn"
  | "too-few"
  | "no-interval";

export interface RiskComparison {
  readonly exposed: GroupRate;
  readonly unexposed: GroupRate;
  /** p1 / p0; null when p0 is 0. */
  readonly relativeRisk: number | null;
  /** 95% interval clustered by customer; null without leavers in both groups or below two customers. */
  readonly interval: readonly [number, number] | null;
  /** Customers the units come from (clusters). */
  readonly customers: number;
  readonly relation: Relation;
}

/**
 * The per-unit expressions to sum per customer, reading `exposed` (1/0), `left_flag` (1/0) and `w`, under
 * names `<p>y1`, `<p>n1`, `<p>y0`, `<p>n0` (weighted, crossed) and `<p>k1`, `<p>l1`, `<p>k0`, `<p>l0` (counts).
 */
export function riskTotals(p: string, exposed: Sql, leftFlag: Sql, w: Sql): Record<string, Sql> {
  const s = sql;
  return {
    [`${p}y1`]: s`CASE WHEN ${exposed} = 1 THEN ${w} * ${leftFlag} ELSE 0 END`,
    [`${p}n1`]: s`CASE WHEN ${exposed} = 1 THEN ${w} ELSE 0 END`,
    [`${p}y0`]: s`CASE WHEN ${exposed} = 1 THEN 0 ELSE ${w} * ${leftFlag} END`,
    [`${p}n0`]: s`CASE WHEN ${exposed} = 1 THEN 0 ELSE ${w} END`,
    [`${p}k1`]: s`CASE WHEN ${exposed} = 1 THEN 1 ELSE 0 END`,
    [`${p}l1`]: s`CASE WHEN ${exposed} = 1 THEN ${leftFlag} ELSE 0 END`,
    [`${p}k0`]: s`CASE WHEN ${exposed} = 1 THEN 0 ELSE 1 END`,
    [`${p}l0`]: s`CASE WHEN ${exposed} = 1 THEN 0 ELSE ${leftFlag} END`,
  };
}

/** The weighted totals of `riskTotals` whose cross sums the interval needs. */
export const riskCrossed = (p: string) => [`${p}y1`, `${p}n1`, `${p}y0`, `${p}n0`];

/** Gradient of log RR with respect to the totals (see the header); null when a total is 0. */
export function logRiskGradient(s: ClusterSums, p: string): Record<string, number> | null {
  const [y1, n1, y0, n0] = riskCrossed(p).map((k) => s.total(k)) as [number, number, number, number];
  if (!(y1 > 0 && n1 > 0 && y0 > 0 && n0 > 0)) return null;
  return { [`${p}y1`]: 1 / y1, [`${p}n1`]: -1 / n1, [`${p}y0`]: -1 / y0, [`${p}n0`]: 1 / n0 };
}

export function riskComparison(s: ClusterSums, p: string): RiskComparison {
  const [y1, n1, y0, n0] = riskCrossed(p).map((k) => s.total(k)) as [number, number, number, number];
  const exposed = { n: s.total(`${p}k1`), left: s.total(`${p}l1`), rate: n1 > 0 ? y1 / n1 : 0 };
  const unexposed = { n: s.total(`${p}k0`), left: s.total(`${p}l0`), rate: n0 > 0 ? y0 / n0 : 0 };
  const relativeRisk = n1 > 0 && unexposed.rate > 0 ? exposed.rate / unexposed.rate : null;
  const gradient = logRiskGradient(s, p);
  const variance = gradient ? clusteredLogVariance(s, gradient) : null;
  const interval =
    relativeRisk !== null && variance !== null
      ? ([
          Math.exp(Math.log(relativeRisk) - Z95 * Math.sqrt(variance)),
          Math.exp(Math.log(relativeRisk) + Z95 * Math.sqrt(variance)),
        ] as const)
      : null;
  return { exposed, unexposed, relativeRisk, interval, customers: s.customers, relation: relationOf() };

  function relationOf(): Relation {
    if (exposed.n + unexposed.n === 0) return "too-few";
    if (exposed.left + unexposed.left === 0) return "no-churn";
    if (Math.min(exposed.n, unexposed.n) < MIN_VERDICT_UNITS) return "too-few";
    if (!interval) return "no-interval";
    if (interval[0] > 1) return "more-leaving";
    if (interval[1] < 1) return "less-leaving";
    return "none-shown";
  }
}

/** An interval on a ratio scale in words, e.g. "1.8 to 3.1". */
export const ratioInterval = (i: readonly [number, number] | null) =>
  i ? `${i[0].toFixed(2)} to ${i[1].toFixed(2)}` : "no interval";
