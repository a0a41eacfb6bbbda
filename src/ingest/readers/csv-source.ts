/**
 * CSV input, streamed: header row, comma or semicolon (sniffed from the header) or tab, UTF-8 with or
 * without BOM, quoted fields with newlines. Values come out as strings exactly as in the file (the row
 * coercer trims and parses them).
 *
 * Rules (every data record is a record, or a record with an `error` that becomes a reject):
 * - Row numbers count records, not lines: the first record after the header is row 1, a record whose
 *   quoted fields hold newlines is one row, blank lines are skipped and not counted, and a rejected
 *   record (an unterminated quote included) counts as one row, so the rows after it keep their numbers.
 * - A record with the wrong number of fields: `row has N fields, header has M`.
 * - A record whose bytes are not valid UTF-8 (a latin-1 or windows-1252 file): `not valid UTF-8
 *   (byte 0xEB) in column "name"; ...`. Its raw text shows the bad bytes as `\xEB`; nothing is decoded
 *   to U+FFFD, so two ids differing only in a bad byte are never merged.
 * - A stray quote (see csv-parser.ts: a quoted field with no closing quote before the end of the file or
 *   within `maxQuotedField` characters, or one closed after a line end and followed by text): that
 *   record alone is rejected (raw: its first line) and reading resumes at the next line.
 * - File-level errors (thrown, naming the file): a header that is unterminated, not valid UTF-8, or
 *   names a column twice. An unnamed column gets the name `column_N`.
 * - Values are kept in objects that inherit nothing (empty-record.ts), so a column named `__proto__` is a
 *   column like any other.
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { CsvParser, DEFAULT_MAX_QUOTED_FIELD, type ParsedRecord, sniffDelimiter } from "./csv-parser.js";
import { emptyRecord } from "./empty-record.js";
import type { RecordSource, SourceRecord } from "./record-source.js";
import {
  countInvalidBytes,
  firstInvalidByte,
  hasInvalidBytes,
  hex,
  StrictUtf8Decoder,
  showInvalidBytes,
} from "./strict-utf8.js";

export interface CsvOptions {
  readonly delimiter?: "," | ";" | "\t";
  readonly highWaterMark?: number;
  /** Longest quoted field in characters before it counts as unterminated (a stray quote).
   * Default `DEFAULT_MAX_QUOTED_FIELD`, 1 MiB (1,048,576). */
  readonly maxQuotedField?: number;
}

const LATIN1_HINT = "the file may be latin-1 or windows-1252";

export class CsvSource implements RecordSource {
  readonly format = "csv" as const;
  readonly bytesTotal: number;
  private consumed = 0;
  private header: string[] | undefined;

  constructor(
    readonly file: string,
    private readonly options: CsvOptions = {},
  ) {
    this.bytesTotal = statSync(file).size;
  }

  bytesRead(): number {
    return this.consumed;
  }

  async columns(): Promise<readonly string[]> {
    if (!this.header) {
      for await (const _ of this.batches(1)) break;
    }
    return this.header ?? [];
  }

