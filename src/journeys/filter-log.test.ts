/**
 * The frequency filters by hand. Log: 5 cases of a>b, 3 of a>c, 1 of a>b>d, 1 of e.
 * Activities: a 9, b 6, c 3, d 1, e 1 (20 events). Variants: a>b 5, a>c 3, a>b>d 1, e 1 (10 cases).
 */
import { describe, expect, it } from "vitest";
import { discoverDfg, discoverVariants } from "./discover-dfg.js";
import { buildLog, eventCount } from "./event-log.js";
import { filterActivities, filterLog, filterPaths, filterVariants } from "./filter-log.js";

const cases: [string, string[]][] = [
  ...Array.from({ length: 5 }, (_, i) => [`ab${i}`, ["a", "b"]] as [string, string[]]),
  ...Array.from({ length: 3 }, (_, i) => [`ac${i}`, ["a", "c"]] as [string, string[]]),
  ["abd", ["a", "b", "d"]],
  ["e", ["e"]],
];
const log = buildLog(
  cases.flatMap(([caseId, acts]) =>
    acts.map((activity, i) => ({ caseId, event: { activity, time: i * 1000 } })),
  ),
);

describe("frequency filters", () => {
  it("activities: the most frequent holding the share of events; the rest leave their cases", () => {
    // 90% of 20 events = 18: a 9 + b 6 + c 3 = 18. d and e go; case e is left empty and goes too.
    const f = filterActivities(log, 0.9);
    expect(eventCount(f)).toBe(18);
    expect(f.cases.size).toBe(9);
    expect(f.cases.get("abd")?.map((e) => e.activity)).toEqual(["a", "b"]);
  });

  it("variants: the cases of the most frequent variants covering the share (the 80% view)", () => {
    // 80% of 10 cases = 8: a>b 5 + a>c 3.
    const f = filterVariants(log, 0.8);
    expect(discoverVariants(f)).toEqual([
      { variant: ["a", "b"], count: 5 },
      { variant: ["a", "c"], count: 3 },
    ]);
    // Activities first, then variants: a>b>d became a>b (6 cases), so 80% of 9 cases (7.2) needs a>c too.
    const both = filterLog(log, { activityCoverage: 0.9, variantCoverage: 0.8 });
    expect(discoverVariants(both)).toEqual([
      { variant: ["a", "b"], count: 6 },
      { variant: ["a", "c"], count: 3 },
    ]);
    expect(discoverVariants(filterLog(log, { variantCoverage: 0.5 }))).toEqual([
      { variant: ["a", "b"], count: 5 },
    ]);
  });

  it("paths: the most frequent edges holding the share of transitions; start and end untouched", () => {
    // Edges: a>b 6, a>c 3, b>d 1 (10). 60% = 6: only a>b.
    const dfg = discoverDfg(log);
    const f = filterPaths(dfg, 0.6);
    expect(f.edges.map((e) => `${e.from}>${e.to}:${e.count}`)).toEqual(["a>b:6"]);
    expect(f.start).toEqual(dfg.start);
    expect(filterPaths(dfg, 0.95).edges).toHaveLength(3);
  });
});
