/**
 * The change of the KEI and of each part from the previous period (`kei index --by month --compare previous`),
 * with a 95% interval of the difference that counts the customers who appear in both periods.
 *
 * For a cell p (a month or quarter, with the other keys of the cut) and the cell q of the previous period with the
 * same other keys, D = X_p - X_q, where X is the KEI or one part. By the same linearisation as the KEI's own
 * interval (kei-interval.ts), customer c contributes psi_pc = sum_k a_pk (S_pkc - m_pk N_pkc) to X_p, with
 * a_pk = w_k / N_pk for the KEI (w_k the weights of the parts present in p, scaled to sum to 1) and a_pk = 1 / N_pk
 * for part k alone. Then
 *
 *   Var(D) = Var_p + Var_q - 2 Cov,
 *   Var_p  = G_p / (G_p - 1) x sum_c psi_pc^2                       (the KEI interval's variance, G_p customers in p)
 *   Cov    = sqrt(G_p / (G_p - 1) x G_q / (G_q - 1)) x sum_c psi_pc psi_qc   (over the customers in both periods)
 *
 * and the interval is D +/- 1.96 sqrt(Var(D)). A customer in only one period adds 0 to the covariance; a customer
 * in both, whose figures move together, makes the covariance positive and the interval narrower than the naive
 * sqrt(Var_p + Var_q). The covariance's factor is the geometric mean of the periods' small-sample factors, so that
 * the implied correlation stays within -1 and 1 (Cauchy-Schwarz) and Var(D) >= 0.
 *
 * sum_c psi_pc psi_qc = sum_k sum_l a_pk a_ql sum_c (S_pkc - m_pk N_pkc)(S_qlc - m_ql N_qlc) follows exactly from
 * four cross-period sums per pair of parts, computed in the database by joining each customer's sums in p to
 * their sums in the period before: sum_c S_pkc S_qlc, S_pkc N_qlc, N_pkc S_qlc and N_pkc N_qlc.
 *
 * Verdict: "up" when the whole interval is above 0, "down" when it is below, else "no clear change". A change
 * is not given (status instead of a number) when either period is partial or suppressed, or when the previous
 * period has no cell.
 */
import { UsageError } from "../errors/kei-error.js";
import { jobsRelation } from "../model/jobs-table.js";
import { analysisOptions } from "../options/analysis-options.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { alias, join, raw, type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, dataCoverage } from "./data-coverage.js";
import { keiCutSql } from "./kei-cut-sql.js";
import {
  checkDimensions,
  type KeiCell,
  type KeiDimension,
  type KeiIndexQuery,
  keiIndex,
} from "./kei-index.js";
import { customerPartSumsSql, keiMomentsSql, PARTS, type Part } from "./kei-interval.js";

export type ChangeVerdict = "up" | "down" | "no clear change";

/** Why a row has no change: either period partial or suppressed, or no cell for the previous period. */
export type ChangeStatus = "compared" | "partial" | "suppressed" | "no previous period";

export interface Difference {
  /** This period's figure minus the previous period's, in points. */
  readonly change: number;
  /** 95% interval of the change, within -100 and 100; null below two customers in a period. */
  readonly interval: readonly [number, number] | null;
  readonly verdict: ChangeVerdict | null;
}

export interface KeiChange {
  /** The row's key (its period and other dimensions), as in `keiIndex`. */
  readonly key: Partial<Record<KeiDimension, string>>;
  /** First day of the previous period (YYYY-MM-DD). */
  readonly previous: string;
  readonly status: ChangeStatus;
  /** Null unless status is "compared" (and, for a part, unless both periods have it). */
  readonly kei: Difference | null;
  readonly effectiveness: Difference | null;
  readonly ease: Difference | null;
  readonly emotion: Difference | null;
  /** Customers with jobs in both periods (their covariance narrows the interval). */
  readonly sharedCustomers: number;
}

export type TimeDimension = "month" | "quarter";

