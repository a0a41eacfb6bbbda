/**
 * CSV input, streamed: header row, comma or semicolon (sniffed from the header) or tab, UTF-8 with or
 * without BOM, quoted fields with newlines. Values come out as strings; parsing them is the row
 * coercer's job. A record with the wrong number of fields becomes a record with an `error`.
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { CsvParser, type ParsedRecord, sniffDelimiter } from "./csv-parser.js";
import type { RecordSource, SourceRecord } from "./record-source.js";

export interface CsvOptions {
  readonly delimiter?: "," | ";" | "\t";
  readonly highWaterMark?: number;
}

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
    const decoder = new StringDecoder("utf8");
    let parser: CsvParser | undefined;
    let pending = "";
    let header: string[] | undefined;
    let row = 0;
    let batch: SourceRecord[] = [];
    const parsed: ParsedRecord[] = [];
    const name = basename(this.file);
    this.consumed = 0;

    const take = (records: ParsedRecord[]) => {
      for (const r of records) {
        if (r.fields.length === 1 && r.fields[0] === "" && r.raw === "") continue; // blank line
        if (!header) {
          // An unnamed column (e.g. the index pandas writes) is an extra column like any other: it gets a name.
          header = r.fields.map((f, i) => f.trim() || `column_${i + 1}`);
          header.forEach((h, i) => {
            if (header?.indexOf(h) !== i)
              throw new Error(`${name}: column "${h}" appears twice in the header`);
          });
          this.header = header;
          continue;
        }
        row++;
        if (r.fields.length !== header.length) {
          batch.push({
            row,
            values: {},
            raw: r.raw,
            error: `row has ${r.fields.length} fields, header has ${header.length}`,
          });
          continue;
        }
        const values: Record<string, string> = {};
        for (let i = 0; i < header.length; i++) values[header[i] as string] = r.fields[i] as string;
        batch.push({ row, values, raw: r.raw });
      }
      records.length = 0;
    };

    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.consumed += chunk.length;
        let text = decoder.write(chunk);
        if (!parser) {
          pending += text;
          if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
          const nl = pending.search(/[\r\n]/);
          if (nl < 0) continue;
          parser = new CsvParser(this.options.delimiter ?? sniffDelimiter(pending.slice(0, nl)));
          text = pending;
          pending = "";
        }
        parser.push(text, parsed);
        take(parsed);
        while (batch.length >= batchSize) {
          yield batch.slice(0, batchSize);
          batch = batch.slice(batchSize);
        }
      }
      const rest = decoder.end();
      if (!parser) {
        pending += rest;
        if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
        parser = new CsvParser(this.options.delimiter ?? sniffDelimiter(pending.split(/[\r\n]/)[0] ?? ""));
        parser.push(pending, parsed);
      } else if (rest) {
        parser.push(rest, parsed);
      }
      parser.finish(parsed);
      take(parsed);
      if (parser.unterminated) {
        const last = batch[batch.length - 1];
        if (last) batch[batch.length - 1] = { ...last, values: {}, error: "unterminated quoted field" };
      }
      for (let i = 0; i < batch.length; i += batchSize) yield batch.slice(i, i + batchSize);
    } finally {
      stream.destroy();
    }
  }
}
