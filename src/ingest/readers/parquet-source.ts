/**
 * Parquet input with hyparquet (pure JS, no native build), read one row group at a time so memory stays
 * bounded by the file's row-group size. Values: strings, numbers, booleans, bigint (INT64), Date
 * (DATE, and TIMESTAMP adjusted to UTC). A TIMESTAMP *not* adjusted to UTC is wall-clock time, so it is
 * handed on as ISO text without an offset and read in the configured zone, like CSV.
 */
import { statSync } from "node:fs";
import { asyncBufferFromFile, type FileMetaData, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import type { RawValue } from "../../schema/parse-value.js";
import type { RecordSource, SourceRecord } from "./record-source.js";

export class ParquetSource implements RecordSource {
  readonly format = "parquet" as const;
  readonly bytesTotal: number;
  private consumed = 0;
  private metadata: FileMetaData | undefined;

  constructor(readonly file: string) {
    this.bytesTotal = statSync(file).size;
  }

  bytesRead(): number {
    return this.consumed;
  }

  private async meta(): Promise<FileMetaData> {
    if (!this.metadata) {
      const buffer = await asyncBufferFromFile(this.file);
      try {
        this.metadata = await parquetMetadataAsync(buffer);
      } catch (e) {
        throw new Error(`${this.file}: not a readable Parquet file (${(e as Error).message})`);
      }
    }
    return this.metadata;
  }

  async columns(): Promise<readonly string[]> {
    const m = await this.meta();
    // The first schema element is the root; top-level columns follow.
    return m.schema
      .slice(1)
      .filter((e) => e.repetition_type !== undefined || e.num_children === undefined)
      .map((e) => e.name);
  }

  async *batches(batchSize = 5000): AsyncIterable<SourceRecord[]> {
    const metadata = await this.meta();
    const file = await asyncBufferFromFile(this.file);
    const naive = new Set(
      metadata.schema
        .filter((e) => e.logical_type?.type === "TIMESTAMP" && e.logical_type.isAdjustedToUTC === false)
        .map((e) => e.name),
    );
    let rowStart = 0;
    let bytesSoFar = 0;
    this.consumed = 0;
    for (const group of metadata.row_groups) {
      const rows = Number(group.num_rows);
      for (let start = rowStart; start < rowStart + rows; start += batchSize) {
        const end = Math.min(start + batchSize, rowStart + rows);
        const objects = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end });
        yield objects.map((o, i) => toRecord(o, start + i + 1, naive));
        this.consumed = bytesSoFar + Math.round((Number(group.total_byte_size) * (end - rowStart)) / rows);
      }
      rowStart += rows;
      bytesSoFar += Number(group.total_byte_size);
    }
    this.consumed = this.bytesTotal;
  }
}

function toRecord(o: Record<string, unknown>, row: number, naive: Set<string>): SourceRecord {
  const values: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Date && naive.has(k)) values[k] = v.toISOString().slice(0, 19);
    else if (typeof v === "bigint") values[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    else if (v !== null && typeof v === "object" && !(v instanceof Date))
      values[k] = JSON.stringify(v, bigintJson);
    else values[k] = v as RawValue;
  }
  return { row, values, raw: JSON.stringify(o, bigintJson) };
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