/** The one time dimension of a cut; throws a clear error without exactly one. */
export function timeDimension(by: readonly KeiDimension[]): TimeDimension {
  const times = by.filter((b): b is TimeDimension => b === "month" || b === "quarter");
  if (times.length !== 1) {
    throw new UsageError("a comparison with the previous period needs exactly one of month, quarter in --by");
  }
  return times[0] as TimeDimension;
}

/** First day of the period before the one starting on `start` (YYYY-MM-01). */
export function previousPeriod(grain: TimeDimension, start: string): string {
  const [y, m] = start.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - (grain === "month" ? 1 : 3), 1)).toISOString().slice(0, 10);
}

export function verdictOf(interval: readonly [number, number] | null): ChangeVerdict | null {
  if (!interval) return null;
  if (interval[0] > 0) return "up";
  if (interval[1] < 0) return "down";
  return "no clear change";
}

const CROSS = ["ss", "sn", "ns", "nn"] as const;

/**
 * Per cell of the cut and its previous period, over the customers with jobs in both: the cross-period sums
 * x_ss_kl = sum_c S_pkc S_qlc, x_sn_kl = sum_c S_pkc N_qlc, x_ns_kl = sum_c N_pkc S_qlc, x_nn_kl = sum_c N_pkc N_qlc
 * for parts k (this period) and l (the previous one), and n_shared customers. Two subqueries of per-customer sums,
 * the second with its keys renamed (ClickHouse 18.16 wants distinct names across a join), joined on customer,
 * other keys, and this period's previous period: the period holding the day before its first day.
 */
export function crossPeriodMomentsSql(
  d: Dialect,
  o: {
    by: readonly KeiDimension[];
    grain: TimeDimension;
    from: Sql;
    where: Sql;
    censored: Sql;
  },
): Sql {
  const cut = keiCutSql(o.by, {});
  const perCustomer = customerPartSumsSql(d, { ...o, dims: cut.dims, keys: cut.keys });
  const time = alias(`k_${o.grain}`);
  const sums = PARTS.flatMap((k) => [raw(`s_${k}`), raw(`n_${k}`)]);
  // A date minus 1 is the day before on both engines (DuckDB DATE - INTEGER, ClickHouse Date - Int).
  const current = sql`SELECT ${join([...cut.keys, raw("m_customer"), ...sums], ", ")},
      ${d.periodStartOfDate(o.grain, sql`${time} - ${raw("1")}`)} AS k_previous
    FROM (${perCustomer}) AS pc`;
  const renamed = [
    ...o.by.map((b) => sql`${alias(`k_${b}`)} AS ${alias(`q_${b}`)}`),
    raw("m_customer AS q_customer"),
    ...PARTS.flatMap((k) => [raw(`s_${k} AS q_s_${k}`), raw(`n_${k} AS q_n_${k}`)]),
  ];
  const before = sql`SELECT ${join(renamed, ", ")} FROM (${perCustomer}) AS pq`;
  const on = [
    raw("m_customer = q_customer"),
    sql`k_previous = ${alias(`q_${o.grain}`)}`,
    ...o.by.filter((b) => b !== o.grain).map((b) => sql`${alias(`k_${b}`)} = ${alias(`q_${b}`)}`),
  ];
  const products: Sql[] = [];
  for (const k of PARTS) {
    for (const l of PARTS) {
      products.push(raw(`sum(1e0 * s_${k} * q_s_${l}) AS x_ss_${k}${l}`));
      products.push(raw(`sum(1e0 * s_${k} * q_n_${l}) AS x_sn_${k}${l}`));
      products.push(raw(`sum(1e0 * n_${k} * q_s_${l}) AS x_ns_${k}${l}`));
      products.push(raw(`sum(1e0 * n_${k} * q_n_${l}) AS x_nn_${k}${l}`));
    }
  }
  return sql`SELECT ${join([...cut.keys, sql`${d.count()} AS n_shared`, ...products], ", ")}
    FROM (${current}) AS cur ${d.join("inner")} (${before}) AS prev ON ${join(on, " AND ")}
    GROUP BY ${join(cut.keys, ", ")}`;
}

