/**
 * What every input reader (CSV, NDJSON, Parquet) hands ingestion: records in batches, each with its
 * 1-based data row number, so that every message and every reject can name the file and the row.
 */
import type { RawValue } from "../../schema/parse-value.js";

export type InputFormat = "csv" | "ndjson" | "parquet";

export interface SourceRecord {
  /** 1-based data row: the first row after a CSV header is row 1; NDJSON counts non-blank lines. */
  readonly row: number;
  /** Values keyed by the input's own column names (not yet mapped or parsed). */
  readonly values: Record<string, RawValue>;
  /** Set when the row could not be read at all (bad JSON, wrong field count); it becomes a reject. */
  readonly error?: string;
  /** The row as it was read, for the rejects file (CSV: the raw line(s); else JSON). */
  readonly raw?: string;
}

export interface RecordSource {
  readonly file: string;
  readonly format: InputFormat;
  /** Column names as found in the file (CSV header, Parquet schema; NDJSON: every key of the file, first seen first). */
  columns(): Promise<readonly string[]>;
  /** Batches of records in file order; memory stays bounded by the batch size. */
  batches(batchSize?: number): AsyncIterable<SourceRecord[]>;
  /** Size of the input in bytes, and how many have been consumed so far (for progress bars). */
  readonly bytesTotal: number;
  bytesRead(): number;
}
