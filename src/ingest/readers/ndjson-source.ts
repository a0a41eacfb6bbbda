/**
 * NDJSON input, streamed from its bytes: one JSON object per line, lines end at \n (CRLF and a BOM are
 * fine), blank lines are skipped and not counted. Every other line is one record, numbered 1, 2, ...:
 * either its values or an `error` that makes it a reject (not valid UTF-8, bad JSON, too deep, lone
 * surrogates; see json-line.ts). A key missing from a line is a missing value for that row.
 * `columns()` is the union of the keys of all lines, in first-seen order (one streaming pass).
 */
import { statSync } from "node:fs";
import { parseJsonLine, rejectLine } from "./json-line.js";
import type { RecordSource, SourceRecord } from "./record-source.js";
import { BadUtf8Line, utf8Lines } from "./utf8-lines.js";

export class NdjsonSource implements RecordSource {
  readonly format = "ndjson" as const;
  readonly bytesTotal: number;
  private consumed = 0;
  private keys: string[] | undefined;

  constructor(
    readonly file: string,
    private readonly highWaterMark = 1 << 20,
  ) {
    this.bytesTotal = statSync(file).size;
  }

  bytesRead(): number {
    return this.consumed;
  }

  async columns(): Promise<readonly string[]> {
    if (!this.keys) {
      const seen = new Set<string>();
      for await (const batch of this.batches()) {
        for (const r of batch) for (const k of Object.keys(r.values)) seen.add(k);
      }
      this.keys = [...seen];
    }
    return this.keys;
  }

  async *batches(batchSize = 5000): AsyncIterable<SourceRecord[]> {
    this.consumed = 0;
    let row = 0;
    let batch: SourceRecord[] = [];
    const lines = utf8Lines(
      this.file,
      (n) => {
        this.consumed += n;
      },
      this.highWaterMark,
    );
    for await (const group of lines) {
      for (const line of group) {
        if (line instanceof BadUtf8Line) batch.push(rejectLine(line.shown, ++row, line.reason));
        else if (line.trim() !== "") batch.push(parseJsonLine(line, ++row));
        else continue;
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }
}
