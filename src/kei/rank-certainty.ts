/**
 * How sure a ranking of cells (reasons, channels, segments) by their KEI is: each cell's rank, and the 95% interval
 * of that rank, by simulation. Rank 1 is the lowest KEI, the worst experience: where to look first.
 *
 * Method: in each of `draws` rounds (default 10,000, seeded, so the answer is the same every run) every cell's KEI is
 * drawn from a normal distribution around its estimate with its standard error, and the cells are ranked on the
 * draws; a cell's rank interval holds the middle 95% of its ranks over the rounds (the 2.5th and 97.5th percentiles,
 * nearest rank). The standard error is read from the cell's 95% KEI interval (clustered by customer,
 * kei-interval.ts): half its width over 1.96, or, where 0 or 100 clipped one side, the other side over 1.96.
 * Assumptions: each estimate is normal around the truth (the delta method's assumption too), and the cells are
 * independent; customers with jobs in two cells make their estimates move together, which this ignores, so the
 * intervals are somewhat wide for such pairs rather than too narrow for their difference.
 * A rank interval of [2, 2] means the rank is sure; [1, 6] that the data cannot tell places 1 to 6 apart.
 * A cell without a KEI (suppressed, or too few judged jobs) has no rank; one without an interval (one customer)
 * counts with a standard error of 0.
 */
import { Rng } from "../stats/rng.js";
import type { KeiCell, KeiDimension } from "./kei-index.js";

export interface RankedCell {
  readonly key: Partial<Record<KeiDimension, string>>;
  /** 1 = the lowest KEI; null without a KEI. */
  readonly rank: number | null;
  /** 95% interval of the rank (inclusive); null without a KEI. */
  readonly rankInterval: readonly [number, number] | null;
}

/** Uniform in [0, 1) from the seeded generator kei uses everywhere (src/stats/rng.ts). */
function uniform(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Standard error of a cell's KEI from its 95% interval (see the header); null without a KEI. */
export function keiStandardError(c: KeiCell): number | null {
  if (c.kei === null || c.suppressed) return null;
  if (!c.keiInterval) return 0;
  return Math.max(c.kei - c.keiInterval[0], c.keiInterval[1] - c.kei) / 1.959964;
}

export function rankCertainty(
  cells: readonly KeiCell[],
  o: { draws?: number; seed?: number } = {},
): RankedCell[] {
  const draws = o.draws ?? 10_000;
  const ranked = cells
    .map((c, i) => ({ i, kei: c.kei, se: keiStandardError(c) }))
    .filter((c): c is { i: number; kei: number; se: number } => c.kei !== null && c.se !== null);
  const n = ranked.length;
  // Rank on the estimates themselves: ties broken by input order, so ranks are 1..n without gaps.
  const order = [...ranked].sort((a, b) => a.kei - b.kei || a.i - b.i);
  const rankOf = new Map(order.map((c, r) => [c.i, r + 1]));
  const next = uniform(o.seed ?? 20_261_118);
  // counts[j][r]: rounds in which cell j had rank r + 1.
  const counts = ranked.map(() => new Array<number>(n).fill(0));
  const value = new Array<number>(n);
  const idx = Array.from({ length: n }, (_, j) => j);
  for (let round = 0; round < draws; round++) {
    for (let j = 0; j < n; j++) {
      // Box-Muller: a standard normal from two uniforms (1 - u keeps the logarithm finite).
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      const c = ranked[j] as { kei: number; se: number };
      value[j] = c.kei + c.se * z;
    }
    idx.sort((a, b) => (value[a] as number) - (value[b] as number) || a - b);
    for (let r = 0; r < n; r++) {
      const row = counts[idx[r] as number] as number[];
      row[r] = (row[r] as number) + 1;
    }
  }
  // Nearest-rank percentile of a cell's ranks: the smallest rank whose cumulative count reaches p x draws.
  const percentile = (row: number[], p: number) => {
    const target = Math.max(1, Math.ceil(p * draws));
    let cum = 0;
    for (let r = 0; r < n; r++) {
      cum += row[r] as number;
      if (cum >= target) return r + 1;
    }
    return n;
  };
  const intervals = new Map(
    ranked.map((c, j) => {
      const row = counts[j] as number[];
      return [c.i, [percentile(row, 0.025), percentile(row, 0.975)] as const];
    }),
  );
  return cells.map((c, i) => ({
    key: c.key,
    rank: rankOf.get(i) ?? null,
    rankInterval: intervals.get(i) ?? null,
  }));
}
