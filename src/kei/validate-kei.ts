/**
 * `kei validate`: does the KEI relate to what the company cares about, and better than NPS? Built so that it
 * cannot produce evidence by accident (docs/methodology.md, "Validation against churn and NPS"):
 * - Jobs and churn: the share of jobs after which the customer left within 90 days, for jobs not done right
 *   against jobs done right, as a relative risk with a 95% interval clustered by customer
 *   (validate-relative-risk.ts); and the correlation of each job's Ease and Emotion with leaving.
 * - NPS and churn: the same for survey answers (detractors against the others).
 * - The KEI against NPS on the same customers at the same moments, each flagging an equal share
 *   (validate-same-customers.ts).
 * - Reach: of the customers who left, how many had a contact (so a KEI signal) and how many an NPS answer in
 *   their last 90 days.
 * - Months: complete months only, at lags fixed in advance (validate-months.ts).
 * - Fitted weights with bootstrap intervals and an out-of-sample check, offered to try (fit-weights.ts).
 * Follow-up ends on the last day leaving can be observed (followed-jobs.ts). A verdict is claimed only when the
 * interval excludes 1 and both groups hold MIN_VERDICT_UNITS units (validate-verdict.ts words it).
 * With `weight: "value"` jobs, answers and churn count by the customer's `annual_value_eur`.
 * Heavy lifting is in SQL; only sums come back.
 */

