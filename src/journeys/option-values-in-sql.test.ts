/**
 * Option values reach the journeys' SQL as values (DuckDB: bound parameters; ClickHouse: the one literal
 * encoder), never spliced into its text: page groups and the web-to-call window here. The job window's gap
 * and the page group depth pass through two dialect methods (`sequenceGroups`, `pathPrefix`) that still write
 * their number into the text; that case is marked as failing until store/dialect binds them.
 */
import { describe, expect, it } from "vitest";
import { recordingStore, whereNumbersGo } from "../kei/recording-store.js";
import { analysisOptions } from "../options/analysis-options.js";
import { channelSwitching } from "./channel-switching.js";
import { storedConformance } from "./stored-conformance.js";
import { storedDfg, storedVariants } from "./stored-journeys.js";
import { webToCall } from "./web-to-call.js";

const OPTIONS = analysisOptions({
  jobWindowDays: 6.123457,
  pageGroupDepth: 7,
  pageGroups: { "/mijn/St_Johns": "Groep_St_Johns" },
});

/** Runs every journeys analytic that reads the options, and returns what it asked. */
async function journeysQueries(engine: "duckdb" | "clickhouse") {
  const { store, queries } = recordingStore(engine);
  await storedDfg(store, { cases: "job", webActivity: "group", options: OPTIONS });
  await storedVariants(store, { cases: "job", options: OPTIONS });
  await storedConformance(store, { verhuizen: ["web", "email"] }, { options: OPTIONS });
  await channelSwitching(store, OPTIONS);
  await webToCall(store, { windowHours: 7.654321, options: OPTIONS });
  return queries;
}

describe.each(["duckdb", "clickhouse"] as const)("the journeys' SQL on %s", (engine) => {
  it("holds page groups and the web-to-call window as values, none in its text", async () => {
    const queries = await journeysQueries(engine);
    const text = queries.flatMap((q) => q.parts.map((p) => (p.kind === "text" ? p.text : ""))).join("");
    expect(text).not.toContain("St_Johns");
    const window = 7.654321 * 3600;
    expect(whereNumbersGo(queries, [window])).toEqual({ spliced: [], asValues: [window], params: [window] });
  });

  // Fails today: sequenceGroups writes Math.floor(gapSeconds) into the text and pathPrefix its segments + 1.
  it("holds the job window's gap and the page group depth as values", async () => {
    const queries = await journeysQueries(engine);
    const gap = Math.floor(OPTIONS.jobWindowDays * 86400);
    const depth = OPTIONS.pageGroupDepth + 1;
    const where = whereNumbersGo(queries, [gap, depth]);
    expect(where.spliced).not.toContain(gap);
    expect(where.asValues).toEqual([gap, depth]);
  });

  it("refuses options that break a rule before any SQL is built", async () => {
    const { store, queries } = recordingStore(engine);
    await expect(storedDfg(store, { cases: "job", options: { jobWindowDays: 0 } })).rejects.toThrow(
      "jobWindowDays: must be a positive number of days, at most 90, got 0",
    );
    await expect(webToCall(store, { options: { pageGroupDepth: 0 } })).rejects.toThrow(
      "pageGroupDepth: must be a whole number from 1 to 10, got 0",
    );
    expect(queries).toEqual([]);
  });
});
