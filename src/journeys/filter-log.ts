/**
 * Frequency filters on an event log read from a file (the stored journeys are filtered in SQL the same way,
 * see stored-journeys.ts): the most frequent activities (other events are left out of their cases), the cases
 * of the most frequent variants, and the most frequent paths of a directly-follows graph.
 */
import { coverageThreshold } from "./coverage.js";
import type { Dfg } from "./discover-dfg.js";
import type { EventLog, LogEvent } from "./event-log.js";

export interface LogFilter {
  /** Keep the most frequent activities that together hold at least this share of the events. */
  readonly activityCoverage?: number | undefined;
  /** Then keep the cases of the most frequent variants that together cover at least this share of the cases. */
  readonly variantCoverage?: number | undefined;
}

export function filterActivities(log: EventLog, share: number): EventLog {
  const counts = new Map<string, number>();
  for (const events of log.cases.values())
    for (const e of events) counts.set(e.activity, (counts.get(e.activity) ?? 0) + 1);
  const min = coverageThreshold([...counts.values()], share);
  const cases = new Map<string, readonly LogEvent[]>();
  for (const [id, events] of log.cases) {
    const kept = events.filter((e) => (counts.get(e.activity) ?? 0) >= min);
    // A case left without events is gone from the log, as in pm4py and Disco.
    if (kept.length > 0) cases.set(id, kept);
  }
  return { cases };
}

export function filterVariants(log: EventLog, share: number): EventLog {
  const key = (events: readonly LogEvent[]) => events.map((e) => e.activity).join("\u0000");
  const counts = new Map<string, number>();
  for (const events of log.cases.values()) counts.set(key(events), (counts.get(key(events)) ?? 0) + 1);
  const min = coverageThreshold([...counts.values()], share);
  const cases = new Map<string, readonly LogEvent[]>();
  for (const [id, events] of log.cases) if ((counts.get(key(events)) ?? 0) >= min) cases.set(id, events);
  return { cases };
}

export function filterLog(log: EventLog, f: LogFilter): EventLog {
  let out = log;
  if (f.activityCoverage !== undefined) out = filterActivities(out, f.activityCoverage);
  if (f.variantCoverage !== undefined) out = filterVariants(out, f.variantCoverage);
  return out;
}

/**
 * The most frequent edges that together hold at least `share` of the directly-follows occurrences. Start and
 * end counts stay as they are: the filter thins the picture, it does not change the cases.
 */
export function filterPaths(dfg: Dfg, share: number): Dfg {
  const min = coverageThreshold(
    dfg.edges.map((e) => e.count),
    share,
  );
  return { ...dfg, edges: dfg.edges.filter((e) => e.count >= min) };
}
