/**
 * Direct standardisation by reason mix, worked out by hand, and its defining property.
 *
 * Two months, three reasons; Emotion blank everywhere, so KEI = (Effectiveness + Ease) / 2.
 *   month 1: X 100 jobs (E 80, Ease 90), Y 300 jobs (E 40, Ease 60), Z 50 jobs (E 20, Ease 20)
 *   month 2: X 300 jobs (E 80, Ease 90), Y 100 jobs (E 40, Ease 60), Z 50 jobs suppressed
 * The fixed mix over both months: X 400/900, Y 400/900, Z 100/900.
 *   month 1: E = (400 x 80 + 400 x 40 + 100 x 20) / 900 = 55.556, Ease = (400 x 90 + 400 x 60 + 100 x 20) / 900
 *            = 68.889, KEI 62.222, the whole mix shown
 *   month 2: Z left out and X, Y scaled up: E = (80 + 40) / 2 = 60, Ease 75, KEI 67.5, mix shown 800/900
 * X and Y performed the same in both months; only the mix and Z's suppression moved the figures.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KeiCell } from "./kei-index.js";
import { MIN_MIX_COVERAGE, standardiseByMix } from "./mix-standardised.js";

const W = { effectiveness: 1 / 3, ease: 1 / 3, emotion: 1 / 3 };

function cell(
  month: string,
  reason: string,
  jobs: number,
  e: number | null,
  a: number | null,
  m: number | null = null,
): KeiCell {
  const suppressed = e === null && a === null;
  const kei = e === null || a === null ? null : m === null ? (e + a) / 2 : (e + a + m) / 3;
  return {
    key: { month, reason },
    jobs,
    effectiveness: e,
    ease: a,
    emotion: m,
    kei,
    effectivenessInterval: null,
    easeInterval: null,
    emotionInterval: null,
    agentResolved: null,
    keiInterval: null,
    emotionCoverage: m === null ? 0 : 1,
    complaintShare: null,
    emotionFeedback: null,
    suppressed,
    suppressedBecause: suppressed ? "jobs" : null,
    partial: false,
    censoredJobs: 0,
  };
}

describe("standardiseByMix", () => {
  it("weights each reason by its share of the range's jobs and renormalises over the reasons shown", () => {
    const rows = standardiseByMix(
      [
        cell("2025-01-01", "X", 100, 80, 90),
        cell("2025-01-01", "Y", 300, 40, 60),
        cell("2025-01-01", "Z", 50, 20, 20),
        cell("2025-02-01", "X", 300, 80, 90),
        cell("2025-02-01", "Y", 100, 40, 60),
        cell("2025-02-01", "Z", 50, null, null),
      ],
      W,
    );
    expect(rows.map((r) => r.key)).toEqual([{ month: "2025-01-01" }, { month: "2025-02-01" }]);
    const [jan, feb] = rows;
    expect(jan?.mix.map((m) => [m.reason, m.jobs])).toEqual([
      ["X", 400],
      ["Y", 400],
      ["Z", 100],
    ]);
    expect(jan?.mix[2]?.weight).toBeCloseTo(1 / 9, 12);
    expect(jan?.effectiveness).toBeCloseTo(50000 / 900, 9);
    expect(jan?.ease).toBeCloseTo(62000 / 900, 9);
    expect(jan?.emotion).toBeNull();
    expect(jan?.kei).toBeCloseTo(56000 / 900, 9);
    expect(jan?.mixCoverage).toBeCloseTo(1, 12);
    expect(feb?.effectiveness).toBeCloseTo(60, 9);
    expect(feb?.ease).toBeCloseTo(75, 9);
    expect(feb?.kei).toBeCloseTo(67.5, 9);
    expect(feb?.mixCoverage).toBeCloseTo(8 / 9, 12);
  });

  it("keeps a mix per value of the other keys, and withholds a figure below the minimum share of the mix", () => {
    const seg = (c: KeiCell, segment: string): KeiCell => ({ ...c, key: { ...c.key, segment } });
    const rows = standardiseByMix(
      [
        seg(cell("2025-01-01", "X", 10, 50, 50), "a"),
        seg(cell("2025-01-01", "Y", 30, 70, 70), "a"),
        seg(cell("2025-01-01", "X", 30, 50, 50), "b"),
        seg(cell("2025-01-01", "Y", 10, 70, 70), "b"),
        seg(cell("2025-02-01", "X", 10, 90, 90), "b"),
        seg(cell("2025-02-01", "Y", 50, null, null), "b"),
      ],
      W,
    );
    const a = rows.find((r) => r.key.segment === "a");
    expect(a?.kei).toBeCloseTo(0.25 * 50 + 0.75 * 70, 9);
    // b's mix: X 40/100, Y 60/100; in February only X (0.4 of the mix) is shown: below MIN_MIX_COVERAGE.
    expect(MIN_MIX_COVERAGE).toBe(0.5);
    const febB = rows.find((r) => r.key.segment === "b" && r.key.month === "2025-02-01");
    expect(febB?.mixCoverage).toBeCloseTo(0.4, 12);
    expect(febB?.kei).toBeNull();
  });

  it("moves by 0 when every reason performs the same in both periods, whatever the mix (property)", () => {
    const reason = fc.record({
      e: fc.double({ min: 0, max: 100, noNaN: true }),
      a: fc.double({ min: 0, max: 100, noNaN: true }),
      m: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
      jobs1: fc.integer({ min: 1, max: 5000 }),
      jobs2: fc.integer({ min: 1, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.array(reason, { minLength: 1, maxLength: 8 }), (reasons) => {
        const cells = reasons.flatMap((r, i) => [
          cell("2025-01-01", `r${i}`, r.jobs1, r.e, r.a, r.m),
          cell("2025-02-01", `r${i}`, r.jobs2, r.e, r.a, r.m),
        ]);
        const [p, q] = standardiseByMix(cells, W);
        expect(q?.kei).not.toBeNull();
        expect((q?.kei as number) - (p?.kei as number)).toBeCloseTo(0, 9);
        expect((q?.effectiveness as number) - (p?.effectiveness as number)).toBeCloseTo(0, 9);
      }),
      { numRuns: 200 },
    );
  });
});
