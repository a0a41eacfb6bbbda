import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverageThreshold } from "./coverage.js";

describe("coverageThreshold", () => {
  it("keeps the most frequent until the share is covered, ties at the cut included", () => {
    // Total 100: 50 covers half, 50 + 30 = 80 covers 80%: the cut is at 30.
    expect(coverageThreshold([10, 50, 30, 5, 5], 0.8)).toBe(30);
    expect(coverageThreshold([10, 50, 30, 5, 5], 0.5)).toBe(50);
    expect(coverageThreshold([10, 50, 30, 5, 5], 0.81)).toBe(10);
    // 20 + 20 = 40 of 60 is 2/3 < 0.7; the next item ties at 20 and the cut stays at 20.
    expect(coverageThreshold([20, 20, 20], 0.7)).toBe(20);
    expect(coverageThreshold([7, 3], 1)).toBe(0);
    expect(coverageThreshold([], 0.8)).toBe(0);
    expect(() => coverageThreshold([1], 0)).toThrow(/above 0/);
  });

  it("the kept items cover the share, and without the cut's tie class they would not", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        (counts, share) => {
          const total = counts.reduce((a, b) => a + b, 0);
          const min = coverageThreshold(counts, share);
          const kept = counts.filter((n) => n >= min).reduce((a, b) => a + b, 0);
          const above = counts.filter((n) => n > min).reduce((a, b) => a + b, 0);
          expect(kept).toBeGreaterThanOrEqual(share * total);
          expect(above).toBeLessThan(share * total);
        },
      ),
    );
  });
});
