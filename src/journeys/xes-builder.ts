/**
 * XES (IEEE 1849) semantics over the XML tokenizer's elements: builds the events of an event log.
 *
 * Rules:
 * - The root element is <log>. Its direct <trace> children are the cases; anything else in it (extensions,
 *   globals, classifiers, log attributes, unknown elements) is skipped with all it holds, so a <trace> nested in
 *   another element is no case. An <event> directly in <log> is an error (an event outside a trace).
 * - In a trace: direct <event> children are its events; its `concept:name` attribute (of any simple type, before
 *   or after the events) is the case id; a trace with events but no case id is an error (pm4py refuses a log
 *   with an empty case id); a <trace> inside a trace is an error. Other children are skipped.
 * - In an event: each direct simple attribute (<string>, <date>, <int>, <float>, <boolean>, <id>) is kept as
 *   `key -> value` text (unless keepAttributes is off), the last of a key winning; `concept:name` is the activity
 *   and `time:timestamp` the time, both required. Nested attributes (an attribute's own attributes, <list>, <container>) are skipped. Every event
 *   is kept whatever its `lifecycle:transition`, as pm4py's read_xes does. An <event> or <trace> inside an event
 *   is an error.
 * - Element names are matched without a namespace prefix (`xes:trace` is a trace).
 */
import type { LogEvent } from "./event-log.js";
import { XmlError } from "./xml-bytes.js";
import type { StartTag } from "./xml-start-tag.js";
import type { XmlHandler } from "./xml-tokenizer.js";

const SIMPLE = new Set(["string", "date", "int", "float", "boolean", "id"]);
/** The names and keys compared with, to be seeded into the tokenizer's interner. */
export const XES_WORDS = [
  ...SIMPLE,
  ...["log", "trace", "event", "key", "value", "concept:name", "time:timestamp", "lifecycle:transition"],
  ...[
    "org:resource",
    "org:role",
    "org:group",
    "list",
    "values",
    "container",
    "global",
    "extension",
    "classifier",
  ],
];
const NOTHING = 0;
const LOG = 1;
const TRACE = 2;
const EVENT = 3;
const DONE = 4;

const local = (name: string) => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

export class XesBuilder implements XmlHandler {
  /** The traces with events, in file order. */
  readonly traces: { readonly caseId: string; readonly events: readonly LogEvent[] }[] = [];
  /** Number of <trace> elements directly in <log>. */
  traceCount = 0;
  private level = NOTHING;
  /** Depth inside an element being skipped (0: none). */
  private skipping = 0;
  private caseId: string | undefined;
  private traceOffset = 0;
  private traceEvents: LogEvent[] = [];
  private attributes: Record<string, string> = {};
  private activity: string | undefined;
  /** The event's time, NaN while it has none; its text when that is no time (for the error). */
  private time = Number.NaN;
  private timeText: string | undefined;
  private eventOffset = 0;

  /** keepAttributes: keep each event's attributes (else only its activity and time are decoded). */
  constructor(private readonly keepAttributes = true) {}

  open(tag: StartTag): void {
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    const name = local(tag.name);
    if (this.level === LOG) {
      if (name === "trace") {
        this.level = TRACE;
        this.traceCount++;
        this.caseId = undefined;
        this.traceOffset = tag.offset;
        this.traceEvents = [];
      } else if (name === "event") throw new XmlError("an <event> outside a <trace>", tag.offset);
      else this.skipping = 1;
    } else if (this.level === TRACE || this.level === EVENT) {
      if (name === "trace" || name === "event") {
        if (this.level === TRACE && name === "event") {
          this.level = EVENT;
          if (this.keepAttributes) this.attributes = {};
          this.activity = undefined;
          this.time = Number.NaN;
          this.timeText = undefined;
          this.eventOffset = tag.offset;
          return;
        }
        const where = this.level === TRACE ? "a <trace>" : "an <event>";
        throw new XmlError(`a <${name}> inside ${where}`, tag.offset);
      }
      this.skipping = 1;
      if (SIMPLE.has(name)) this.attribute(tag);
    } else if (this.level === NOTHING) {
      if (name !== "log")
        throw new XmlError(`the root element is <${tag.name}>, not <log>: not XES`, tag.offset);
      this.level = LOG;
    }
  }

  /** A simple attribute directly in a trace or an event. */
  private attribute(tag: StartTag): void {
    const k = tag.indexOf("key");
    const v = tag.indexOf("value");
    if (k < 0 || v < 0) throw new XmlError(`a <${tag.name}> attribute without key or value`, tag.offset);
    if (this.level !== EVENT) {
      if (tag.valueIs(k, "concept:name")) this.caseId = tag.value(v, false);
    } else if (this.keepAttributes) {
      const key = tag.value(k);
      const value = tag.value(v, key !== "time:timestamp");
      this.attributes[key] = value;
      if (key === "concept:name") this.activity = value;
      else if (key === "time:timestamp") this.setTime(tag, v);
    } else if (tag.valueIs(k, "concept:name")) this.activity = tag.value(v);
    else if (tag.valueIs(k, "time:timestamp")) this.setTime(tag, v);
  }

  private setTime(tag: StartTag, v: number): void {
    this.time = tag.time(v);
    this.timeText = Number.isNaN(this.time) ? tag.value(v, false) : "";
  }

  /** The events in file order, as buildLog takes them. */
  *events(): Generator<{ caseId: string; event: LogEvent }> {
    for (const { caseId, events } of this.traces) for (const event of events) yield { caseId, event };
  }

  close(): void {
    if (this.skipping > 0) {
      this.skipping--;
    } else if (this.level === EVENT) {
      this.level = TRACE;
      const { activity, time: t, timeText } = this;
      if (activity === undefined || timeText === undefined) {
        const missing = activity === undefined ? "concept:name" : "time:timestamp";
        throw new XmlError(`an <event> without ${missing}`, this.eventOffset);
      }
      if (Number.isNaN(t))
        throw new XmlError(`an <event> with a bad time:timestamp "${timeText}"`, this.eventOffset);
      this.traceEvents.push(
        this.keepAttributes ? { activity, time: t, attributes: this.attributes } : { activity, time: t },
      );
    } else if (this.level === TRACE) {
      this.level = LOG;
      const caseId = this.caseId;
      if (this.traceEvents.length === 0) return;
      if (caseId === undefined) {
        throw new XmlError("a <trace> with events but no concept:name (its case id)", this.traceOffset);
      }
      this.traces.push({ caseId, events: this.traceEvents });
    } else this.level = DONE;
  }
}
