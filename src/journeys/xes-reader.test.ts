/**
 * The XES reader on the defects a reliability probe found in the regex reader it replaced (each test failed
 * before): truncated, unclosed and commented-out or nested traces, valid XES written another way, quadratic time
 * and gzip bombs. Plus the XES rules of xes-builder.ts and the XML of xml-tokenizer.ts, on tiny inline logs.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tempDir } from "../ingest/ingest-fixtures.js";
import type { EventLog } from "./event-log.js";
import { EventLogError, readEventLog } from "./read-event-log.js";
import { readXesBytes, type XesOptions } from "./xes-reader.js";

const T0 = "2025-01-01T09:00:00.000+01:00";
const T1 = "2025-01-01T10:00:00.000+01:00";
const event = (activity: string, time = T0) =>
  `<event><string key="concept:name" value="${activity}"/><date key="time:timestamp" value="${time}"/></event>`;
const trace = (id: string, ...events: string[]) =>
  `<trace>\n<string key="concept:name" value="${id}"/>\n${events.join("\n")}\n</trace>`;
const xes = (...body: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<log>\n${body.join("\n")}\n</log>\n`;

/** Reads a document from memory, in chunks of `size` bytes (to cross every token boundary). */
async function read(doc: string | Buffer, size = 7, xes: XesOptions = {}): Promise<EventLog> {
  const bytes = typeof doc === "string" ? Buffer.from(doc) : doc;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return readXesBytes("test.xes", chunks, xes);
}
const plain = (log: EventLog) => [...log.cases].map(([id, events]) => [id, events.map((e) => e.activity)]);

async function write(name: string, content: string | Buffer): Promise<string> {
  const file = join(await tempDir(), name);
  await writeFile(file, content);
  return file;
}

const TWO = xes(trace("c1", event("a"), event("b", T1)), trace("c2", event("a")));

describe("the defects of the regex reader", () => {
  it("a truncated document is an error naming the file and line, not a log without its last trace", async () => {
    const cut = TWO.slice(0, TWO.indexOf("<event>", TWO.indexOf("c2")) + 20);
    await expect(readEventLog(await write("cut.xes", cut))).rejects.toThrow(
      /cut\.xes:10:8: the document ends inside a start tag \(truncated\?\)/,
    );
    await expect(read(TWO.slice(0, TWO.lastIndexOf("</log>")))).rejects.toThrow(/ends before <\/log>/);
  });

  it("an unclosed <trace> is an error, not two traces merged into one", async () => {
    const doc = xes(`<trace><string key="concept:name" value="c1"/>${event("a")}`, trace("c2", event("b")));
    await expect(read(doc)).rejects.toThrow(/test\.xes:4:1: a <trace> inside a <trace>/);
  });

  it("a commented-out trace is no case", async () => {
    const doc = xes(trace("c1", event("a")), `<!-- ${trace("old", event("x"))} -->`);
    expect(plain(await read(doc))).toEqual([["c1", ["a"]]]);
  });

  it("a trace nested in another element is no case", async () => {
    const doc = xes(
      `<container key="archive">${trace("old", event("x"))}</container>`,
      `<unknown>${trace("other", event("y"))}</unknown>`,
      trace("c1", event("a")),
    );
    expect(plain(await read(doc))).toEqual([["c1", ["a"]]]);
  });

  it("reads single-quoted attributes, value before key and extra attributes on <trace> and <event>", async () => {
    const doc = xes(
      `<trace id="7" xmlns:x='urn:x'><string value='c1' key='concept:name'/>`,
      `<event id='e1'><date value="${T0}" key="time:timestamp" /><string value = 'a' key = "concept:name"/></event>`,
      "</trace>",
    );
    const log = await read(doc);
    expect(plain(log)).toEqual([["c1", ["a"]]]);
    expect(log.cases.get("c1")?.[0]?.time).toBe(Date.parse(T0));
  });

  it("1.4 MB of unclosed <trace> fails in well under a second", async () => {
    for (const doc of [
      `<log>${"<trace>".repeat(200_000)}`,
      `<log><trace><string key="concept:name" value="c"/>${event("a").repeat(10_000)}`,
      `<log>${"<x>".repeat(470_000)}`,
    ]) {
      const started = performance.now();
      await expect(read(doc, 1 << 16)).rejects.toThrow(EventLogError);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("a gzip bomb fails early, on the ratio bound or maxBytes, before it is unpacked", async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from("<log>"), Buffer.alloc(96 * 2 ** 20, 0x20)]));
    const file = await write("bomb.xes.gz", bomb);
    const started = performance.now();
    await expect(readEventLog(file)).rejects.toThrow(/bomb\.xes\.gz: .* more than 200 times: a gzip bomb\?/);
    expect(performance.now() - started).toBeLessThan(10_000);
    await expect(readEventLog(file, {}, { maxBytes: 2 ** 20 })).rejects.toThrow(/more than 1 MiB of XML/);
  });
});

