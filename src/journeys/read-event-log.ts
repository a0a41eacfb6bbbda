/**
 * Reads an external event log: XES (IEEE 1849, plain or gzipped) or CSV with case, activity and timestamp
 * columns (by default `case_id,activity,timestamp`, also pm4py's `case:concept:name,concept:name,time:timestamp`).
 * XES is streamed through a conforming reader (xes-reader.ts); a malformed file is an EventLogError naming the
 * file and line, never a silently shortened log.
 */
import { CsvSource } from "../ingest/readers/csv-source.js";
import { buildLog, type EventLog, type LogEvent } from "./event-log.js";
import { timeOf } from "./log-time.js";
import { EventLogError, readXes, type XesOptions } from "./xes-reader.js";

export { EventLogError, type XesOptions } from "./xes-reader.js";

export interface CsvLogColumns {
  readonly case?: string;
  readonly activity?: string;
  readonly timestamp?: string;
}

function parseTime(value: string, where: string): number {
  const t = timeOf(value);
  if (Number.isNaN(t)) throw new EventLogError(`${where}: bad timestamp "${value}"`);
  return t;
}

/** Reads an event log; `xes`: the XES reader's options and limits (see xes-reader.ts). */
export async function readEventLog(
  file: string,
  columns: CsvLogColumns = {},
  xes: XesOptions = {},
): Promise<EventLog> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".xes") || lower.endsWith(".xes.gz")) return readXes(file, xes);
  if (lower.endsWith(".csv")) return readCsvLog(file, columns);
  throw new EventLogError(`${file}: an event log must be .xes, .xes.gz or .csv`);
}

async function readCsvLog(file: string, columns: CsvLogColumns): Promise<EventLog> {
  const source = new CsvSource(file);
  const header = await source.columns();
  const pick = (given: string | undefined, defaults: string[], what: string) => {
    const name = given ?? defaults.find((d) => header.includes(d));
    if (!name || !header.includes(name)) {
      throw new EventLogError(
        `${file}: no ${what} column (looked for ${given ?? defaults.join(" or ")}; columns: ${header.join(", ")})`,
      );
    }
    return name;
  };
  const c = pick(columns.case, ["case_id", "case:concept:name"], "case");
  const a = pick(columns.activity, ["activity", "concept:name"], "activity");
  const t = pick(columns.timestamp, ["timestamp", "time:timestamp"], "timestamp");
  const events: { caseId: string; event: LogEvent }[] = [];
  for await (const batch of source.batches(10_000)) {
    for (const r of batch) {
      if (r.error) throw new EventLogError(`${file} row ${r.row}: ${r.error}`);
      const v = r.values as Record<string, string>;
      events.push({
        caseId: v[c] ?? "",
        event: { activity: v[a] ?? "", time: parseTime(v[t] ?? "", `${file} row ${r.row}`) },
      });
    }
  }
  return buildLog(events);
}
