/**
 * The SQL of a `kei index` cut: each dimension as the jobs-table expression kei-index.ts groups by (aliased
 * `k_<dim>`), and the `--from`, `--to`, `--where` filters on the job's first day. The same expressions as
 * kei-index.ts, so that the extra queries of the comparisons (kei-change.ts, mix-standardised.ts) see
 * exactly the cells `keiIndex` returns: one definition of a cut for all of them.
 */
import { UsageError } from "../errors/kei-error.js";
import { alias, ident, join, raw, type Sql, sql } from "../store/sql.js";
import type { KeiIndexQuery } from "./kei-index.js";

export const KEI_DIMENSIONS = [
  "month",
  "quarter",
  "reason",
  "channel",
  "segment",
  "product",
  "lifecycle",
] as const;
export type KeiDimension = (typeof KEI_DIMENSIONS)[number];

export function checkDimensions(names: readonly string[]): KeiDimension[] {
  for (const n of names) {
    if (!(KEI_DIMENSIONS as readonly string[]).includes(n)) {
      throw new UsageError(`unknown dimension "${n}"; dimensions: ${KEI_DIMENSIONS.join(", ")}`);
    }
  }
  return names as KeiDimension[];
}

/** A cut of the jobs table: months and quarters are stored with each job, in the configured time zone. */
export function keiDimensionSql(dim: KeiDimension): Sql {
  switch (dim) {
    case "month":
      return sql`first_month`;
    case "quarter":
      return sql`first_quarter`;
    case "lifecycle":
      return sql`coalesce(lifecycle_stage, '')`;
    case "segment":
    case "product":
      return sql`coalesce(${ident(dim)}, '')`;
    default:
      return ident(dim);
  }
}

export interface KeiCutSql {
  /** `expr AS k_<dim>` per dimension, for a SELECT list. */
  readonly dims: Sql[];
  /** The `k_<dim>` aliases, for GROUP BY. */
  readonly keys: Sql[];
  /** `WHERE ...` or nothing. */
  readonly where: Sql;
}

export function keiCutSql(by: readonly KeiDimension[], q: Omit<KeiIndexQuery, "by">): KeiCutSql {
  const day = (v: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`bad date "${v}" (expected YYYY-MM-DD)`);
    return v;
  };
  const filters: Sql[] = [];
  if (q.from) filters.push(sql`first_day >= ${day(q.from)}`);
  if (q.to) filters.push(sql`first_day <= ${day(q.to)}`);
  for (const [k, v] of Object.entries(q.where ?? {})) {
    const dim = checkDimensions([k])[0] as KeiDimension;
    filters.push(sql`${keiDimensionSql(dim)} = ${String(v)}`);
  }
  return {
    dims: by.map((dim) => sql`${keiDimensionSql(dim)} AS ${alias(`k_${dim}`)}`),
    keys: by.map((b) => alias(`k_${b}`)),
    where: filters.length > 0 ? sql`WHERE ${join(filters, " AND ")}` : raw(""),
  };
}
