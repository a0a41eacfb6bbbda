/**
 * The frequency filters of process mining (Disco's sliders, "the 80% view"): keep the most frequent items
 * (activities, variants, paths) until they cover a share of the total. Items tied at the cut are all kept,
 * so the filter does not depend on the order of equals and the kept share is at least the one asked.
 */

/**
 * The smallest count an item needs to be kept: items with at least this count, taken from the most frequent
 * down, together cover at least `share` (0-1] of the sum of `counts`. 0 (keep everything) for an empty list or
 * a share of 1 or more.
 */
export function coverageThreshold(counts: readonly number[], share: number): number {
  if (!(share > 0)) throw new Error(`a coverage share must be above 0, got ${share}`);
  const total = counts.reduce((a, b) => a + b, 0);
  if (share >= 1 || total === 0) return 0;
  const sorted = [...counts].sort((a, b) => b - a);
  let covered = 0;
  for (const n of sorted) {
    covered += n;
    if (covered >= share * total) return n;
  }
  return 0;
}

/** Checks a share given on the command line or in the API: a number in (0, 1]. */
export function assertShare(name: string, share: number | undefined): void {
  if (share !== undefined && !(share > 0 && share <= 1))
    throw new RangeError(`${name} must be a share above 0 and at most 1 (e.g. 0.8), got ${share}`);
}
