/**
 * The change of the mix-standardised KEI (mix-standardised.ts) from the previous period, with a 95% interval that
 * counts the customers who appear in both periods and in several reasons.
 *
 * The standardised KEI of a row p (a period with the other keys of the cut) is linear in the reasons' part means:
 *
 *   KEI_std(p) = sum_k sum_r c_prk P_prk,   c_prk = (w_k / sum of w over the parts present) x (W_r / W_pk),
 *
 * with P_prk = S_prk / N_prk the mean of part k in the cell (p, reason r), W_r the reason's fixed weight and W_pk the
 * weight of the reasons that show part k in p (the renormalisation). Linearised as the KEI's own interval
 * (kei-interval.ts), customer c contributes psi_pc = sum_r sum_k (c_prk / N_prk) (S_prkc - P_prk N_prkc): one number
 * per customer and row, summed over that customer's jobs on every reason, computed in the database with the
 * coefficients bound as values. Then, as for the raw change (kei-change.ts),
 *
 *   Var(D) = f_p sum_c psi_pc^2 + f_q sum_c psi_qc^2 - 2 sqrt(f_p f_q) sum_c psi_pc psi_qc,   f = G / (G - 1),
 *
 * with q the previous period of the same other keys and G the customers of a row. The fixed weights W_r are taken as
 * given (they come from the whole range, not from either period).
 */
import { jobsRelation } from "../model/jobs-table.js";
import { analysisOptions } from "../options/analysis-options.js";
import { alias, join, raw, type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, dataCoverage } from "./data-coverage.js";
import { type Difference, previousPeriod, timeDimension, verdictOf } from "./kei-change.js";
import { checkDimensions, type KeiDimension, keiCutSql, keiDimensionSql } from "./kei-cut-sql.js";
import type { KeiCell, KeiIndexQuery } from "./kei-index.js";
import type { StandardisedCell } from "./mix-standardised.js";

type Key = Partial<Record<KeiDimension, string>>;

/** A standardised row's change from the previous period (null where either has no standardised KEI). */
export interface StandardisedChange {
  readonly key: Key;
  readonly change: Difference | null;
}

/** Per reason cell of a row: the coefficient over N and the mean of each part in the standardised KEI. */
interface CellTerms {
  readonly cell: KeiCell;
  readonly e: { a: number; mean: number } | null;
  readonly a: { a: number; mean: number } | null;
  readonly m: { a: number; mean: number } | null;
}

/** The terms of each reason cell in its row's standardised KEI; null when the row has no standardised KEI. */
export function standardisedTerms(
  row: StandardisedCell,
  cells: readonly KeiCell[],
  weights: { effectiveness: number; ease: number; emotion: number },
): CellTerms[] | null {
  if (row.kei === null) return null;
  const w = new Map(row.mix.map((m) => [m.reason, m.weight]));
  const shown = (c: KeiCell, v: number | null) => v !== null && !c.suppressed;
  const covered = (pick: (c: KeiCell) => number | null) =>
    cells.filter((c) => shown(c, pick(c))).reduce((s, c) => s + (w.get(c.key.reason ?? "") ?? 0), 0);
  const parts = {
    e: { weight: weights.effectiveness, covered: covered((c) => c.effectiveness) },
    a: { weight: weights.ease, covered: covered((c) => c.ease) },
    m: row.emotion === null ? null : { weight: weights.emotion, covered: covered((c) => c.emotion) },
  };
  const total = parts.e.weight + parts.a.weight + (parts.m?.weight ?? 0);
  return cells.map((c) => {
    const wr = w.get(c.key.reason ?? "") ?? 0;
    const term = (
      part: { weight: number; covered: number } | null,
      value: number | null,
      n: number,
    ): { a: number; mean: number } | null =>
      part && shown(c, value) && n > 0 && part.covered > 0
        ? { a: ((part.weight / total) * (wr / part.covered)) / n, mean: value as number }
        : null;
    return {
      cell: c,
      e: term(parts.e, c.effectiveness, c.jobs - c.censoredJobs),
      a: term(parts.a, c.ease, c.jobs),
      m: term(parts.m, c.emotion, Math.round(c.emotionCoverage * c.jobs)),
    };
  });
}

/**
 * The standardised KEI's change from the previous period for each standardised row of a trend (`q.by` holds one
 * of month, quarter and not reason), in the rows' order; `change` null where either period has no standardised KEI.
 */