describe("XES rules", () => {
  it("reads gzipped XES, and a cut-off .gz is an EventLogError", async () => {
    const gz = gzipSync(TWO);
    expect(plain(await readEventLog(await write("log.xes.gz", gz)))).toEqual([
      ["c1", ["a", "b"]],
      ["c2", ["a"]],
    ]);
    const cut = await write("cut.xes.gz", gz.subarray(0, gz.length - 30));
    await expect(readEventLog(cut)).rejects.toThrow(EventLogError);
  });

  it("refuses an event outside a trace, a trace with events but no case id, an event without a time", async () => {
    await expect(read(xes(event("a")))).rejects.toThrow(/test\.xes:3:1: an <event> outside a <trace>/);
    await expect(read(xes(`<trace>${event("a")}</trace>`))).rejects.toThrow(
      /no concept:name \(its case id\)/,
    );
    const timeless = `<event><string key="concept:name" value="a"/></event>`;
    await expect(read(xes(trace("c", timeless)))).rejects.toThrow(/an <event> without time:timestamp/);
    await expect(read(xes(trace("c", event("a", "soon"))))).rejects.toThrow(/bad time:timestamp "soon"/);
    await expect(read(xes(`<trace/>`))).resolves.toBeDefined();
    await expect(read(xes())).rejects.toThrow(/no <trace> in <log>/);
    await expect(read("<html></html>")).rejects.toThrow(/root element is <html>, not <log>/);
  });

  it("keeps every simple attribute of an event (unless told not to) and skips nested ones", async () => {
    const nested = `<string key="org:resource" value="Ann"><string key="concept:name" value="meta"/></string>`;
    const list = `<list key="items"><values><string key="concept:name" value="in a list"/></values></list>`;
    const doc = xes(
      trace("c1", `<event>${nested}${list}<int key="n" value="3"/>${event("a").slice(7, -8)}</event>`),
    );
    const [e] = (await read(doc)).cases.get("c1") ?? [];
    expect(e?.attributes).toEqual({
      "org:resource": "Ann",
      n: "3",
      "concept:name": "a",
      "time:timestamp": T0,
    });
    const [lean] = (await read(doc, 7, { attributes: false })).cases.get("c1") ?? [];
    expect(lean).toEqual({ activity: "a", time: Date.parse(T0) });
  });

  it("keeps events whatever their lifecycle:transition, as pm4py does", async () => {
    const life = (a: string, t: string) =>
      `<event><string key="concept:name" value="${a}"/><string key="lifecycle:transition" value="${t}"/>` +
      `<date key="time:timestamp" value="${T0}"/></event>`;
    const log = await read(xes(trace("c", life("a", "start"), life("a", "complete"))));
    expect(plain(log)).toEqual([["c", ["a", "a"]]]);
  });
});

describe("XML", () => {
  it("decodes references and normalises whitespace in values; skips declaration, DOCTYPE, PIs, CDATA", async () => {
    const doc =
      `\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE log [ <!ELEMENT log ANY> ]>\n<?pi x?>\n` +
      `<xes:log xmlns:xes="urn:xes"><![CDATA[ <trace> ]]>` +
      trace("a&amp;b&#10;&#x1F600;\tc", event("&lt;&gt;&quot;&apos;")) +
      "</xes:log>";
    expect(plain(await read(doc, 3))).toEqual([["a&b\n😀 c", [`<>"'`]]]);
    const latin1 = Buffer.from(xes(trace("caf\u00e9", event("a"))).replace("UTF-8", "ISO-8859-1"), "latin1");
    expect(plain(await read(latin1))).toEqual([["café", ["a"]]]);
  });

  it("refuses malformed XML with the line and column", async () => {
    const bad: [string, RegExp][] = [
      [
        xes(trace("c", event("a")).replace("</trace>", "</event>")),
        /:6:1: <\/event> where <trace> is to be closed; <trace> opened at 3:1/,
      ],
      [xes(`<trace><string key="concept:name" value="a<b"/></trace>`), /:3:43: '<' inside a tag/],
      [
        xes(`<trace><string key="concept:name" value="a&b"/></trace>`),
        /:3:43: an '&' that starts no reference/,
      ],
      [xes(`<trace><string key="concept:name" value="&#0;"/></trace>`), /&#0; is not a character/],
      [xes(`<trace><string key=concept:name value="a"/></trace>`), /is not quoted/],
      [xes(`<trace><string key="a" key="b"/></trace>`), /attribute key twice/],
      [xes("<!-- never closed"), /ends inside a comment/],
      [`${xes()}<log/>`, /a second root element/],
      [`${xes()}tail`, /text after the root element/],
      [`<log>${"<x>".repeat(64)}`, /nested more than 64 deep/],
    ];
    for (const [doc, message] of bad) await expect(read(doc)).rejects.toThrow(message);
    const long = xes(trace("c", event("a".repeat(2000))));
    await expect(read(long, 100, { maxTokenBytes: 1000 })).rejects.toThrow(
      /a start tag longer than 1000 bytes/,
    );
  });
});
