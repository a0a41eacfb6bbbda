/**
 * KEI weights fitted to an internal outcome: leaving within 90 days after a job. A linear probability model
 * churn = b0 + b1 x effective + b2 x ease + b3 x emotion is fitted by least squares over the jobs with all
 * three parts (the normal equations' sums come from SQL; the 4 x 4 system is solved here). A part's weight is
 * its standardised protective effect, -b x standard deviation, kept at 0 or more and scaled to sum to 1: how
 * much a typical difference in that part moves churn. Same population as `kei validate` (follow-up complete,
 * `leaving` reasons left out).
 */

import { jobsRelation } from "../model/jobs-table.js";
import { type AnalysisOverrides, analysisOptions } from "../options/analysis-options.js";
import { solve } from "../stats/solve-linear.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { followedJobsSql, followUpCutoff } from "./followed-jobs.js";

export interface FittedWeights {
  readonly effectiveness: number;
  readonly ease: number;
  readonly emotion: number;
  /** Jobs the fit used. */
  readonly n: number;
  /** Coefficients per point of each part (effectiveness as 0/100), for the record. */
  readonly coefficients: {
    readonly intercept: number;
    readonly effectiveness: number;
    readonly ease: number;
    readonly emotion: number;
  };
}

export async function fitWeights(
  store: Store,
  options: AnalysisOverrides = {},
): Promise<FittedWeights | null> {
  const o = analysisOptions(options);
  const d = store.dialect;
  const { cutoff } = await followUpCutoff(store, o);
  if (!cutoff) return null;
  // x1 = effective x 100, so every part is on 0-100.
  const rows = sql`SELECT 100.0 * effective AS x1, ease AS x2, emotion AS x3, 1.0 * left_flag AS y
    FROM (${followedJobsSql(store, cutoff, await jobsRelation(store, o))}) AS f WHERE emotion IS NOT NULL`;
  const s = (
    await store.query<Record<string, number>>(
      sql`SELECT ${d.count()} AS n, sum(x1) AS s1, sum(x2) AS s2, sum(x3) AS s3, sum(y) AS sy,
          sum(x1 * x1) AS s11, sum(x1 * x2) AS s12, sum(x1 * x3) AS s13, sum(x2 * x2) AS s22, sum(x2 * x3) AS s23,
          sum(x3 * x3) AS s33, sum(x1 * y) AS s1y, sum(x2 * y) AS s2y, sum(x3 * y) AS s3y
        FROM (${rows}) AS x`,
    )
  )[0];
  const n = Number(s?.n ?? 0);
  if (!s || n < 30) return null;
  const v = (k: string) => Number(s[k] ?? 0);
  const xtx = [
    [n, v("s1"), v("s2"), v("s3")],
    [v("s1"), v("s11"), v("s12"), v("s13")],
    [v("s2"), v("s12"), v("s22"), v("s23")],
    [v("s3"), v("s13"), v("s23"), v("s33")],
  ];
  const b = solve(xtx, [v("sy"), v("s1y"), v("s2y"), v("s3y")]);
  if (!b) return null;
  const sd = (sum: number, sq: number) => Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
  const effect = [
    Math.max(0, -(b[1] as number) * sd(v("s1"), v("s11"))),
    Math.max(0, -(b[2] as number) * sd(v("s2"), v("s22"))),
    Math.max(0, -(b[3] as number) * sd(v("s3"), v("s33"))),
  ];
  const total = effect.reduce((a, x) => a + x, 0);
  if (total <= 0) return null;
  return {
    effectiveness: (effect[0] as number) / total,
    ease: (effect[1] as number) / total,
    emotion: (effect[2] as number) / total,
    n,
    coefficients: {
      intercept: b[0] as number,
      effectiveness: b[1] as number,
      ease: b[2] as number,
      emotion: b[3] as number,
    },
  };
}
