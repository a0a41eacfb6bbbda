/**
 * Writes an event log as XES (IEEE 1849) or CSV (`case_id,activity,timestamp` and the events' other
 * attributes), so the same log opens in pm4py, ProM, Disco or Celonis. CSV cells are written by
 * `csvField` (quoted where needed; a cell a spreadsheet would run as a formula starts with `'`).
 */
import { createWriteStream } from "node:fs";
import { csvField } from "../ingest/csv-cell.js";
import type { EventLog } from "./event-log.js";

/** XML attribute text; tab, line feed and carriage return as references, which a reader keeps (raw, it must read them as spaces). */
const xmlEscape = (s: string) =>
  s.replace(
    /[&<>"'\t\n\r]/g,
    (c) =>
      ({
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&apos;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
      })[c] ?? c,
  );

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { encoding: "utf8" });
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function* xesLines(log: EventLog): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>`;
  yield `<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">`;
  yield `  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>`;
  yield `  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>`;
  yield `  <string key="source" value="kei"/>`;
  for (const [caseId, events] of log.cases) {
    yield "  <trace>";
    yield `    <string key="concept:name" value="${xmlEscape(caseId)}"/>`;
    for (const e of events) {
      yield "    <event>";
      yield `      <string key="concept:name" value="${xmlEscape(e.activity)}"/>`;
      yield `      <date key="time:timestamp" value="${new Date(e.time).toISOString()}"/>`;
      for (const [k, v] of Object.entries(e.attributes ?? {})) {
        if (k !== "concept:name" && k !== "time:timestamp")
          yield `      <string key="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`;
      }
      yield "    </event>";
    }
    yield "  </trace>";
  }
  yield "</log>";
}

function* csvLines(log: EventLog): Generator<string> {
  const extra = new Set<string>();
  for (const events of log.cases.values())
    for (const e of events) for (const k of Object.keys(e.attributes ?? {})) extra.add(k);
  extra.delete("concept:name");
  extra.delete("time:timestamp");
  const keys = [...extra].sort();
  yield ["case_id", "activity", "timestamp", ...keys].map(csvField).join(",");
  for (const [caseId, events] of log.cases) {
    for (const e of events) {
      yield [caseId, e.activity, new Date(e.time).toISOString(), ...keys.map((k) => e.attributes?.[k] ?? "")]
        .map(csvField)
        .join(",");
    }
  }
}

export async function writeEventLog(log: EventLog, file: string): Promise<void> {
  if (file.toLowerCase().endsWith(".xes")) await writeLines(file, xesLines(log));
  else if (file.toLowerCase().endsWith(".csv")) await writeLines(file, csvLines(log));
  else throw new Error(`${file}: export to .xes or .csv`);
}
