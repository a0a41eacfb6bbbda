/**
 * NPS done right, beside the KEI: by the same cuts, with promoters (9-10), passives (7-8), detractors (0-6),
 * NPS = % promoters - % detractors, and its 95% margin of error. Survey answers are cut by the month of the
 * answer and, through the contact it is about, by reason and channel; by the customer's segment and product.
 */

import {
  type AnalysisOptions,
  type AnalysisOverrides,
  analysisOptions,
} from "../options/analysis-options.js";
import { alias, ident, join, raw, type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { checkDimensions, type KeiDimension } from "./kei-index.js";

export interface NpsCell {
  readonly key: Partial<Record<KeiDimension, string>>;
  readonly responses: number;
  readonly promoters: number | null;
  readonly passives: number | null;
  readonly detractors: number | null;
  /** -100..100 */
  readonly nps: number | null;
  /** Half-width of the 95% interval, in NPS points. */
  readonly margin: number | null;
  readonly suppressed: boolean;
}

export interface NpsQuery {
  readonly by: readonly KeiDimension[];
  readonly from?: string;
  readonly to?: string;
  readonly where?: Partial<Record<KeiDimension, string>>;
  readonly options?: AnalysisOverrides;
}

function answers(store: Store): Sql {
  const d = store.dialect;
  const withContact = sql`SELECT f_ts, score, f_customer, k_reason, k_channel FROM (
      SELECT ts AS f_ts, nps AS score, customer_id AS f_customer, contact_id AS f_contact FROM feedback WHERE nps IS NOT NULL
    ) AS f ${d.join("left")} (SELECT contact_id AS k_contact, reason AS k_reason, channel AS k_channel FROM contacts) AS k
      ON f_contact = k_contact`;
  const withCustomer = sql`SELECT f_ts, score, k_reason, k_channel, segment, product FROM (${withContact}) AS fk
    ${d.join("left")} (SELECT customer_id AS c_customer, segment, product FROM customers) AS c ON f_customer = c_customer`;
  return sql`SELECT f_ts, score, k_reason, k_channel, segment, product, lifecycle_stage FROM (${withCustomer}) AS fc
    ${d.join("left")} (SELECT reason AS r_reason, lifecycle_stage FROM reasons) AS r ON k_reason = r_reason`;
}

function dimensionExpr(store: Store, dim: KeiDimension, o: AnalysisOptions): Sql {
  switch (dim) {
    case "month":
    case "quarter":
      return store.dialect.periodStart(dim, sql`f_ts`, o.timeZone);
    case "reason":
      return sql`coalesce(k_reason, '')`;
    case "channel":
      return sql`coalesce(k_channel, '')`;
    case "lifecycle":
      return sql`coalesce(lifecycle_stage, '')`;
    default:
      return sql`coalesce(${ident(dim)}, '')`;
  }
}

export async function npsIndex(store: Store, q: NpsQuery): Promise<NpsCell[]> {
  const o = analysisOptions(q.options);
  const by = checkDimensions(q.by);
  const d = store.dialect;
  const filters: Sql[] = [];
  const dayOf = d.periodStart("day", sql`f_ts`, o.timeZone);
  if (q.from) filters.push(sql`${dayOf} >= ${q.from}`);
  if (q.to) filters.push(sql`${dayOf} <= ${q.to}`);
  for (const [k, v] of Object.entries(q.where ?? {})) {
    filters.push(sql`${dimensionExpr(store, checkDimensions([k])[0] as KeiDimension, o)} = ${String(v)}`);
  }
  const keys = by.map((b) => alias(`k_${b}`));
  const dims = by.map((b, i) => sql`${dimensionExpr(store, b, o)} AS ${keys[i] as Sql}`);
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT ${join([...dims, sql`${d.count()} AS n_answers`], ", ")},
        sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END) AS n_promoters,
        sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END) AS n_detractors
      FROM (${answers(store)}) AS a
      ${filters.length > 0 ? sql`WHERE ${join(filters, " AND ")}` : raw("")}
      ${by.length > 0 ? sql`GROUP BY ${join(keys, ", ")} ORDER BY ${join(keys, ", ")}` : raw("")}`,
  );
  return rows.map((r) => {
    const key: Partial<Record<KeiDimension, string>> = {};
    for (const b of by) key[b] = String(r[`k_${b}`]);
    const n = Number(r.n_answers);
    if (n < o.minCellSize) {
      return {
        key,
        responses: n,
        promoters: null,
        passives: null,
        detractors: null,
        nps: null,
        margin: null,
        suppressed: true,
      };
    }
    const p = Number(r.n_promoters) / n;
    const dd = Number(r.n_detractors) / n;
    return {
      key,
      responses: n,
      promoters: 100 * p,
      passives: 100 * (1 - p - dd),
      detractors: 100 * dd,
      nps: 100 * (p - dd),
      margin: npsMargin(p, dd, n),
      suppressed: false,
    };
  });
}

/**
 * 95% margin of error of an NPS, in points: each answer scores +1, 0 or -1, so the variance of one answer is
 * p + d - (p - d)^2, and the NPS's standard error is its root over n.
 */
export function npsMargin(promoters: number, detractors: number, n: number): number {
  const variance = promoters + detractors - (promoters - detractors) ** 2;
  return 100 * 1.959964 * Math.sqrt(Math.max(0, variance) / n);
}
