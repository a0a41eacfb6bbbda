/**
 * Month by month: the monthly KEI and NPS against the monthly churn rate and the internal KPIs.
 * - Months: only complete ones. A month is left out when kei index calls it partial (it reaches outside the days
 *   whose jobs the data can judge, or holds a censored job, see data-coverage.ts) or when it ends after the last
 *   day leaving can be observed (followed-jobs.ts): its churn would be counted short.
 * - Churn rate of month m = leavers in m / customers active at its start (started before m, or without a start
 *   date, and not left before m); under `--weight value` both are sums of `annual_value_eur`.
 * - KPIs (`kpis` table): counts and amounts summed over segments; rates (names ending in `_rate`) averaged over
 *   segments weighted by segment size (customers of the segment active at the period's start), or plainly
 *   averaged for a period where a segment's size is unknown (no segment, or none of the customers in it).
 * - Lags are declared before looking, not picked: MONTH_LAGS (the same month and one month later). Each
 *   correlation is Pearson's over the months with both values, with a 95% interval by Fisher's z,
 *   tanh(atanh(r) -+ 1.96 / sqrt(n - 3)); months follow each other and seasons move both series, so the
 *   interval is too narrow if anything, and these are indications only.
 * - Under `--weight value` the monthly KEI is kei index's formula with every job weighted by its customer's
 *   annual value (Effectiveness over judged jobs, Ease over all, Emotion over jobs with a signal, each a
 *   value-weighted mean; the KEI their weighted mean); NPS stays a count of answers.
 */
import { jobsRelation } from "../model/jobs-table.js";
import type { AnalysisOptions } from "../options/analysis-options.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, type DataCoverage, periodPartial } from "./data-coverage.js";
import type { ValidationWeight } from "./followed-jobs.js";
import { keiIndex } from "./kei-index.js";
import { npsIndex } from "./nps-index.js";

/** Lags (months) at which the KEI and NPS are set against churn and the KPIs: fixed in advance, all reported. */
export const MONTH_LAGS: readonly number[] = [0, 1];

type Interval = readonly [number, number];

