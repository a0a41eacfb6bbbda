/**
 * Calibrating Ease with CES answers, without replacing behaviour: for the jobs whose contacts got a CES answer
 * (1 = very hard, 7 = very easy), find the weights of the five effort components that best predict the answered
 * effort, (7 - ces) / 6 on 0-1, by least squares with an intercept: that combination agrees best (correlates
 * most) with CES, and scaling it to weights that sum to 1 keeps that agreement. The intercept is dropped (a job
 * without any effort stays at Ease 100); negative weights are set to 0 before scaling. kei reports how well the current and the
 * calibrated weights agree with CES; putting the calibrated weights in `analysis.easeWeights` is the user's call.
 */

import { jobContactsSql } from "../model/job-table.js";
import { jobsRelation } from "../model/jobs-table.js";
import { type AnalysisOverrides, analysisOptions, type EaseWeights } from "../options/analysis-options.js";
import { solve } from "../stats/solve-linear.js";
import { join, raw, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";

const KEYS = ["contacts", "switches", "wait", "transfers", "webToCall"] as const;
const COLUMNS = ["c_contacts", "c_switches", "c_wait", "c_transfers", "c_web"] as const;

export interface EaseCalibration {
  /** Jobs with a CES answer. */
  readonly n: number;
  readonly current: EaseWeights;
  readonly calibrated: EaseWeights | null;
  /** Correlation of job Ease with the CES answer (higher is better), with the current and calibrated weights. */
  readonly correlationCurrent: number | null;
  readonly correlationCalibrated: number | null;
}

export async function calibrateEase(store: Store, options: AnalysisOverrides = {}): Promise<EaseCalibration> {
  const o = analysisOptions(options);
  const d = store.dialect;
  // Mean CES per job, from answers on the job's contacts.
  const ces = sql`SELECT q_customer, q_reason, q_grp, avg(ces) AS job_ces FROM (
      SELECT customer_id AS q_customer, reason AS q_reason, grp AS q_grp, ces
      FROM (${jobContactsSql(d, o)}) AS jc
      ${d.join("inner")} (SELECT contact_id AS f_contact, ces FROM feedback WHERE ces IS NOT NULL AND contact_id IS NOT NULL) AS f
        ON contact_id = f_contact
    ) AS x GROUP BY q_customer, q_reason, q_grp`;
  const rows = sql`SELECT ${raw(COLUMNS.join(", "))}, (7.0 - job_ces) / 6.0 AS y FROM ${await jobsRelation(store, o)} AS j
    ${d.join("inner")} (${ces}) AS q ON customer_id = q_customer AND reason = q_reason AND grp = q_grp`;
  const sums: string[] = ["count(*) AS n", "sum(y) AS sy", "sum(y * y) AS syy"];
  COLUMNS.forEach((a, i) => {
    sums.push(`sum(${a}) AS s${i}`, `sum(${a} * y) AS s${i}y`);
    COLUMNS.forEach((b, k) => {
      if (k >= i) sums.push(`sum(${a} * ${b}) AS s${i}_${k}`);
    });
  });
  const r =
    (
      await store.query<Record<string, number>>(sql`SELECT ${join(sums.map(raw), ", ")} FROM (${rows}) AS x`)
    )[0] ?? {};
  const v = (k: string) => Number(r[k] ?? 0);
  const n = v("n");
  const cc = (i: number, k: number) => v(i <= k ? `s${i}_${k}` : `s${k}_${i}`);
  const current = o.easeWeights;
  /** Correlation of ease (= 100 (1 - w.c)) with CES (= 7 - 6 y): that of w.c with y. */
  const correlation = (w: EaseWeights): number | null => {
    if (n < 3) return null;
    const wv = KEYS.map((k) => w[k]);
    let sp = 0;
    let spp = 0;
    let spy = 0;
    wv.forEach((wi, i) => {
      sp += wi * v(`s${i}`);
      spy += wi * v(`s${i}y`);
      wv.forEach((wk, k) => {
        spp += wi * wk * cc(i, k);
      });
    });
    const varP = n * spp - sp * sp;
    const varY = n * v("syy") - v("sy") ** 2;
    return varP > 0 && varY > 0 ? (n * spy - sp * v("sy")) / Math.sqrt(varP * varY) : null;
  };
  let calibrated: EaseWeights | null = null;
  if (n >= 30) {
    const a = [
      [n, ...COLUMNS.map((_, k) => v(`s${k}`))],
      ...COLUMNS.map((_, i) => [v(`s${i}`), ...COLUMNS.map((__, k) => cc(i, k))]),
    ];
    const b = [v("sy"), ...COLUMNS.map((_, i) => v(`s${i}y`))];
    const x = solve(a, b)?.slice(1);
    if (x) {
      const clipped = x.map((xi) => Math.max(0, xi));
      const total = clipped.reduce((s, xi) => s + xi, 0);
      if (total > 0) {
        calibrated = Object.fromEntries(
          KEYS.map((k, i) => [k, (clipped[i] as number) / total]),
        ) as unknown as EaseWeights;
      }
    }
  }
  return {
    n,
    current,
    calibrated,
    correlationCurrent: correlation(current),
    correlationCalibrated: calibrated ? correlation(calibrated) : null,
  };
}
