/**
 * An event log for process mining: cases, each an ordered list of events (activity, time, attributes).
 * Events of a case are ordered by timestamp; events with the same timestamp keep their order in the file,
 * as pm4py, ProM and Disco do.
 */

export interface LogEvent {
  readonly activity: string;
  /** Milliseconds since 1970 (UTC). */
  readonly time: number;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface EventLog {
  /** Case id -> its events, in time order. */
  readonly cases: ReadonlyMap<string, readonly LogEvent[]>;
}

/** Builds a log from events in file order: groups by case and sorts each case stably by time. */
export function buildLog(events: Iterable<{ caseId: string; event: LogEvent }>): EventLog {
  const cases = new Map<string, LogEvent[]>();
  for (const { caseId, event } of events) {
    let list = cases.get(caseId);
    if (!list) {
      list = [];
      cases.set(caseId, list);
    }
    list.push(event);
  }
  // Array.prototype.sort is stable: equal timestamps keep their file order.
  for (const list of cases.values()) list.sort((a, b) => a.time - b.time);
  return { cases };
}

export function eventCount(log: EventLog): number {
  let n = 0;
  for (const list of log.cases.values()) n += list.length;
  return n;
}