export interface MonthlySeries {
  readonly month: string[];
  /** Months left out: partial, or ending after the last day leaving can be observed. */
  readonly dropped: string[];
  readonly kei: (number | null)[];
  readonly nps: (number | null)[];
  readonly churnRate: (number | null)[];
  /** The lags of the correlations below, in months (MONTH_LAGS). */
  readonly lags: readonly number[];
  /** Correlation of the monthly series with churn `lag` months later, per lag in `lags`, and its 95% interval. */
  readonly keiLeadsChurn: (number | null)[];
  readonly npsLeadsChurn: (number | null)[];
  readonly keiLeadsChurnCi: (Interval | null)[];
  readonly npsLeadsChurnCi: (Interval | null)[];
  /** Per internal KPI: its monthly values, and the correlations of the KEI and NPS with it, per lag. */
  readonly kpis: Record<
    string,
    {
      values: (number | null)[];
      keiLeads: (number | null)[];
      npsLeads: (number | null)[];
      keiLeadsCi: (Interval | null)[];
      npsLeadsCi: (Interval | null)[];
    }
  >;
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

/** 95% interval of a correlation of n pairs by Fisher's z; null below 4 pairs or at |r| = 1. */
export function fisherInterval(r: number | null, n: number): Interval | null {
  if (r === null || n < 4 || Math.abs(r) >= 1) return null;
  const z = Math.atanh(r);
  const half = 1.959964 / Math.sqrt(n - 3);
  return [Math.tanh(z - half), Math.tanh(z + half)];
}

const addMonths = (month: string, n: number) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
};
/** The last day of the month starting on `month`. */
const monthEnd = (month: string) =>
  new Date(Date.parse(`${addMonths(month, 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayOf = (v: unknown) => String(v).slice(0, 10);

/** Correlations of `series` (on `months`) with `target` (by month) `lag` months later, per lag. */
function lagged(
  months: readonly string[],
  series: readonly (number | null)[],
  target: ReadonlyMap<string, number | null>,
) {
  const r: (number | null)[] = [];
  const ci: (Interval | null)[] = [];
  for (const lag of MONTH_LAGS) {
    const ys = months.map((m) => target.get(addMonths(m, lag)) ?? null);
    const x = pearson(series, ys);
    const n = series.filter((v, i) => v !== null && ys[i] !== null).length;
    r.push(x);
    ci.push(fisherInterval(x, n));
  }
  return { r, ci };
}

export async function monthlySeries(
  store: Store,
  o: AnalysisOptions,
  f: { observedUntil: string | null; coverage: DataCoverage; weight: ValidationWeight },
): Promise<MonthlySeries> {
  const cells =
    f.weight === "value"
      ? await valueWeightedKei(store, o, f.coverage)
      : (await keiIndex(store, { by: ["month"], options: { ...o, minCellSize: 1 } })).map((c) => ({
          month: c.key.month as string,
          kei: c.kei,
          partial: c.partial,
        }));
  const observed = (m: string) => f.observedUntil !== null && monthEnd(m) <= f.observedUntil;
  const kept = cells.filter((c) => !c.partial && observed(c.month));
  const month = kept.map((c) => c.month);
  const dropped = cells.filter((c) => c.partial || !observed(c.month)).map((c) => c.month);
  const nps = await npsIndex(store, { by: ["month"], options: { ...o, minCellSize: 1 } });
  const npsByMonth = new Map(nps.map((c) => [c.key.month as string, c.nps]));
  const keiSeries = kept.map((c) => c.kei);
  const npsSeries = month.map((m) => npsByMonth.get(m) ?? null);

  // Churn for every complete month from the first kept one, so that a later lag finds its month.
  const churn = await churnByMonth(store, f.weight);
  const churnMonths = new Map<string, number | null>();
  if (month.length > 0) {
    for (let m = month[0] as string; observed(m); m = addMonths(m, 1)) churnMonths.set(m, churn(m));
  }
  const kc = lagged(month, keiSeries, churnMonths);
  const nc = lagged(month, npsSeries, churnMonths);
  return {
    month,
    dropped,
    kei: keiSeries,
    nps: npsSeries,
    churnRate: month.map((m) => churnMonths.get(m) ?? null),
    lags: MONTH_LAGS,
    keiLeadsChurn: kc.r,
    npsLeadsChurn: nc.r,
    keiLeadsChurnCi: kc.ci,
    npsLeadsChurnCi: nc.ci,
    kpis: await kpiSeries(store, month, keiSeries, npsSeries),
  };
}

/** Leavers in month m / customers active at its start, counted or by annual value. */
async function churnByMonth(store: Store, weight: ValidationWeight): Promise<(m: string) => number | null> {
  const d = store.dialect;
  const w = weight === "value" ? sql`coalesce(annual_value_eur, 0)` : sql`1.0`;
  // Customers without a start date count as active from before the data.
  const flows = await store.query<{ m: unknown; starts: unknown; ends: unknown }>(
    sql`SELECT m, sum(s) AS starts, sum(e) AS ends FROM (
        SELECT ${d.periodStartOfDate("month", sql`start_date`)} AS m, ${w} AS s, 0.0 AS e FROM customers WHERE start_date IS NOT NULL
        UNION ALL
        SELECT ${d.periodStartOfDate("month", sql`end_date`)} AS m, 0.0 AS s, ${w} AS e FROM customers WHERE end_date IS NOT NULL
      ) AS f GROUP BY m ORDER BY m`,
  );
  const undated = Number(
    (await store.query<{ v: unknown }>(sql`SELECT sum(${w}) AS v FROM customers WHERE start_date IS NULL`))[0]
      ?.v ?? 0,
  );
  return (m) => {
    let active = undated;
    let left = 0;
    for (const r of flows) {
      const fm = dayOf(r.m);
      if (fm < m) active += Number(r.starts ?? 0) - Number(r.ends ?? 0);
      if (fm === m) left = Number(r.ends ?? 0);
    }
    return active > 0 ? left / active : null;
  };
}

/** The internal KPIs per month (counts summed over segments, rates averaged weighted by segment size). */
async function kpiSeries(
  store: Store,
  month: readonly string[],
  keiSeries: readonly (number | null)[],
  npsSeries: readonly (number | null)[],
): Promise<MonthlySeries["kpis"]> {
  const d = store.dialect;
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT period, name, segment, sum(value) AS v FROM kpis GROUP BY period, name, segment ORDER BY name, period`,
  );
  // Customers of each segment active at the start of each period that has a rate.
  const sizes = await store.query<Record<string, unknown>>(
    sql`SELECT k_period, k_segment, sum(CASE WHEN (start_date IS NULL OR start_date < k_period)
          AND (end_date IS NULL OR end_date >= k_period) THEN 1 ELSE 0 END) AS size
      FROM (SELECT period AS k_period, segment AS k_segment FROM kpis WHERE segment IS NOT NULL GROUP BY period, segment) AS k
      ${d.join("inner")} (SELECT segment AS c_segment, start_date, end_date FROM customers) AS c ON k_segment = c_segment
      GROUP BY k_period, k_segment`,
  );
  const sizeOf = new Map(
    sizes.map((r) => [`${dayOf(r.k_period)}|${String(r.k_segment)}`, Number(r.size ?? 0)]),
  );
  const out: MonthlySeries["kpis"] = {};
  for (const name of [...new Set(rows.map((r) => String(r.name)))]) {
    const byPeriod = new Map<string, { v: number; size: number | null }[]>();
    for (const r of rows.filter((x) => String(x.name) === name)) {
      const p = dayOf(r.period);
      const size =
        r.segment === null || r.segment === undefined
          ? null
          : (sizeOf.get(`${p}|${String(r.segment)}`) ?? null);
      byPeriod.set(p, [...(byPeriod.get(p) ?? []), { v: Number(r.v), size: size && size > 0 ? size : null }]);
    }
    const value = (xs: { v: number; size: number | null }[]) => {
      if (!name.endsWith("_rate")) return xs.reduce((a, x) => a + x.v, 0);
      if (xs.every((x) => x.size !== null)) {
        const total = xs.reduce((a, x) => a + (x.size as number), 0);
        return xs.reduce((a, x) => a + x.v * (x.size as number), 0) / total;
      }
      return xs.reduce((a, x) => a + x.v, 0) / xs.length;
    };
    const values = month.map((m) => {
      const xs = byPeriod.get(m);
      return xs ? value(xs) : null;
    });
    const kl = lagged(month, keiSeries, new Map(month.map((m, i) => [m, values[i] ?? null])));
    const nl = lagged(month, npsSeries, new Map(month.map((m, i) => [m, values[i] ?? null])));
    out[name] = { values, keiLeads: kl.r, npsLeads: nl.r, keiLeadsCi: kl.ci, npsLeadsCi: nl.ci };
  }
  return out;
}

