/**
 * Numbers written as docs/methodology.md writes them: fixed decimals (never "-0.0"), a sign where a change is
 * meant, shares as percentages, counts with thousands commas, ranges joined by a hyphen. A missing number
 * (null) is an error here: a figure the text quotes must exist.
 */

function present(x: number | null | undefined, what: string): number {
  if (x === null || x === undefined || !Number.isFinite(x)) throw new Error(`no value for ${what}`);
  return x;
}

/** `x` with `decimals` decimals; a value that rounds to zero is written without a sign. */
export function fixed(x: number | null | undefined, decimals: number, what = "a figure"): string {
  const s = present(x, what).toFixed(decimals);
  return Number(s) === 0 ? (0).toFixed(decimals) : s;
}

/** A change: `+2.6`, `-2.2`, `0.0`. */
export function signed(x: number | null | undefined, decimals: number, what = "a change"): string {
  const s = fixed(x, decimals, what);
  return Number(s) > 0 ? `+${s}` : s;
}

/** A share (0-1) as a percentage: `13.4%`. */
export function percent(share: number | null | undefined, decimals: number, what = "a share"): string {
  return `${fixed(present(share, what) * 100, decimals, what)}%`;
}

/** A count, rounded, with thousands commas: `5,516`. */
export function count(x: number | null | undefined, what = "a count"): string {
  return Math.round(present(x, what)).toLocaleString("en-US");
}

/** An interval as `low-high`, each with `decimals` decimals; shares (0-1) as `44.0-45.9%` with `asPercent`. */
export function range(
  interval: readonly [number, number] | null | undefined,
  decimals: number,
  what = "an interval",
  asPercent = false,
): string {
  if (!interval) throw new Error(`no interval for ${what}`);
  const [lo, hi] = asPercent ? [interval[0] * 100, interval[1] * 100] : interval;
  return `${fixed(lo, decimals, what)}-${fixed(hi, decimals, what)}${asPercent ? "%" : ""}`;
}

export { spearman } from "../stats/spearman.js";
