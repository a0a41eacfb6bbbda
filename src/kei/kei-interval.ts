/**
 * The KEI's 95% interval, clustered by customer (a customer's jobs are not independent), by linearisation
 * (the delta method with a sandwich variance):
 *
 *   KEI = sum_k w_k m_k over the parts k present (Effectiveness over judged jobs, Ease over all jobs, Emotion over
 *   jobs with a signal), with the weights w_k scaled to sum to 1 over those parts, and m_k = S_k / N_k.
 *   Each customer c contributes psi_c = sum_k (w_k / N_k) (S_kc - m_k N_kc), where S_kc and N_kc are the part's
 *   sum and count over c's jobs in the cell; Var(KEI) = G / (G - 1) x sum_c psi_c^2 over the cell's G customers,
 *   and the interval is KEI +/- 1.96 sqrt(Var), kept within 0-100.
 *
 * The database returns, per cell, the sums over customers of the products S_kc S_lc, S_kc N_lc and N_kc N_lc, from
 * which sum_c psi_c^2 follows exactly; so the interval costs one grouped query, not a bootstrap. It accounts for the
 * weights and for the parts' correlation within a customer's jobs. No interval below two customers.
 */
import type { Dialect } from "../store/dialect/dialect.js";
import { join, raw, type Sql, sql } from "../store/sql.js";

export const PARTS = ["e", "a", "m"] as const;
export type Part = (typeof PARTS)[number];

/**
 * Per cell (the `dims`, grouped by their `keys` aliases) and customer (`m_customer`): each part's sum and count
 * over the customer's jobs in the cell, s_e, n_e (judged jobs only), s_a, n_a, s_m, n_m (jobs with a signal).
 */
export function customerPartSumsSql(
  d: Dialect,
  o: { dims: readonly Sql[]; keys: readonly Sql[]; from: Sql; where: Sql; censored: Sql },
): Sql {
  return sql`SELECT ${join([...o.dims, raw("customer_id AS m_customer")], ", ")},
      sum(CASE WHEN ${o.censored} = 0 THEN 100e0 * effective ELSE 0e0 END) AS s_e,
      sum(CASE WHEN ${o.censored} = 0 THEN 1 ELSE 0 END) AS n_e,
      sum(ease) AS s_a, ${d.count()} AS n_a,
      sum(coalesce(emotion, 0)) AS s_m, ${d.count(sql`emotion`)} AS n_m
    FROM ${o.from} ${o.where} GROUP BY ${join([...o.keys, raw("customer_id")], ", ")}`;
}

/** Per cell (the `keys` aliases) and per customer, then per cell: the cross sums named ss_kl, sn_kl, nn_kl. */
export function keiMomentsSql(
  d: Dialect,
  o: {
    dims: readonly Sql[];
    keys: readonly Sql[];
    from: Sql;
    where: Sql;
    censored: Sql;
  },
): Sql {
  const perCustomer = customerPartSumsSql(d, o);
  const products: Sql[] = [];
  for (const k of PARTS) {
    for (const l of PARTS) {
      products.push(raw(`sum(1e0 * s_${k} * n_${l}) AS sn_${k}${l}`));
      if (l >= k) {
        products.push(raw(`sum(1e0 * s_${k} * s_${l}) AS ss_${k}${l}`));
        products.push(raw(`sum(1e0 * n_${k} * n_${l}) AS nn_${k}${l}`));
      }
    }
  }
  const cols = [...o.keys, sql`${d.count()} AS n_customers`, ...products];
  const groupBy = o.keys.length > 0 ? sql` GROUP BY ${join(o.keys, ", ")}` : raw("");
  return sql`SELECT ${join(cols, ", ")} FROM (${perCustomer}) AS pc${groupBy}`;
}

/** The interval from a cell's moments, its parts' means and counts, and the weights of the parts present. */
export function keiInterval(
  moments: Record<string, unknown>,
  parts: Partial<Record<Part, { mean: number; n: number; weight: number }>>,
  kei: number,
): [number, number] | null {
  const g = Number(moments.n_customers);
  if (!(g >= 2)) return null;
  const present = PARTS.filter((k) => parts[k] !== undefined);
  const total = present.reduce((s, k) => s + (parts[k]?.weight ?? 0), 0);
  const v = (name: string, k: Part, l: Part) => {
    const [a, b] = name === "sn" || k <= l ? [k, l] : [l, k];
    return Number(moments[`${name}_${a}${b}`] ?? 0);
  };
  let sum = 0;
  for (const k of present) {
    for (const l of present) {
      const pk = parts[k] as { mean: number; n: number; weight: number };
      const pl = parts[l] as { mean: number; n: number; weight: number };
      const ak = pk.weight / total / pk.n;
      const al = pl.weight / total / pl.n;
      // sum_c (S_kc - m_k N_kc)(S_lc - m_l N_lc)
      const cross =
        v("ss", k, l) - pl.mean * v("sn", k, l) - pk.mean * v("sn", l, k) + pk.mean * pl.mean * v("nn", k, l);
      sum += ak * al * cross;
    }
  }
  const half = 1.959964 * Math.sqrt(Math.max(0, (g / (g - 1)) * sum));
  return [Math.max(0, kei - half), Math.min(100, kei + half)];
}