/** The monthly KEI with every job weighted by its customer's annual value (see the header). */
async function valueWeightedKei(
  store: Store,
  o: AnalysisOptions,
  coverage: DataCoverage,
): Promise<{ month: string; kei: number | null; partial: boolean }[]> {
  const d = store.dialect;
  const censored = censoredSql(coverage, o);
  const jobs = sql`SELECT first_month, effective, ease, emotion, ${censored} AS cens, coalesce(annual_value_eur, 0) AS v
    FROM (SELECT customer_id AS j_customer, first_month, effective, ease, emotion, first_t, follow_up_end_t FROM ${await jobsRelation(store, o)} AS j) AS jj
    ${d.join("left")} (SELECT customer_id AS v_customer, annual_value_eur FROM customers) AS c ON j_customer = v_customer`;
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT first_month AS m, ${d.count()} AS n, sum(cens) AS n_cens, ${d.count(sql`emotion`)} AS n_emo,
        sum(CASE WHEN cens = 0 THEN v * 100.0 * effective ELSE 0 END) AS s_e, sum(CASE WHEN cens = 0 THEN v ELSE 0 END) AS v_e,
        sum(v * ease) AS s_a, sum(v) AS v_a,
        sum(CASE WHEN emotion IS NULL THEN 0 ELSE v * emotion END) AS s_m, sum(CASE WHEN emotion IS NULL THEN 0 ELSE v END) AS v_m
      FROM (${jobs}) AS x GROUP BY first_month ORDER BY first_month`,
  );
  const w = o.weights;
  return rows.map((r) => {
    const month = dayOf(r.m);
    const num = (k: string) => Number(r[k] ?? 0);
    const partial = periodPartial("month", month, coverage) || num("n_cens") > 0;
    const judged = num("n") - num("n_cens");
    const e = judged >= o.minCellSize && num("v_e") > 0 ? num("s_e") / num("v_e") : null;
    const a = num("v_a") > 0 ? num("s_a") / num("v_a") : null;
    const m = num("n_emo") >= o.minEmotionSignals && num("v_m") > 0 ? num("s_m") / num("v_m") : null;
    const parts = [[w.effectiveness, e ?? 0], [w.ease, a ?? 0], ...(m === null ? [] : [[w.emotion, m]])] as [
      number,
      number,
    ][];
    const total = parts.reduce((s, [x]) => s + x, 0);
    const kei =
      e === null || a === null || total <= 0 ? null : parts.reduce((s, [x, v]) => s + x * v, 0) / total;
    return { month, kei, partial };
  });
}
