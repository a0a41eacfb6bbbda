/**
 * Sums for intervals clustered by customer, computed in the database: per customer c the totals x_kc of a few
 * expressions (e.g. y1 = leavers among exposed jobs, n1 = exposed jobs), then over the G customers the totals
 * X_k = sum_c x_kc and the cross sums M_kl = sum_c x_kc x_lc. Only these sums come back (one row), never the
 * customers. A ratio of totals such as a share Y/N or a relative risk (Y1/N1)/(Y0/N0) is then linearised
 * (the delta method): its log has the influence u_c = sum_k g_k x_kc per customer, with g_k = +-1/X_k, and the
 * sandwich (cluster) variance of the log is G/(G-1) sum_c u_c^2 = G/(G-1) sum_kl g_k g_l M_kl (sum_c u_c = 0
 * for such ratios, so no centring is needed). See `clusteredLogVariance`.
 */
import type { Dialect } from "../store/dialect/dialect.js";
import { alias, join, type Sql, sql } from "../store/sql.js";

export interface ClusterSumsSpec {
  /** A relation with a `u_customer` column and the columns the totals read. */
  readonly from: Sql;
  /** Name (kei's own, lower case) -> expression summed per customer. */
  readonly totals: Readonly<Record<string, Sql>>;
  /** Names whose cross sums M_kl are needed (for an interval); the other totals only come back as X_k. */
  readonly crossed: readonly string[];
}

/** One row: `g` (customers), `t_<k>` for every total, `m_<k>_<l>` (k before l in `crossed` order) for the crossed ones. */
export function clusterSumsSql(d: Dialect, spec: ClusterSumsSpec): Sql {
  const names = Object.keys(spec.totals);
  const perCustomer = sql`SELECT u_customer, ${join(
    names.map((k) => sql`sum(${spec.totals[k] as Sql}) AS ${alias(`c_${k}`)}`),
    ", ",
  )} FROM (${spec.from}) AS u GROUP BY u_customer`;
  const cols: Sql[] = [sql`${d.count()} AS g`];
  for (const k of names) cols.push(sql`sum(${alias(`c_${k}`)}) AS ${alias(`t_${k}`)}`);
  spec.crossed.forEach((k, i) => {
    for (const l of spec.crossed.slice(i)) {
      cols.push(sql`sum(1.0 * ${alias(`c_${k}`)} * ${alias(`c_${l}`)}) AS ${alias(`m_${k}_${l}`)}`);
    }
  });
  return sql`SELECT ${join(cols, ", ")} FROM (${perCustomer}) AS pc`;
}

/** The sums of one `clusterSumsSql` row, read by name. */
export interface ClusterSums {
  /** Customers (clusters). */
  readonly customers: number;
  total(k: string): number;
  /** sum_c x_kc x_lc, in either order. */
  cross(k: string, l: string): number;
}

export function clusterSums(
  row: Record<string, unknown> | undefined,
  crossed: readonly string[],
): ClusterSums {
  const r = row ?? {};
  const num = (v: unknown) => Number(v ?? 0);
  return {
    customers: num(r.g),
    total: (k) => num(r[`t_${k}`]),
    cross: (k, l) => {
      const [a, b] = crossed.indexOf(k) <= crossed.indexOf(l) ? [k, l] : [l, k];
      return num(r[`m_${a}_${b}`]);
    },
  };
}

/**
 * Variance of the log of a ratio of totals, clustered by customer: G/(G-1) sum_kl g_k g_l M_kl, with the
 * gradient g of the log with respect to the totals (e.g. log RR: g = {y1: 1/Y1, n1: -1/N1, y0: -1/Y0, n0: 1/N0}).
 * Null below two customers.
 */
export function clusteredLogVariance(
  s: ClusterSums,
  gradient: Readonly<Record<string, number>>,
): number | null {
  const g = s.customers;
  if (!(g >= 2)) return null;
  const keys = Object.keys(gradient);
  let sum = 0;
  for (const k of keys) {
    for (const l of keys) sum += (gradient[k] as number) * (gradient[l] as number) * s.cross(k, l);
  }
  return (g / (g - 1)) * Math.max(0, sum);
}
