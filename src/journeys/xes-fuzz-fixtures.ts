/**
 * Random event logs and random, valid XES writings of them, for xes-reader.fuzz.test.ts.
 *
 * A log is traces of events (case ids and activities with quotes, <, &, tabs, line breaks and unicode). Its
 * writing varies all XES and XML allow: single or double quotes, key before or after value, spaces around `=`,
 * extra attributes on <trace> and <event>, `<string .../>` or `<string ...></string>`, characters as themselves
 * or as references, comments, processing instructions, CDATA and whitespace between elements, nested attributes, lists and containers (skipped
 * by the reader), a trace without events and without case id. `expected` is what the reader must give back.
 */
import fc from "fast-check";
import { buildLog, type EventLog } from "./event-log.js";

const xmlChar = (c: number) =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  c >= 0x10000;
const SPECIAL = [
  '"',
  "'",
  "<",
  ">",
  "&",
  "&amp;",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "é",
  "😀",
  "]]>",
  "-->",
  "=",
  "/",
];
export const text = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 3 }) },
      { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }) },
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(""))
  .filter((s) => [...s].every((ch) => xmlChar(ch.codePointAt(0) ?? 0)));

export interface GenEvent {
  readonly activity: string;
  readonly time: number;
  /** Minutes east of UTC the timestamp is written in. */
  readonly zone: number;
  readonly resource: string | undefined;
}
export interface GenTrace {
  readonly caseId: string | undefined;
  readonly events: readonly GenEvent[];
}

const genEvent = fc.record({
  activity: text,
  time: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
  zone: fc.constantFrom(0, 60, -300, 330, 840),
  resource: fc.option(text, { nil: undefined }),
});

/** Traces with distinct case ids, and now and then one without events or case id. */
export const genLog = fc
  .uniqueArray(text, { minLength: 1, maxLength: 6 })
  .chain((ids) =>
    fc
      .tuple(
        fc.tuple(
          ...ids.map((id) =>
            fc.array(genEvent, { minLength: 1, maxLength: 5 }).map((events) => ({ caseId: id, events })),
          ),
        ),
        fc.boolean(),
      )
      .map(([traces, empty]): GenTrace[] =>
        empty ? [{ caseId: undefined, events: [] }, ...traces] : traces,
      ),
  );

export const timestamp = (e: GenEvent) => {
  const local = new Date(e.time + e.zone * 60_000).toISOString().slice(0, 23);
  const a = Math.abs(e.zone);
  const zone = `${e.zone < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  return local + (e.zone === 0 ? "Z" : zone);
};

export function expected(traces: readonly GenTrace[]): EventLog {
  return buildLog(
    traces.flatMap((t) =>
      t.events.map((e) => ({
        caseId: t.caseId ?? "",
        event: {
          activity: e.activity,
          time: e.time,
          attributes: {
            ...(e.resource === undefined ? {} : { "org:resource": e.resource }),
            "concept:name": e.activity,
            "time:timestamp": timestamp(e),
          },
        },
      })),
    ),
  );
}

/** Writes a log as XES, every choice drawn from `pick` (an integer below its argument). */
export function writeXes(traces: readonly GenTrace[], pick: (n: number) => number): string {
  const space = () => ["", " ", "\n", "\n\t", "\r\n  "][pick(5)] ?? "";
  const markup = (inRoot: boolean) => {
    const kinds = ["<!-- <trace> -->", "<!--a->b- ->&-->", "<?pi <trace> ?>", "<!---->"];
    if (inRoot) kinds.push("<![CDATA[ <trace>]] ]>&]]>");
    return pick(4) === 0 ? (kinds[pick(kinds.length)] ?? "") : "";
  };
  const gap = (inRoot = true) => space() + markup(inRoot) + space();
  const escaped = (s: string, quote: string) =>
    [...s]
      .map((ch) => {
        const code = ch.codePointAt(0) ?? 0;
        const ref = pick(2) === 0 ? `&#${code};` : `&#x${code.toString(16)};`;
        if (ch === "&") return ["&amp;", ref][pick(2)];
        if (ch === "<") return ["&lt;", ref][pick(2)];
        if (ch === quote) return [quote === '"' ? "&quot;" : "&apos;", ref][pick(2)];
        if (ch === "\t" || ch === "\n" || ch === "\r") return ref;
        return pick(8) === 0 ? ref : ch === ">" && pick(2) === 0 ? "&gt;" : ch;
      })
      .join("");
  const attr = (name: string, value: string) => {
    const q = pick(2) === 0 ? '"' : "'";
    return `${name}${pick(4) === 0 ? " = " : "="}${q}${escaped(value, q)}${q}`;
  };
  const simple = (type: string, key: string, value: string, inner = "") => {
    const pair = [attr("key", key), attr("value", value)];
    if (pick(2) === 0) pair.reverse();
    const body = inner || (pick(3) === 0 ? " " : "");
    return body
      ? `<${type} ${pair.join(pick(2) ? " " : "\n ")}>${body}</${type}>`
      : `<${type} ${pair.join(" ")}/>`;
  };
  /** Elements the reader skips with all they hold. */
  const extra = () =>
    [
      "",
      `<list key="l"><values>${simple("string", "concept:name", "listed")}</values></list>`,
      `<container key="c">${simple("date", "time:timestamp", "not a time")}</container>`,
      `<unknown>${simple("string", "concept:name", "x")}<trace/><event/></unknown>`,
    ][pick(4)] ?? "";
  /** Attributes of an attribute. */
  const meta = () => (pick(2) ? simple("string", "concept:name", "meta", simple("int", "deeper", "1")) : "");
  const open = (name: string) => (pick(3) === 0 ? `<${name} ${attr("id", String(pick(100)))}>` : `<${name}>`);
  const event = (e: GenEvent) => {
    const parts = [
      simple("string", "concept:name", e.activity),
      simple("date", "time:timestamp", timestamp(e)),
    ];
    if (e.resource !== undefined)
      parts.splice(pick(3), 0, simple("string", "org:resource", e.resource, meta()));
    if (pick(2) === 0) parts.reverse();
    return `${open("event")}${parts.map((p) => gap() + p).join("")}${gap()}${extra()}</event>`;
  };
  const trace = (t: GenTrace) => {
    const id = t.caseId === undefined ? "" : gap() + simple("string", "concept:name", t.caseId);
    const events = t.events.map((e) => gap() + event(e)).join("");
    return `${open("trace")}${pick(2) ? id + events : events + id}${gap()}${extra()}</trace>`;
  };
  const head = `${pick(2) ? '<?xml version="1.0" encoding="UTF-8"?>' : ""}${gap(false)}<log xes.version="1849-2016">`;
  const globals = `<global scope="event">${simple("string", "concept:name", "x")}</global>${extra()}`;
  return `${head}${gap()}${globals}${traces.map((t) => gap() + trace(t)).join("")}${gap()}</log>${gap(false)}`;
}
