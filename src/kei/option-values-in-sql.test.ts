/**
 * Option numbers reach the KEI's SQL as values (DuckDB: bound parameters; ClickHouse: the one literal
 * encoder), never spliced into its text. Unusual option values are used so that a spliced number would show:
 * each product the SQL needs (e.g. the job window in seconds, 6.123457 x 86400) must be among the values
 * and in no text part, on both engines' fragments.
 */
import { describe, expect, it } from "vitest";
import { analysisOptions } from "../options/analysis-options.js";
import { calibrateEase } from "./calibrate-ease.js";
import { keiIndex } from "./kei-index.js";
import { recordingStore, whereNumbersGo } from "./recording-store.js";
import { validateKei } from "./validate-kei.js";

const OPTIONS = analysisOptions({
  jobWindowDays: 6.123457,
  webWindowHours: 12.345678,
  escalationTransfers: 43,
  easeAnchors: { contacts: 5.4321, switches: 2.61828, waitSeconds: 1234.5678, transfers: 3.24159 },
  easeWeights: { contacts: 0.29, switches: 0.17, wait: 0.19, transfers: 0.13, webToCall: 0.22 },
  timeZone: "America/St_Johns",
});

/** The numbers the job table's SQL is made of, as the analytics compute them from OPTIONS. */
const NUMBERS = [
  OPTIONS.jobWindowDays * 86400, // feedback without a contact: up to one window after the job
  OPTIONS.webWindowHours * 3600,
  OPTIONS.escalationTransfers,
  OPTIONS.easeAnchors.contacts - 1,
  OPTIONS.easeAnchors.switches,
  OPTIONS.easeAnchors.waitSeconds,
  OPTIONS.easeAnchors.transfers,
  ...Object.values(OPTIONS.easeWeights),
];

describe.each(["duckdb", "clickhouse"] as const)("the KEI's SQL on %s", (engine) => {
  it("holds every option number as a value, none in its text", async () => {
    const { store, queries } = recordingStore(engine);
    await keiIndex(store, { by: ["month", "reason"], options: OPTIONS });
    await validateKei(store, OPTIONS);
    await calibrateEase(store, OPTIONS);
    expect(queries.length).toBeGreaterThan(5);
    const where = whereNumbersGo(queries, NUMBERS);
    expect(where.spliced).toEqual([]);
    expect(where.asValues).toEqual(NUMBERS);
    expect(where.params).toEqual(NUMBERS);
    // The time zone is a value too.
    const text = queries.flatMap((q) => q.parts.map((p) => (p.kind === "text" ? p.text : ""))).join("");
    expect(text).not.toContain("St_Johns");
  });

  it("refuses options that break a rule before any SQL is built", async () => {
    const { store, queries } = recordingStore(engine);
    await expect(keiIndex(store, { by: ["reason"], options: { jobWindowDays: Number.NaN } })).rejects.toThrow(
      "jobWindowDays: must be a positive number of days, at most 90, got NaN",
    );
    await expect(validateKei(store, { webWindowHours: Number.POSITIVE_INFINITY })).rejects.toThrow(
      "webWindowHours: must be a positive number of hours, at most 336, got Infinity",
    );
    expect(queries).toEqual([]);
  });
});
