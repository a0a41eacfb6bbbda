/**
 * NDJSON input, streamed: one JSON object per line; blank lines skipped. A line that is not a JSON
 * object becomes a record with an `error`. Nested values are kept as JSON text.
 */
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { RawValue } from "../../schema/parse-value.js";
import type { RecordSource, SourceRecord } from "./record-source.js";

export class NdjsonSource implements RecordSource {
  readonly format = "ndjson" as const;
  readonly bytesTotal: number;
  private consumed = 0;
  private firstKeys: string[] | undefined;

  constructor(readonly file: string) {
    this.bytesTotal = statSync(file).size;
  }

  bytesRead(): number {
    return this.consumed;
  }

  async columns(): Promise<readonly string[]> {
    if (!this.firstKeys) {
      for await (const batch of this.batches(1)) {
        const first = batch.find((r) => !r.error);
        if (first) {
          this.firstKeys = Object.keys(first.values);
          break;
        }
      }
    }
    return this.firstKeys ?? [];
  }

  async *batches(batchSize = 5000): AsyncIterable<SourceRecord[]> {
    const stream = createReadStream(this.file);
    stream.on("data", (c) => {
      this.consumed += c.length;
    });
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let row = 0;
    let batch: SourceRecord[] = [];
    try {
      for await (const line of lines) {
        const text = row === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
        if (text.trim() === "") continue;
        row++;
        batch.push(parseLine(text, row));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      lines.close();
      stream.destroy();
    }
  }
}

function parseLine(line: string, row: number): SourceRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0] ?? "";
    return {
      row,
      values: {},
      raw: line,
      error: `invalid JSON: ${msg.length > 80 ? `${msg.slice(0, 77)}...` : msg}`,
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { row, values: {}, raw: line, error: "invalid JSON: a line must hold one object" };
  }
  const values: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(value)) {
    values[k] = v !== null && typeof v === "object" ? JSON.stringify(v) : (v as RawValue);
  }
  return { row, values, raw: line };
}
