import { describe, expect, it } from "vitest";
import type { KeiCell } from "./kei-index.js";
import { keiStandardError, rankCertainty } from "./rank-certainty.js";

function cell(reason: string, kei: number | null, half: number): KeiCell {
  return {
    key: { reason },
    jobs: 100,
    effectiveness: kei,
    ease: kei,
    emotion: null,
    kei,
    effectivenessInterval: null,
    easeInterval: null,
    emotionInterval: null,
    agentResolved: null,
    keiInterval: kei === null ? null : [Math.max(0, kei - half), Math.min(100, kei + half)],
    emotionCoverage: 0,
    complaintShare: null,
    emotionFeedback: null,
    suppressed: kei === null,
    suppressedBecause: kei === null ? "jobs" : null,
    partial: false,
    censoredJobs: 0,
  };
}

describe("rankCertainty", () => {
  it("reads the standard error from the interval, also where 100 clipped one side", () => {
    expect(keiStandardError(cell("a", 50, 1.959964))).toBeCloseTo(1, 9);
    expect(keiStandardError(cell("a", 99, 3.919928))).toBeCloseTo(2, 9);
    expect(keiStandardError(cell("a", null, 1))).toBeNull();
  });

  it("is sure of ranks far apart, unsure of ranks within each other's intervals, and ranks 1 lowest", () => {
    const ranked = rankCertainty([
      cell("high", 90, 1),
      cell("low", 40, 1),
      cell("mid1", 65, 10),
      cell("mid2", 66, 10),
      cell("none", null, 0),
    ]);
    expect(ranked.map((r) => [r.key.reason, r.rank, r.rankInterval])).toEqual([
      ["high", 4, [4, 4]],
      ["low", 1, [1, 1]],
      ["mid1", 2, [2, 3]],
      ["mid2", 3, [2, 3]],
      ["none", null, null],
    ]);
  });

  it("gives the same answer on every run (seeded), and intervals that hold the rank", () => {
    const cells = Array.from({ length: 12 }, (_, i) => cell(`r${i}`, 50 + 2 * i, 4 + (i % 3)));
    const a = rankCertainty(cells);
    expect(rankCertainty(cells)).toEqual(a);
    for (const r of a) {
      const [lo, hi] = r.rankInterval as [number, number];
      expect(lo).toBeLessThanOrEqual(r.rank as number);
      expect(hi).toBeGreaterThanOrEqual(r.rank as number);
    }
    // Neighbours 2 points apart with 95% half-widths of 4-6 points cannot be told apart.
    const [lo5, hi5] = a[5]?.rankInterval ?? [0, 0];
    expect(hi5 - lo5).toBeGreaterThan(2);
  });
});