/** A part's coefficient a_k and mean m_k in a linear figure of one cell (see the header). */
type Coefficients = Partial<Record<Part, { a: number; mean: number }>>;

/** Coefficients of the KEI (weights of the parts present, scaled to 1) or of one part alone. */
export function cellCoefficients(
  c: KeiCell,
  weights: { effectiveness: number; ease: number; emotion: number },
  figure: "kei" | "effectiveness" | "ease" | "emotion",
): Coefficients | null {
  const parts: Partial<Record<Part, { mean: number; n: number; weight: number }>> = {};
  if (c.effectiveness !== null)
    parts.e = { mean: c.effectiveness, n: c.jobs - c.censoredJobs, weight: weights.effectiveness };
  if (c.ease !== null) parts.a = { mean: c.ease, n: c.jobs, weight: weights.ease };
  if (c.emotion !== null)
    parts.m = { mean: c.emotion, n: Math.round(c.emotionCoverage * c.jobs), weight: weights.emotion };
  const only: Record<string, Part> = { effectiveness: "e", ease: "a", emotion: "m" };
  const chosen = figure === "kei" ? PARTS.filter((k) => parts[k]) : [only[figure] as Part];
  if (figure === "kei" && c.kei === null) return null;
  if (chosen.some((k) => !parts[k] || (parts[k]?.n ?? 0) <= 0)) return null;
  const total = figure === "kei" ? chosen.reduce((s, k) => s + (parts[k]?.weight ?? 0), 0) : 1;
  const out: Coefficients = {};
  for (const k of chosen) {
    const p = parts[k] as { mean: number; n: number; weight: number };
    out[k] = { a: (figure === "kei" ? p.weight / total : 1) / p.n, mean: p.mean };
  }
  return out;
}

/** sum_c psi_pc psi_qc from a cell pair's sums (`prefix` "" with keiMomentsSql's names, "x_" for the cross ones). */
export function crossSum(
  moments: Record<string, unknown>,
  p: Coefficients,
  q: Coefficients,
  across: boolean,
): number {
  const v = (name: string) => Number(moments[name] ?? 0);
  // Within one period keiMomentsSql keeps ss_kl and nn_kl for k <= l (as letters: a, e, m) only, and
  // sn_kl = sum_c S_kc N_lc for every pair.
  const within = (kind: "ss" | "sn" | "ns" | "nn", k: Part, l: Part) => {
    if (kind === "sn") return v(`sn_${k}${l}`);
    if (kind === "ns") return v(`sn_${l}${k}`);
    const [a, b] = k <= l ? [k, l] : [l, k];
    return v(`${kind}_${a}${b}`);
  };
  const get = (kind: (typeof CROSS)[number], k: Part, l: Part) =>
    across ? v(`x_${kind}_${k}${l}`) : within(kind, k, l);
  let sum = 0;
  for (const k of PARTS) {
    const pk = p[k];
    if (!pk) continue;
    for (const l of PARTS) {
      const ql = q[l];
      if (!ql) continue;
      // sum_c (S_pkc - m_pk N_pkc)(S_qlc - m_ql N_qlc)
      const cross =
        get("ss", k, l) -
        ql.mean * get("sn", k, l) -
        pk.mean * get("ns", k, l) +
        pk.mean * ql.mean * get("nn", k, l);
      sum += pk.a * ql.a * cross;
    }
  }
  return sum;
}

