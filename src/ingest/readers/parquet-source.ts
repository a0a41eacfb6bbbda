/**
 * Parquet input with hyparquet (pure JS, no native build), decoded one row group at a time (memory is
 * bounded by the file's row-group size) and handed on in batches. Values are converted by parquet-values.ts (exact digits for numbers a double cannot hold,
 * INTERVAL and TIME as text, strict UTF-8, nested values as JSON text). A value that cannot be converted
 * rejects its row, naming the column. Rows are read as arrays and keyed into null-prototype objects, so
 * a column named `__proto__` is an ordinary column. A file that cannot be read at all, or a row group
 * that fails to decode, is an error naming the file (and the rows).
 */
import { statSync } from "node:fs";
import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import type { RawValue } from "../../schema/parse-value.js";
import { emptyRecord } from "./empty-record.js";
import { BadValue, type Converter, columnConverter, PARSERS, rawElement } from "./parquet-values.js";
import type { RecordSource, SourceRecord } from "./record-source.js";

interface Plan {
  /** The metadata hyparquet reads with (DECIMAL, INTERVAL, BSON annotations stripped). */
  readonly metadata: FileMetaData;
  readonly names: readonly string[];
  readonly converters: readonly Converter[];
}

export class ParquetSource implements RecordSource {
  readonly format = "parquet" as const;
  readonly bytesTotal: number;
  private consumed = 0;
  private planned: Plan | undefined;

  constructor(readonly file: string) {
    this.bytesTotal = statSync(file).size;
  }

  bytesRead(): number {
    return this.consumed;
  }

  private async plan(): Promise<Plan> {
    if (this.planned) return this.planned;
    let metadata: FileMetaData;
    let top: ReturnType<typeof parquetSchema>["children"];
    try {
      metadata = await parquetMetadataAsync(await asyncBufferFromFile(this.file));
      top = parquetSchema(metadata).children;
    } catch (e) {
      throw new Error(`${this.file}: not a readable Parquet file (${(e as Error).message})`);
    }
    const names = top.map((c) => c.element.name);
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`${this.file}: column "${n}" appears twice in the schema`);
      seen.add(n);
    }
    this.planned = {
      metadata: { ...metadata, schema: metadata.schema.map(rawElement) },
      names,
      converters: top.map(columnConverter),
    };
    return this.planned;
  }

  async columns(): Promise<readonly string[]> {
    return (await this.plan()).names;
  }

  async *batches(batchSize = 5000): AsyncIterable<SourceRecord[]> {
    const plan = await this.plan();
    const file = await asyncBufferFromFile(this.file);
    let rowStart = 0;
    let bytesSoFar = 0;
    this.consumed = 0;
    for (const group of plan.metadata.row_groups) {
      const rows = Number(group.num_rows);
      if (rows === 0) continue;
      // A whole row group at once: hyparquet decodes a column chunk from its start for any slice.
      const data = await this.readRows(plan, file, rowStart, rowStart + rows);
      for (let i = 0; i < rows; i += batchSize) {
        const end = Math.min(i + batchSize, rows);
        const batch: SourceRecord[] = new Array(end - i);
        for (let k = i; k < end; k++) batch[k - i] = toRecord(plan, data[k] ?? [], rowStart + k + 1);
        yield batch;
        this.consumed = bytesSoFar + Math.round((Number(group.total_byte_size) * end) / rows);
      }
      rowStart += rows;
      bytesSoFar += Number(group.total_byte_size);
    }
    this.consumed = this.bytesTotal;
  }

  /** Rows [start, end) of the file, each an array in column order; an error names the file and rows. */
  private async readRows(plan: Plan, file: AsyncBuffer, start: number, end: number): Promise<unknown[][]> {
    if (plan.names.length === 0) return Array.from({ length: end - start }, () => []);
    let data: unknown[][] = [];
    try {
      await parquetRead({
        file,
        metadata: plan.metadata,
        columns: [...plan.names],
        rowStart: start,
        rowEnd: end,
        rowFormat: "array",
        utf8: false,
        parsers: PARSERS,
        onComplete: (r) => {
          data = r;
        },
      });
      if (data.length !== end - start) throw new Error(`got ${data.length} rows`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.file}: cannot read rows ${start + 1}-${end} (${msg})`);
    }
    return data;
  }
}

/** A record whose `raw` (JSON of the values, for the rejects file) is only built when asked for. */
class ParquetRecord implements SourceRecord {
  constructor(
    readonly row: number,
    readonly values: Record<string, RawValue>,
  ) {}

  get raw(): string {
    return JSON.stringify(this.values);
  }
}

function toRecord(plan: Plan, data: readonly unknown[], row: number): SourceRecord {
  const values = emptyRecord<RawValue | BadValue>();
  let error: string | undefined;
  try {
    for (let i = 0; i < plan.names.length; i++) {
      const v = (plan.converters[i] as Converter)(data[i]);
      if (v instanceof BadValue) error ??= `column ${plan.names[i]}: ${v.reason}`;
      values[plan.names[i] as string] = v;
    }
  } catch (e) {
    error = `could not read this row (${e instanceof Error ? e.message : String(e)})`;
  }
  if (error === undefined) return new ParquetRecord(row, values as Record<string, RawValue>);
  const raw = JSON.stringify(values, (_k, v) => (v instanceof BadValue ? v.shown : v));
  return { row, values: emptyRecord<RawValue>(), error, raw };
}
