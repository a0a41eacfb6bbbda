/**
 * Reads an external event log: XES (IEEE 1849, plain or gzipped) or CSV with case, activity and timestamp
 * columns (by default `case_id,activity,timestamp`, also pm4py's `case:concept:name,concept:name,time:timestamp`).
 */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { CsvSource } from "../ingest/readers/csv-source.js";
import { buildLog, type EventLog, type LogEvent } from "./event-log.js";

export interface CsvLogColumns {
  readonly case?: string;
  readonly activity?: string;
  readonly timestamp?: string;
}

export class EventLogError extends Error {}

function parseTime(value: string, where: string): number {
  const t = Date.parse(value.trim().replace(" ", "T"));
  if (Number.isNaN(t)) throw new EventLogError(`${where}: bad timestamp "${value}"`);
  return t;
}

export async function readEventLog(file: string, columns: CsvLogColumns = {}): Promise<EventLog> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".xes") || lower.endsWith(".xes.gz")) return readXes(file);
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

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(
          e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        )
      : (ENTITIES[e] ?? ""),
  );

/**
 * A small XES reader: traces, their `concept:name`, and events' attributes (string, date, int, float, boolean, id).
 * Nested attributes (lists, containers) are skipped. XES files are read whole; they are rarely large.
 */
async function readXes(file: string): Promise<EventLog> {
  let buf = await readFile(file);
  if (file.toLowerCase().endsWith(".gz")) buf = gunzipSync(buf);
  const xml = buf.toString("utf8");
  const events: { caseId: string; event: LogEvent }[] = [];
  const attr = /<(string|date|int|float|boolean|id)\s+key="([^"]*)"\s+value="([^"]*)"\s*\/>/g;
  let traceNo = 0;
  for (const trace of xml.matchAll(/<trace>([\s\S]*?)<\/trace>/g)) {
    traceNo++;
    const body = trace[1] ?? "";
    const firstEvent = body.indexOf("<event>");
    const head = firstEvent >= 0 ? body.slice(0, firstEvent) : body;
    let caseId = `trace ${traceNo}`;
    for (const m of head.matchAll(attr)) if (m[2] === "concept:name") caseId = decode(m[3] ?? "");
    for (const ev of body.matchAll(/<event>([\s\S]*?)<\/event>/g)) {
      const attributes: Record<string, string> = {};
      for (const m of (ev[1] ?? "").matchAll(attr)) attributes[decode(m[2] ?? "")] = decode(m[3] ?? "");
      const activity = attributes["concept:name"];
      const time = attributes["time:timestamp"];
      if (activity === undefined || time === undefined) {
        throw new EventLogError(`${file}: an event of trace ${caseId} has no concept:name or time:timestamp`);
      }
      events.push({
        caseId,
        event: { activity, time: parseTime(time, `${file} trace ${caseId}`), attributes },
      });
    }
  }
  if (traceNo === 0) throw new EventLogError(`${file}: no <trace> found; is this an XES file?`);
  return buildLog(events);
}