/** The change of one figure between two cells with its interval, from the three sets of moments. */
export function differenceOf(
  change: number,
  p: { coefficients: Coefficients; moments: Record<string, unknown> },
  q: { coefficients: Coefficients; moments: Record<string, unknown> },
  cross: Record<string, unknown> | undefined,
): Difference {
  const gp = Number(p.moments.n_customers);
  const gq = Number(q.moments.n_customers);
  if (!(gp >= 2 && gq >= 2)) return { change, interval: null, verdict: null };
  const fp = gp / (gp - 1);
  const fq = gq / (gq - 1);
  const varP = fp * crossSum(p.moments, p.coefficients, p.coefficients, false);
  const varQ = fq * crossSum(q.moments, q.coefficients, q.coefficients, false);
  const cov = cross ? Math.sqrt(fp * fq) * crossSum(cross, p.coefficients, q.coefficients, true) : 0;
  const half = 1.959964 * Math.sqrt(Math.max(0, varP + varQ - 2 * cov));
  const interval: [number, number] = [Math.max(-100, change - half), Math.min(100, change + half)];
  return { change, interval, verdict: verdictOf(interval) };
}

const FIGURES = ["kei", "effectiveness", "ease", "emotion"] as const;

/**
 * Every row of `keiIndex(q)` with its change from the previous period of the same other keys. The cut must hold
 * exactly one of month, quarter. Returns the cells too, so that a caller shows both from one run.
 */
export async function keiChange(
  store: Store,
  q: KeiIndexQuery,
): Promise<{ cells: KeiCell[]; changes: KeiChange[] }> {
  const o = analysisOptions(q.options);
  const by = checkDimensions(q.by);
  const grain = timeDimension(by);
  const cells = await keiIndex(store, q);
  const cut = keiCutSql(by, q);
  const coverage = await dataCoverage(store, o);
  const censored = censoredSql(coverage, o);
  const jobs = await jobsRelation(store, o);
  const from = sql`${jobs} AS jobs`;
  const [moments, cross] = await Promise.all([
    store.query<Record<string, unknown>>(
      keiMomentsSql(store.dialect, { dims: cut.dims, keys: cut.keys, from, where: cut.where, censored }),
    ),
    store.query<Record<string, unknown>>(
      crossPeriodMomentsSql(store.dialect, { by, grain, from, where: cut.where, censored }),
    ),
  ]);
  const keyOf = (k: Partial<Record<KeiDimension, string>>) => JSON.stringify(by.map((b) => k[b] ?? ""));
  const rowKey = (r: Record<string, unknown>) => JSON.stringify(by.map((b) => String(r[`k_${b}`])));
  const cellBy = new Map(cells.map((c) => [keyOf(c.key), c]));
  const momentsBy = new Map(moments.map((m) => [rowKey(m), m]));
  const crossBy = new Map(cross.map((m) => [rowKey(m), m]));
  const changes = cells.map((c): KeiChange => {
    const previous = previousPeriod(grain, c.key[grain] as string);
    const before = cellBy.get(keyOf({ ...c.key, [grain]: previous }));
    const x = crossBy.get(keyOf(c.key));
    const none = (status: ChangeStatus): KeiChange => ({
      key: c.key,
      previous,
      status,
      kei: null,
      effectiveness: null,
      ease: null,
      emotion: null,
      sharedCustomers: Number(x?.n_shared ?? 0),
    });
    if (!before) return none("no previous period");
    if (c.partial || before.partial) return none("partial");
    if (c.suppressed || before.suppressed) return none("suppressed");
    const mp = momentsBy.get(keyOf(c.key));
    const mq = momentsBy.get(keyOf(before.key));
    const diff = (figure: (typeof FIGURES)[number]): Difference | null => {
      const vp = c[figure];
      const vq = before[figure];
      const cp = cellCoefficients(c, o.weights, figure);
      const cq = cellCoefficients(before, o.weights, figure);
      if (vp === null || vq === null || !cp || !cq || !mp || !mq) return null;
      return differenceOf(vp - vq, { coefficients: cp, moments: mp }, { coefficients: cq, moments: mq }, x);
    };
    return {
      ...none("compared"),
      kei: diff("kei"),
      effectiveness: diff("effectiveness"),
      ease: diff("ease"),
      emotion: diff("emotion"),
    };
  });
  return { cells, changes };
}