  async *batches(batchSize = 5000): AsyncIterable<SourceRecord[]> {
    const stream = createReadStream(this.file, { highWaterMark: this.options.highWaterMark ?? 1 << 20 });
    const decoder = new StrictUtf8Decoder();
    const max = this.options.maxQuotedField ?? DEFAULT_MAX_QUOTED_FIELD;
    let parser: CsvParser | undefined;
    let pending = "";
    let header: string[] | undefined;
    let row = 0;
    let markersFound = 0; // bytes that were not UTF-8, found in records so far (see strict-utf8.ts)
    let batch: SourceRecord[] = [];
    const parsed: ParsedRecord[] = [];
    const messages = new Map<number, string>();
    const name = basename(this.file);
    this.consumed = 0;

    const take = () => {
      for (const r of parsed) {
        if (r.fields.length === 1 && r.fields[0] === "" && r.raw === "") continue; // blank line
        if (!header) {
          header = readHeader(r, name);
          this.header = header;
        } else {
          const bad = markersFound < decoder.markers ? countInvalidBytes(r.raw) : 0;
          markersFound += bad;
          batch.push(toRecord(r, ++row, bad > 0, { header, max, messages }));
        }
      }
      parsed.length = 0;
    };
    // Until the header's first line is complete, text waits in `pending` (to sniff the delimiter).
    let bomChecked = false;
    const feed = (text: string, final: boolean) => {
      if (!parser) {
        if (!bomChecked && text.length > 0) {
          bomChecked = true;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the BOM, at the start of the file only
        }
        const nl = text.search(/[\r\n]/);
        const lineEnd = nl < 0 ? -1 : pending.length + nl;
        pending += text;
        if (lineEnd < 0 && !final) return;
        const firstLine = pending.slice(0, lineEnd < 0 ? pending.length : lineEnd);
        parser = new CsvParser(this.options.delimiter ?? sniffDelimiter(firstLine), max);
        text = pending;
        pending = "";
      }
      parser.push(text, parsed);
      if (final) parser.finish(parsed);
      take();
    };

    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.consumed += chunk.length;
        feed(decoder.write(chunk), false);
        let at = 0;
        for (; batch.length - at >= batchSize; at += batchSize) yield batch.slice(at, at + batchSize);
        if (at > 0) batch = batch.slice(at);
      }
      feed(decoder.end(), true);
      for (let i = 0; i < batch.length; i += batchSize) yield batch.slice(i, i + batchSize);
    } finally {
      stream.destroy();
    }
  }
}

function readHeader(r: ParsedRecord, name: string): string[] {
  if (r.badQuote) throw new Error(`${name}: the header has a quoted column name without its closing quote`);
  const bad = firstInvalidByte(r.raw);
  if (bad >= 0) {
    const utf16 = /^[\uDCFE\uDCFF]{2}/u.test(r.raw) && r.raw.charCodeAt(0) !== r.raw.charCodeAt(1);
    throw new Error(
      utf16
        ? `${name}: the file is UTF-16; save it as UTF-8`
        : `${name}: the header is not valid UTF-8 (byte 0x${hex(bad)}); ${LATIN1_HINT}; save it as UTF-8`,
    );
  }
  // An unnamed column (e.g. the index pandas writes) is an extra column like any other: it gets a name.
  const header = r.fields.map((f, i) => f.trim() || `column_${i + 1}`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new Error(`${name}: column "${h}" appears twice in the header`);
    seen.add(h);
  }
  return header;
}

interface RecordContext {
  readonly header: readonly string[];
  readonly max: number;
  /** Not-UTF-8 messages by byte and column, made once each (a latin-1 file has one per row). */
  readonly messages: Map<number, string>;
}

function toRecord(r: ParsedRecord, row: number, bad: boolean, context: RecordContext): SourceRecord {
  const { header, max } = context;
  const values = emptyRecord<string>();
  const raw = bad ? showInvalidBytes(r.raw) : r.raw;
  if (r.badQuote) {
    const { field, why } = r.badQuote;
    const col = inColumn(header, field);
    const what =
      why === "closed-mid-field"
        ? `quoted field${col} runs over a line end and its closing quote is followed by text`
        : `unterminated quoted field${col}: no closing quote ${why === "end" ? "before the end of the file" : `within ${max} characters`}`;
    return { row, values, raw, error: `${what} (a stray quote?); read on from the next line` };
  }
  if (bad) {
    const byte = firstInvalidByte(r.raw);
    const i = r.fields.findIndex(hasInvalidBytes);
    let error = context.messages.get(byte * 0x10000 + i + 1);
    if (error === undefined) {
      error = `not valid UTF-8 (byte 0x${hex(byte)})${inColumn(header, i)}; ${LATIN1_HINT}`;
      context.messages.set(byte * 0x10000 + i + 1, error);
    }
    return { row, values, raw, error };
  }
  if (r.fields.length !== header.length) {
    return { row, values, raw, error: `row has ${r.fields.length} fields, header has ${header.length}` };
  }
  for (let i = 0; i < header.length; i++) values[header[i] as string] = r.fields[i] as string;
  return { row, values, raw };
}

function inColumn(header: readonly string[], i: number): string {
  return i >= 0 && i < header.length ? ` in column "${header[i]}"` : "";
}
