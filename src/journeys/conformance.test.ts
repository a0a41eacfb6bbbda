/**
 * Conformance by hand. Reason "move", desired path web > email. Jobs: 6 follow it; 3 web > phone > email (every
 * step, a phone call between: a detour, extra phone); 2 phone only (skipped web and email, extra phone); 1 email
 * (skipped web). 12 jobs: following 6 (50%); deviations: extra phone 5 (3 + 2), skipped web 3 (2 + 1),
 * skipped email 2.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alignToPath, conformance, expandPaths } from "./conformance.js";

const jobs = [
  { reason: "move", variant: ["web:move", "email:move"], count: 6 },
  { reason: "move", variant: ["web:move", "phone:move", "email:move"], count: 3 },
  { reason: "move", variant: ["phone:move"], count: 2 },
  { reason: "move", variant: ["email:move"], count: 1 },
  { reason: "bill", variant: ["phone:bill"], count: 4 },
];

describe("conformance", () => {
  it("expands bare channels and accepts alternatives", () => {
    expect(expandPaths("move", ["web", "email:move"])).toEqual([["web:move", "email:move"]]);
    expect(expandPaths("meter", [["app"], ["web"]])).toEqual([["app:meter"], ["web:meter"]]);
    expect(expandPaths("meter", [["visit:app"], ["visit:web", "phone"]])).toEqual([
      ["visit:app:meter"],
      ["visit:web:meter", "phone:meter"],
    ]);
    expect(expandPaths("meter", ["visit:web:/mijn", "phone:meter"])).toEqual([
      ["visit:web:/mijn", "phone:meter"],
    ]);
  });

  it("aligns a sequence to a path by a longest common subsequence", () => {
    expect(alignToPath(["w", "p", "e"], ["w", "e"])).toEqual({ skipped: [], extra: ["p"] });
    expect(alignToPath(["p"], ["w", "e"])).toEqual({ skipped: ["w", "e"], extra: ["p"] });
    expect(alignToPath(["e", "w"], ["w", "e"])).toEqual({ skipped: ["w"], extra: ["w"] });
  });

  it("gives the share following the path and the most common deviations", () => {
    const [move] = conformance(jobs, { move: ["web", "email"] }, 2);
    expect(move).toEqual({
      reason: "move",
      paths: [["web:move", "email:move"]],
      cases: 12,
      jobs: 12,
      selfService: 0,
      following: 6,
      share: 0.5,
      withDetours: 3,
      deviations: [
        { kind: "extra", step: "phone:move", jobs: 5, share: 5 / 12 },
        { kind: "skipped", step: "web:move", jobs: 3, share: 3 / 12 },
        { kind: "skipped", step: "email:move", jobs: 2, share: 2 / 12 },
      ],
      variants: [
        {
          variant: ["web:move", "phone:move", "email:move"],
          count: 3,
          share: 0.25,
          skipped: [],
          extra: ["phone:move"],
        },
        {
          variant: ["phone:move"],
          count: 2,
          share: 2 / 12,
          skipped: ["web:move", "email:move"],
          extra: ["phone:move"],
        },
      ],
    });
    // Alternatives: phone alone is one of the accepted paths for bill.
    const [bill] = conformance(jobs, { bill: [["web"], ["phone"]] });
    expect(bill?.following).toBe(4);
    expect(bill?.share).toBe(1);
    // A reason without jobs has no share, not 0%.
    const [none] = conformance(jobs, { unknown: ["web"] });
    expect(none).toMatchObject({ jobs: 0, following: 0, share: null, deviations: [], variants: [] });
  });

  it("every step of the sequence and the path is accounted for", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 8 }),
        fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 5 }),
        (variant, path) => {
          const { skipped, extra } = alignToPath(variant, path);
          // Matched steps are counted from both sides the same.
          expect(variant.length - extra.length).toBe(path.length - skipped.length);
          expect(skipped.length === 0 && extra.length === 0).toBe(variant.join() === path.join());
        },
      ),
    );
  });
});
