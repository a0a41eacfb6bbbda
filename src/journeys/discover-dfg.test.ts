/**
 * The DFG, start and end activities and variants of real public event logs equal, exactly, the figures pm4py
 * published for them (../shared/data/event-logs/expected), and so do the median times between activities.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { discoverDfg, discoverVariants } from "./discover-dfg.js";
import { buildLog, eventCount } from "./event-log.js";
import { readEventLog } from "./read-event-log.js";

const DATA = fileURLToPath(new URL("../../../shared/data/event-logs/", import.meta.url));
const LOGS = [
  ["running-example.csv", "running-example-csv.json"],
  ["running-example.xes", "running-example-xes.json"],
  ["receipt.csv", "receipt-csv.json"],
  ["helpdesk.xes.gz", "helpdesk-xes.json"],
] as const;

interface Expected {
  cases: number;
  events: number;
  dfg: { from: string; to: string; count: number }[];
  start: Record<string, number>;
  end: Record<string, number>;
  variants: { variant: string[]; count: number }[];
  performance_dfg_median_s: { from: string; to: string; median_s: number }[];
}

const byPair = (a: { from: string; to: string }, b: { from: string; to: string }) =>
  a.from.localeCompare(b.from) || a.to.localeCompare(b.to);
const byVariant = (a: { variant: string[]; count: number }, b: { variant: string[]; count: number }) =>
  b.count - a.count || a.variant.join("|").localeCompare(b.variant.join("|"));

const available = existsSync(DATA);
if (!available && process.env.CI === "true")
  throw new Error(`CI=true but the shared event logs are missing at ${DATA}`);

describe.skipIf(!available)(
  `real event logs${available ? "" : " (skipped: ../shared/data not beside the project)"}`,
  () => {
    it.each(LOGS)("%s matches pm4py's published figures", async (file, expectedFile) => {
      const expected = JSON.parse(readFileSync(`${DATA}expected/${expectedFile}`, "utf8")) as Expected;
      const log = await readEventLog(`${DATA}${file}`);
      expect(log.cases.size).toBe(expected.cases);
      expect(eventCount(log)).toBe(expected.events);
      const dfg = discoverDfg(log);
      expect(dfg.edges.map(({ from, to, count }) => ({ from, to, count })).sort(byPair)).toEqual(
        [...expected.dfg].sort(byPair),
      );
      expect(dfg.start).toEqual(expected.start);
      expect(dfg.end).toEqual(expected.end);
      expect(discoverVariants(log).sort(byVariant)).toEqual([...expected.variants].sort(byVariant));
      const medians = new Map(
        expected.performance_dfg_median_s.map((p) => [`${p.from}|${p.to}`, p.median_s]),
      );
      for (const e of dfg.edges)
        expect(e.medianSeconds, `${e.from} -> ${e.to}`).toBeCloseTo(
          medians.get(`${e.from}|${e.to}`) as number,
          3,
        );
    });
  },
);

describe("performance of an edge, by hand", () => {
  it("median (pm4py: mean of the middle two), mean and nearest-rank 90th percentile", () => {
    // a -> b after 10, 20, 60 and 100 s: median (20 + 60) / 2 = 40, mean 190 / 4 = 47.5, p90 at rank ceil(3.6) = 4.
    const t0 = Date.UTC(2025, 0, 1);
    const log = buildLog(
      [10, 20, 60, 100].flatMap((gap, i) => [
        { caseId: String(i), event: { activity: "a", time: t0 } },
        { caseId: String(i), event: { activity: "b", time: t0 + gap * 1000 } },
      ]),
    );
    expect(discoverDfg(log).edges).toEqual([
      { from: "a", to: "b", count: 4, medianSeconds: 40, meanSeconds: 47.5, p90Seconds: 100 },
    ]);
  });
});