export async function standardisedChanges(
  store: Store,
  q: KeiIndexQuery,
  rows: readonly StandardisedCell[],
  reasonCells: readonly KeiCell[],
): Promise<StandardisedChange[]> {
  const o = analysisOptions(q.options);
  const by = checkDimensions(q.by);
  const grain = timeDimension(by);
  const keyOf = (k: Key) => JSON.stringify(by.map((b) => k[b] ?? ""));
  const byRow = new Map<string, KeiCell[]>();
  for (const c of reasonCells) {
    const id = keyOf(c.key);
    byRow.set(id, [...(byRow.get(id) ?? []), c]);
  }
  const rowBy = new Map(rows.map((r) => [keyOf(r.key), r]));
  const terms = rows.flatMap((r) => standardisedTerms(r, byRow.get(keyOf(r.key)) ?? [], o.weights) ?? []);
  const out = new Map<string, Difference | null>();
  const result = () => rows.map((r) => ({ key: r.key, change: out.get(keyOf(r.key)) ?? null }));
  if (terms.length === 0) return result();
  const d = store.dialect;
  const coverage = await dataCoverage(store, o);
  const censored = censoredSql(coverage, o);
  const cut = keiCutSql(by, q);
  // One branch per reason cell: its contribution to psi from one job.
  const branches = terms.map((t) => {
    const match = join(
      [...by, "reason" as const].map((b) => sql`${keiDimensionSql(b)} = ${t.cell.key[b] ?? ""}`),
      " AND ",
    );
    const parts: Sql[] = [];
    if (t.e)
      parts.push(sql`${t.e.a} * (CASE WHEN ${censored} = 0 THEN 100.0 * effective - ${t.e.mean} ELSE 0 END)`);
    if (t.a) parts.push(sql`${t.a.a} * (ease - ${t.a.mean})`);
    if (t.m) parts.push(sql`${t.m.a} * (CASE WHEN emotion IS NULL THEN 0 ELSE emotion - ${t.m.mean} END)`);
    return sql`WHEN ${match} THEN ${parts.length > 0 ? join(parts, " + ") : raw("0")}`;
  });
  const jobs = await jobsRelation(store, o);
  const psi = sql`SELECT ${join([...cut.dims, raw("customer_id AS m_customer")], ", ")},
      sum(CASE ${join(branches, " ")} ELSE 0 END) AS psi
    FROM ${jobs} AS jobs ${cut.where} GROUP BY ${join([...cut.keys, raw("customer_id")], ", ")}`;
  const time = alias(`k_${grain}`);
  const own = sql`SELECT ${join(cut.keys, ", ")}, ${d.count()} AS g, sum(psi * psi) AS s2
    FROM (${psi}) AS p GROUP BY ${join(cut.keys, ", ")}`;
  const current = sql`SELECT ${join([...cut.keys, raw("m_customer"), raw("psi")], ", ")},
      ${d.periodStartOfDate(grain, sql`${time} - ${raw("1")}`)} AS k_previous FROM (${psi}) AS pc`;
  const before = sql`SELECT ${join(
    [
      ...by.map((b) => sql`${alias(`k_${b}`)} AS ${alias(`q_${b}`)}`),
      raw("m_customer AS q_customer"),
      raw("psi AS q_psi"),
    ],
    ", ",
  )} FROM (${psi}) AS pq`;
  const on = [
    raw("m_customer = q_customer"),
    sql`k_previous = ${alias(`q_${grain}`)}`,
    ...by.filter((b) => b !== grain).map((b) => sql`${alias(`k_${b}`)} = ${alias(`q_${b}`)}`),
  ];
  const cross = sql`SELECT ${join(cut.keys, ", ")}, sum(psi * q_psi) AS x
    FROM (${current}) AS cur ${d.join("inner")} (${before}) AS prev ON ${join(on, " AND ")}
    GROUP BY ${join(cut.keys, ", ")}`;
  const [owns, crosses] = await Promise.all([
    store.query<Record<string, unknown>>(own),
    store.query<Record<string, unknown>>(cross),
  ]);
  const resultKey = (r: Record<string, unknown>) => JSON.stringify(by.map((b) => String(r[`k_${b}`])));
  const ownBy = new Map(owns.map((r) => [resultKey(r), r]));
  const crossBy = new Map(crosses.map((r) => [resultKey(r), Number(r.x)]));
  for (const r of rows) {
    const id = keyOf(r.key);
    const prev = rowBy.get(keyOf({ ...r.key, [grain]: previousPeriod(grain, r.key[grain] as string) }));
    if (r.kei === null || !prev || prev.kei === null) {
      out.set(id, null);
      continue;
    }
    const change = r.kei - prev.kei;
    const p = ownBy.get(id);
    const qr = ownBy.get(keyOf(prev.key));
    const gp = Number(p?.g ?? 0);
    const gq = Number(qr?.g ?? 0);
    if (!(gp >= 2 && gq >= 2)) {
      out.set(id, { change, interval: null, verdict: null });
      continue;
    }
    const fp = gp / (gp - 1);
    const fq = gq / (gq - 1);
    const variance =
      fp * Number(p?.s2) + fq * Number(qr?.s2) - 2 * Math.sqrt(fp * fq) * (crossBy.get(id) ?? 0);
    const half = 1.959964 * Math.sqrt(Math.max(0, variance));
    const interval: [number, number] = [Math.max(-100, change - half), Math.min(100, change + half)];
    out.set(id, { change, interval, verdict: verdictOf(interval) });
  }
  return result();
}
