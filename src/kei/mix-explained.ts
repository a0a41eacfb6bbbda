/**
 * How much of a trend's period-to-period changes the reason mix explains: the share of the variance of the changes
 * (R², the squared correlation) that the changes of a mix-only KEI explain.
 *
 *   mix-only KEI M_p = sum_r s_pr K_r / sum_r s_pr: what period p's KEI would be if every reason performed at its
 *                      usual level, with p's own mix. s_pr = reason r's jobs in p; K_r = the jobs-weighted mean of r's
 *                      shown KEIs over the range; reasons without a shown KEI in the range are left out;
 *   share            = corr(dX, dM)^2 over the changes dX_p = X_p - X_prev(p) between consecutive whole periods
 *                      (neither partial, both with a figure), per value of the other keys and pooled.
 *
 * Computed for the raw KEI ("before") and the standardised one ("after"): standardised, the share should be near 0.
 * Null below MIN_CHANGES changes (an R² of a handful of points says nothing), or when the mix-only KEI or the figure does not move.
 */
import type { KeiCell, KeiDimension } from "./kei-index.js";
import type { StandardisedCell } from "./mix-standardised.js";

export interface MixExplained {
  /** Period-to-period changes counted. */
  readonly changes: number;
  /** Share (0-1) of the raw KEI's changes explained by the mix. */
  readonly raw: number | null;
  /** The same for the standardised KEI. */
  readonly standardised: number | null;
}

/** Fewer period-to-period changes than this give no share. */
export const MIN_CHANGES = 6;

function squaredCorrelation(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < MIN_CHANGES) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : null;
}

export function mixExplained(
  time: "month" | "quarter",
  raw: readonly KeiCell[],
  standardised: readonly StandardisedCell[],
  reasonCells: readonly KeiCell[],
  previousOf: (start: string) => string,
): MixExplained {
  const id = (k: Partial<Record<KeiDimension, string>>) =>
    JSON.stringify(
      Object.entries(k)
        .filter(([d]) => d !== "reason")
        .sort(),
    );
  const group = (k: Partial<Record<KeiDimension, string>>) =>
    JSON.stringify(
      Object.entries(k)
        .filter(([d]) => d !== "reason" && d !== time)
        .sort(),
    );
  // K_r per group: the jobs-weighted mean of the reason's shown KEIs.
  const usual = new Map<string, { sum: number; jobs: number }>();
  for (const c of reasonCells) {
    if (c.kei === null || c.suppressed) continue;
    const k = `${group(c.key)}|${c.key.reason}`;
    const u = usual.get(k) ?? { sum: 0, jobs: 0 };
    usual.set(k, { sum: u.sum + c.kei * c.jobs, jobs: u.jobs + c.jobs });
  }
  const mixOnly = new Map<string, { sum: number; jobs: number }>();
  for (const c of reasonCells) {
    const u = usual.get(`${group(c.key)}|${c.key.reason}`);
    if (!u) continue;
    const m = mixOnly.get(id(c.key)) ?? { sum: 0, jobs: 0 };
    mixOnly.set(id(c.key), { sum: m.sum + (c.jobs * u.sum) / u.jobs, jobs: m.jobs + c.jobs });
  }
  const rawBy = new Map(raw.map((c) => [id(c.key), c]));
  const stdBy = new Map(standardised.map((s) => [id(s.key), s]));
  const dM: number[] = [];
  const dR: number[] = [];
  const dS: number[] = [];
  for (const c of raw) {
    const before = { ...c.key, [time]: previousOf(c.key[time] as string) };
    const p = rawBy.get(id(before));
    const [sp, sq] = [stdBy.get(id(c.key)), stdBy.get(id(before))];
    const [mp, mq] = [mixOnly.get(id(c.key)), mixOnly.get(id(before))];
    if (!p || c.partial || p.partial || c.kei === null || p.kei === null) continue;
    if (!sp || !sq || sp.kei === null || sq.kei === null || !mp || !mq) continue;
    dM.push(mp.sum / mp.jobs - mq.sum / mq.jobs);
    dR.push(c.kei - p.kei);
    dS.push(sp.kei - sq.kei);
  }
  return { changes: dM.length, raw: squaredCorrelation(dR, dM), standardised: squaredCorrelation(dS, dM) };
}