import { UsageError } from "../errors/kei-error.js";
import { jobsRelation } from "../model/jobs-table.js";
import { type AnalysisOverrides, analysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { followedAnswersSql } from "./churn-answers.js";
import { dataCoverage } from "./data-coverage.js";
import { type FittedWeights, fitWeights } from "./fit-weights.js";
import {
  FOLLOW_UP_DAYS,
  followedJobsSql,
  followUpCutoff,
  VALIDATION_WEIGHTS,
  type ValidationWeight,
} from "./followed-jobs.js";
import { clusterSums, clusterSumsSql } from "./validate-cluster-sums.js";
import { type MonthlySeries, monthlySeries } from "./validate-months.js";
import {
  type GroupRate,
  type Relation,
  riskComparison,
  riskCrossed,
  riskTotals,
} from "./validate-relative-risk.js";
import { type SameCustomers, sameCustomers } from "./validate-same-customers.js";
import { validationVerdict } from "./validate-verdict.js";

export { FOLLOW_UP_DAYS, VALIDATION_WEIGHTS, type ValidationWeight } from "./followed-jobs.js";
export { pearson } from "./validate-months.js";
export { type GroupRate, MIN_VERDICT_UNITS, type Relation } from "./validate-relative-risk.js";

type Interval = readonly [number, number];

export interface Validation {
  /** Last day with a contact (YYYY-MM-DD, configured zone). */
  readonly dataEnd: string | null;
  /** Last day on which leaving can be observed: the latest contact, answer, web event or end date. */
  readonly observedUntil: string | null;
  /** Last day a job or answer may start to be followed up: observedUntil - 90 days. */
  readonly cutoff: string | null;
  /** How jobs, answers and churn count: each the same, or by the customer's annual value. */
  readonly weight: ValidationWeight;
  readonly jobs: {
    readonly effective: GroupRate;
    readonly notEffective: GroupRate;
    /** Rate after jobs not done right / rate after jobs done right. */
    readonly relativeRisk: number | null;
    /** Its 95% interval, clustered by customer; null without leavers in both groups. */
    readonly relativeRiskCi: Interval | null;
    /** Customers the jobs come from. */
    readonly customers: number;
    /** What the interval allows one to say (no claim unless it excludes 1 with enough jobs). */
    readonly relation: Relation;
    /** Point-biserial correlation of job Ease (and Emotion) with leaving; negative: easier jobs, fewer leavers. */
    readonly easeCorrelation: number | null;
    readonly emotionCorrelation: number | null;
  };
  readonly nps: {
    readonly detractors: GroupRate;
    readonly others: GroupRate;
    readonly relativeRisk: number | null;
    readonly relativeRiskCi: Interval | null;
    readonly customers: number;
    readonly relation: Relation;
    readonly scoreCorrelation: number | null;
  };
  /** The KEI against NPS on the same customers and moments, each flagging an equal share; null without a cutoff. */
  readonly sameCustomers: SameCustomers | null;
  readonly reach: { readonly leavers: number; readonly withContact: number; readonly withNpsAnswer: number };
  readonly months: MonthlySeries;
  /** KEI weights fitted to churn, offered to try (see fit-weights.ts); null when there is too little to fit. */
  readonly fittedWeights: FittedWeights | null;
  readonly verdict: string[];
}

export interface ValidateOptions {
  /** `count` (default): every job, answer and customer the same; `value`: by `customers.annual_value_eur`. */
  readonly weight?: ValidationWeight;
}

interface Sums {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  sxy: number;
}

/** Pearson correlation from sums (with y in {0, 1} it is the point-biserial correlation; sums may be weighted). */
export function correlationFromSums(s: Sums): number | null {
  const vx = s.n * s.sxx - s.sx * s.sx;
  const vy = s.n * s.sy - s.sy * s.sy; // y^2 = y for a 0/1 outcome
  if (s.n < 3 || vx <= 0 || vy <= 0) return null;
  return (s.n * s.sxy - s.sx * s.sy) / Math.sqrt(vx * vy);
}

/** Weighted sums for the correlation of `x` (NULL: left out) with left_flag, under names `<p>n`, `<p>x`, ... */
function correlationTotals(p: string, x: Sql): Record<string, Sql> {
  const has = sql`CASE WHEN ${x} IS NULL THEN 0 ELSE w END`;
  const wx = sql`coalesce(w * ${x}, 0)`;
  return {
    [`${p}n`]: has,
    [`${p}x`]: wx,
    [`${p}xx`]: sql`coalesce(w * ${x} * ${x}, 0)`,
    [`${p}y`]: sql`${has} * left_flag`,
    [`${p}xy`]: sql`${wx} * left_flag`,
  };
}

const correlationOf = (total: (k: string) => number, p: string) =>
  correlationFromSums({
    n: total(`${p}n`),
    sx: total(`${p}x`),
    sxx: total(`${p}xx`),
    sy: total(`${p}y`),
    sxy: total(`${p}xy`),
  });

export function checkWeight(weight: string): ValidationWeight {
  if (!(VALIDATION_WEIGHTS as readonly string[]).includes(weight)) {
    throw new UsageError(`unknown weight "${weight}"; weights: ${VALIDATION_WEIGHTS.join(", ")}`);
  }
  return weight as ValidationWeight;
}

export async function validateKei(
  store: Store,
  options: AnalysisOverrides = {},
  v: ValidateOptions = {},
): Promise<Validation> {
  const o = analysisOptions(options);
  const weight = checkWeight(v.weight ?? "count");
  const d = store.dialect;
  if (weight === "value") {
    const valued = await store.query<{ n: unknown }>(
      sql`SELECT ${d.count()} AS n FROM customers WHERE annual_value_eur IS NOT NULL`,
    );
    if (!(Number(valued[0]?.n ?? 0) > 0)) {
      throw new UsageError("weight value needs customers.annual_value_eur, and no customer has one");
    }
  }
  const { dataEnd, observedUntil, cutoff } = await followUpCutoff(store, o);
  const coverage = await dataCoverage(store, o);
  const followed = cutoff
    ? followedJobsSql(store, o, { cutoff, jobs: await jobsRelation(store, o), coverage, weight })
    : null;

  // Jobs: relative risk of not done right against done right, and the correlations, from per-customer sums.
  const jobCrossed = riskCrossed("j");
  const js = clusterSums(
    followed
      ? (
          await store.query<Record<string, unknown>>(
            clusterSumsSql(d, {
              from: followed,
              totals: {
                ...riskTotals("j", sql`1 - effective`, sql`left_flag`, sql`w`),
                ...correlationTotals("a", sql`ease`),
                ...correlationTotals("m", sql`emotion`),
              },
              crossed: jobCrossed,
            }),
          )
        )[0]
      : undefined,
    jobCrossed,
  );
  const jr = riskComparison(js, "j");

  // NPS answers: detractors against the others.
  const npsCrossed = riskCrossed("p");
  const ns = clusterSums(
    cutoff
      ? (
          await store.query<Record<string, unknown>>(
            clusterSumsSql(d, {
              from: followedAnswersSql(store, o, cutoff, weight),
              totals: {
                ...riskTotals("p", sql`CASE WHEN score <= 6 THEN 1 ELSE 0 END`, sql`left_flag`, sql`w`),
                ...correlationTotals("s", sql`score`),
              },
              crossed: npsCrossed,
            }),
          )
        )[0]
      : undefined,
    npsCrossed,
  );
  const nr = riskComparison(ns, "p");

  const result = {
    dataEnd,
    observedUntil,
    cutoff,
    weight,
    jobs: {
      effective: jr.unexposed,
      notEffective: jr.exposed,
      relativeRisk: jr.relativeRisk,
      relativeRiskCi: jr.interval,
      customers: jr.customers,
      relation: jr.relation,
      easeCorrelation: correlationOf(js.total, "a"),
      emotionCorrelation: correlationOf(js.total, "m"),
    },
    nps: {
      detractors: nr.exposed,
      others: nr.unexposed,
      relativeRisk: nr.relativeRisk,
      relativeRiskCi: nr.interval,
      customers: nr.customers,
      relation: nr.relation,
      scoreCorrelation: correlationOf(ns.total, "s"),
    },
    sameCustomers:
      cutoff && followed ? await sameCustomers(store, o, { cutoff, followedJobs: followed, weight }) : null,
    reach: await leaverReach(store, o),
    months: await monthlySeries(store, o, { observedUntil, coverage, weight }),
    fittedWeights: await fitWeights(store, o, weight),
  };
  return { ...result, verdict: validationVerdict(result) };
}

/** Of the customers who left, how many had a contact, and how many an NPS answer, in their last 90 days. */
async function leaverReach(store: Store, o: ReturnType<typeof analysisOptions>) {
  const d = store.dialect;
  const seen = (table: "contacts" | "feedback", extra: Sql) => sql`SELECT ${d.count()} AS n FROM (
      SELECT l_customer, max(CASE WHEN ${d.daysBetween(sql`e_day`, sql`l_end`)} >= 0 AND ${d.daysBetween(sql`e_day`, sql`l_end`)} <= ${FOLLOW_UP_DAYS} THEN 1 ELSE 0 END) AS seen
      FROM (SELECT customer_id AS l_customer, end_date AS l_end FROM customers WHERE end_date IS NOT NULL) AS l
      ${d.join("inner")} (SELECT customer_id AS e_customer, ${d.periodStart("day", sql`ts`, o.timeZone)} AS e_day FROM ${table === "contacts" ? sql`contacts` : sql`feedback`} ${extra}) AS e
        ON l_customer = e_customer
      GROUP BY l_customer
    ) AS s WHERE seen = 1`;
  const num = (v: unknown) => Number(v ?? 0);
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
