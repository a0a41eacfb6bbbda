/**
 * A web page's group: the first segments of its path (2 by default: `/mijn/meterstand/invoeren` is in
 * `/mijn/meterstand`; `pageGroupDepth`), or a name given to a path prefix (`pageGroups`, the longest matching
 * prefix wins), as web analytics' content groups. Both are analysis options (src/options/analysis-options.ts).
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { join, type Sql, sql } from "../store/sql.js";

/** The group of the `page` column, as SQL (options checked by `analysisOptions`). */
export function pageGroupSql(d: Dialect, o: Pick<AnalysisOptions, "pageGroupDepth" | "pageGroups">): Sql {
  const fallback = d.pathPrefix(sql`page`, o.pageGroupDepth);
  const groups = o.pageGroups;
  // Longest prefix first; equal lengths by code units, so the order never depends on the config's.
  const prefixes = Object.keys(groups).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  if (prefixes.length === 0) return fallback;
  const whens = prefixes.map((p) => sql`WHEN ${d.startsWith(sql`page`, sql`${p}`)} THEN ${groups[p] ?? p}`);
  return sql`CASE ${join(whens, " ")} ELSE ${fallback} END`;
}
