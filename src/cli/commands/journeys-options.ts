/**
 * What the `kei journeys` commands share: the columns of a CSV log, the case definition of the stored journeys
 * (per customer or per job, one reason) and the frequency filters, and loading the log they describe.
 */
import type { Command } from "commander";
import { DataError } from "../../errors/kei-error.js";
import {
  type EventLog,
  filterLog,
  type JourneyOptions,
  readEventLog,
  storedJourneyLog,
} from "../../journeys/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { UsageError } from "../cli-error.js";
import { type Context, type GlobalOptions, withStore } from "../context.js";

export interface LogOptions extends GlobalOptions {
  case?: string;
  activity?: string;
  timestamp?: string;
  cases?: string;
  reason?: string;
  webActivity?: string;
  activities?: string;
  variants?: string;
}

export function logOptions(cmd: Command): Command {
  return cmd
    .option("--case <column>", "CSV column of the case id (default case_id or case:concept:name)")
    .option("--activity <column>", "CSV column of the activity (default activity or concept:name)")
    .option("--timestamp <column>", "CSV column of the timestamp (default timestamp or time:timestamp)")
    .option("--cases <unit>", "stored journeys: customer (default) or job (one reason within the job window)")
    .option("--reason <code>", "stored journeys: only the events on this contact reason")
    .option(
      "--web-activity <name>",
      "stored journeys: web and app visits as channel:reason or channel:page group",
      "reason",
    )
    .option(
      "--activities <share>",
      "keep the most frequent activities holding this share of events, e.g. 0.8",
    )
    .option(
      "--variants <share>",
      "keep the cases of the most frequent variants covering this share, e.g. 0.8",
    );
}

/** A share from the command line: 0.8 or 80%. */
export function parseShare(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.endsWith("%") ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!(n > 0 && n <= 1))
    throw new UsageError(`${flag} must be a share above 0 and at most 1 (0.8 or 80%), got "${value}"`);
  return n;
}

/** The stored journeys' case definition and filters from the flags (with the config's analysis options). */
export function journeyOptions(ctx: Context, log: string | undefined, opts: LogOptions): JourneyOptions {
  if (opts.cases !== undefined && opts.cases !== "customer" && opts.cases !== "job")
    throw new UsageError(`--cases must be customer or job, got "${opts.cases}"`);
  if (log && (opts.cases || opts.reason))
    throw new UsageError("--cases and --reason apply to the stored journeys, not to a log file");
  if (opts.webActivity !== undefined && opts.webActivity !== "reason" && opts.webActivity !== "group")
    throw new UsageError(`--web-activity must be reason or group, got "${opts.webActivity}"`);
  return {
    cases: opts.cases === "job" ? "job" : "customer",
    reason: opts.reason,
    webActivity: opts.webActivity === "group" ? "group" : "reason",
    options: analysisOptionsFromConfig(ctx.config),
    activityCoverage: parseShare("--activities", opts.activities),
    variantCoverage: parseShare("--variants", opts.variants),
  };
}

/**
 * The event log the flags describe: a file (filtered in kei) or the stored journeys (filtered in SQL).
 * `keepAttributes`: keep every event's XES attributes (for an export); the analyses need only case,
 * activity and time, and read faster without them.
 */
export async function loadLog(
  ctx: Context,
  log: string | undefined,
  opts: LogOptions,
  keepAttributes = false,
): Promise<EventLog> {
  const o = journeyOptions(ctx, log, opts);
  if (!log) return withStore(ctx, (store) => storedJourneyLog(store, o));
  try {
    const events = await readEventLog(
      log,
      {
        ...(opts.case ? { case: opts.case } : {}),
        ...(opts.activity ? { activity: opts.activity } : {}),
        ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      },
      { attributes: keepAttributes },
    );
    return filterLog(events, o);
  } catch (e) {
    // A malformed log is an EventLogError, bad input that report-error.ts reports as such.
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new DataError(`${log}: no such file or folder`, { cause: e });
    throw e;
  }
}
