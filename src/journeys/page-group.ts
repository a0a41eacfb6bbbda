/**
 * A web page's group: the first segments of its path (2 by default: `/mijn/meterstand/invoeren` is in
 * `/mijn/meterstand`), or a name given to a path prefix in the config (`analysis.pageGroups`, the longest
 * matching prefix wins), as web analytics' content groups.
 */
import type { Dialect } from "../store/dialect/dialect.js";
import { join, type Sql, sql } from "../store/sql.js";
import { compareText } from "./discover-dfg.js";

export interface PageGroupOptions {
  /** Path segments that make a group (default 2). */
  readonly depth?: number | undefined;
  /** Path prefix -> group name. */
  readonly groups?: Readonly<Record<string, string>> | undefined;
}

/** The group of the `page` column, as SQL. */
export function pageGroupSql(d: Dialect, o: PageGroupOptions = {}): Sql {
  const depth = o.depth ?? 2;
  if (!(Number.isInteger(depth) && depth >= 1))
    throw new RangeError(`a page group depth must be >= 1, got ${depth}`);
  const fallback = d.pathPrefix(sql`page`, depth);
  const groups = o.groups ?? {};
  const prefixes = Object.keys(groups).sort((a, b) => b.length - a.length || compareText(a, b));
  if (prefixes.length === 0) return fallback;
  const whens = prefixes.map((p) => sql`WHEN ${d.startsWith(sql`page`, sql`${p}`)} THEN ${groups[p] ?? p}`);
  return sql`CASE ${join(whens, " ")} ELSE ${fallback} END`;
}
