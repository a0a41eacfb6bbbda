/**
 * Reads an XES event log (IEEE 1849), plain or gzipped, as a stream: chunks of bytes go through the XML tokenizer
 * (xml-tokenizer.ts) into the XES semantics (xes-builder.ts); the document is never one string in memory.
 *
 * Rules:
 * - A malformed or truncated document, or one that breaks the XES rules of xes-builder.ts, is an EventLogError
 *   `file:line:column: what` (the line found by reading the file again up to the error, so that reading pays
 *   nothing for it); never a shortened or merged log. A log with no <trace> is an error too.
 * - Limits (XesOptions): at most maxBytes of (decompressed) XML, counted as it streams; a .gz whose output passes
 *   64 MiB at more than maxRatio times its compressed size is refused as a likely gzip bomb, long before maxBytes;
 *   elements nest at most maxDepth deep; one tag (with its attribute values), comment or the like is at most
 *   maxTokenBytes.
 */

import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { DataError } from "../errors/kei-error.js";
import { buildLog, type EventLog } from "./event-log.js";
import { XES_WORDS, XesBuilder } from "./xes-builder.js";
import { XmlError } from "./xml-bytes.js";
import { XmlTokenizer } from "./xml-tokenizer.js";

/** A problem with an event log file given to kei: the message names the file and, where known, the line. */
/** A malformed event log: bad input that stopped the command. */
export class EventLogError extends DataError {}

export interface XesOptions {
  /** Keep each event's XES attributes in LogEvent.attributes (default true); off, reading is faster. */
  readonly attributes?: boolean;
  /** Most bytes of XML (after decompression) read; default 4 GiB. */
  readonly maxBytes?: number;
  /** Most output bytes per compressed byte of a .gz once past 64 MiB; default 200. */
  readonly maxRatio?: number;
  /** Deepest element nesting; default 64. */
  readonly maxDepth?: number;
  /** Longest tag, comment, CDATA section or the like, in bytes; default 16 MiB. */
  readonly maxTokenBytes?: number;
}

export const XES_DEFAULTS: Required<XesOptions> = {
  attributes: true,
  maxBytes: 4 * 2 ** 30,
  maxRatio: 200,
  maxDepth: 64,
  maxTokenBytes: 16 * 2 ** 20,
};
const RATIO_FLOOR = 64 * 2 ** 20;

/** Where the bytes come from; opened a second time to find an error's line. */
export interface XesSource {
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Compressed bytes read so far, for a gzipped source. */
  readonly compressedBytes?: () => number;
  close(): void;
}

export function readXes(file: string, options: XesOptions = {}): Promise<EventLog> {
  const gzipped = file.toLowerCase().endsWith(".gz");
  return readXesFrom(file, () => openFile(file, gzipped), options);
}

/** Reads XES from bytes in memory, split into the chunks given (for tests). */
export function readXesBytes(
  name: string,
  chunks: readonly Uint8Array[],
  options: XesOptions = {},
): Promise<EventLog> {
  return readXesFrom(name, () => ({ chunks, close: () => {} }), options);
}

function openFile(file: string, gzipped: boolean): XesSource {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  if (!gzipped) return { chunks: raw, close: () => raw.destroy() };
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  raw.on("error", (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  return {
    chunks: gunzip,
    compressedBytes: () => raw.bytesRead,
    close: () => {
      raw.destroy();
      gunzip.destroy();
    },
  };
}

const asBuffer = (c: Uint8Array) =>
  Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;

export async function readXesFrom(
  name: string,
  open: () => XesSource,
  options: XesOptions,
): Promise<EventLog> {
  const l = { ...XES_DEFAULTS, ...options };
  const builder = new XesBuilder(l.attributes);
  const tokenizer = new XmlTokenizer(builder, l, XES_WORDS);
  const source = open();
  let total = 0;
  try {
    for await (const chunk of source.chunks) {
      total += chunk.length;
      if (total > l.maxBytes) {
        throw new EventLogError(
          `${name}: more than ${mib(l.maxBytes)} of XML (the limit; maxBytes raises it)`,
        );
      }
      const compressed = source.compressedBytes?.() ?? 0;
      if (compressed > 0 && total > RATIO_FLOOR && total > l.maxRatio * compressed) {
        throw new EventLogError(
          `${name}: ${mib(compressed)} unpacks to over ${mib(total)}, more than ${l.maxRatio} times: a gzip bomb?`,
        );
      }
      tokenizer.feed(asBuffer(chunk));
    }
    tokenizer.end();
  } catch (e) {
    if (e instanceof XmlError) throw await located(name, open, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new EventLogError(`${name}: not a valid gzip file, or a truncated one (${(e as Error).message})`);
    }
    throw e;
  } finally {
    source.close();
  }
  if (builder.traceCount === 0) throw new EventLogError(`${name}: no <trace> in <log>; is this an XES file?`);
  return buildLog(builder.events());
}

/** The error with its place as line:column (columns count characters), found by reading the source again. */
async function located(name: string, open: () => XesSource, e: XmlError): Promise<EventLogError> {
  const targets = e.opened ? [e.offset, e.opened.offset] : [e.offset];
  const places = await lineColumns(open, targets).catch(() => targets.map((t) => `byte ${t}`));
  const opened = e.opened ? `; <${e.opened.name}> opened at ${places[1]}` : "";
  return new EventLogError(`${name}:${places[0]}: ${e.message}${opened}`);
}

async function lineColumns(open: () => XesSource, offsets: readonly number[]): Promise<string[]> {
  const [a = 0, b = -1] = offsets;
  const last = Math.max(a, b);
  const places = ["", ""];
  const source = open();
  let line = 1;
  let column = 1;
  let at = 0;
  try {
    for await (const chunk of source.chunks) {
      for (let i = 0; i < chunk.length && at <= last; i++, at++) {
        if (at === a) places[0] = `${line}:${column}`;
        if (at === b) places[1] = `${line}:${column}`;
        const byte = chunk[i] as number;
        if (byte === 0xa) {
          line++;
          column = 1;
        } else if ((byte & 0xc0) !== 0x80) column++;
      }
      if (at > last) break;
    }
  } finally {
    source.close();
  }
  return places.map((p) => p || `${line}:${column}`);
}
