/**
 * One ingest run: read every file, parse each row against the data model, stage the good rows in the
 * store and write the bad ones to the rejects file, then commit the run at once. Per file,
 * `read = stored + rejected + duplicates` always holds. Files are checked up front (readable format,
 * known table, required columns present) so that a run that cannot succeed stops before it loads anything.
 */

import { basename, dirname } from "node:path";
import { KeiError } from "../errors/kei-error.js";
import type { TableName } from "../schema/tables.js";
import { TABLES } from "../schema/tables.js";
import type { StagedRow, Store } from "../store/store.js";
import { findInputFiles, IngestInputError, type InputFile } from "./find-input-files.js";
import { openSource } from "./readers/open-source.js";
import type { RecordSource } from "./readers/record-source.js";
import { RejectsWriter, removeOrphanRejects } from "./rejects-writer.js";
import { formatRowError, RowCoercer } from "./row-coercer.js";

export interface IngestOptions {
  readonly timeZone: string;
  /** Per table: input column -> contract column. */
  readonly mappings?: Partial<Record<TableName, Record<string, string>>>;
  /** Treat every path as this table instead of recognising it by file name. */
  readonly table?: string;
  /** Where rejected rows go (CSV). Created only when a row is rejected. */
  readonly rejectsPath: string;
  readonly batchSize?: number;
  /** Called after each batch with the bytes read of the current file. */
  readonly onProgress?: (p: IngestProgress) => void;
  /** Called for each rejected row with its message (the CLI prints the first few). */
  readonly onReject?: (message: string) => void;
  /** Called with each warning (ignored columns, skipped files). */
  readonly onWarning?: (message: string) => void;
  /** Test hook: called after each staged batch, to kill a run mid-ingest. */
  readonly afterBatch?: () => Promise<void> | void;
  /** Test hook: called right before the run is committed. */
  readonly beforeCommit?: () => Promise<void> | void;
}

export interface IngestProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly files: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly rows: number;
}

export interface FileReport {
  readonly file: string;
  readonly table: TableName;
  readonly read: number;
  readonly stored: number;
  readonly rejected: number;
  readonly duplicates: number;
}

export interface IngestReport {
  readonly files: FileReport[];
  /** Path of the rejects file, or null when no row was rejected. */
  readonly rejects: string | null;
  readonly addedReasons: readonly string[];
  readonly unknownCustomerContacts: number;
  readonly warnings: readonly string[];
}

interface Prepared {
  readonly input: InputFile;
  readonly source: RecordSource;
  readonly coercer: RowCoercer;
}

async function prepare(inputs: readonly InputFile[], options: IngestOptions): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  for (const input of inputs) {
    const name = basename(input.path);
    let source: RecordSource;
    let columns: readonly string[];
    try {
      source = openSource(input.path);
      columns = await source.columns();
    } catch (e) {
      throw new IngestInputError(e instanceof Error ? e.message : String(e));
    }
    const coercer = new RowCoercer(TABLES[input.table], {
      timeZone: options.timeZone,
      mapping: options.mappings?.[input.table],
    });
    // An empty NDJSON file has no columns to check; it simply reads 0 rows.
    const missing = columns.length === 0 && source.format !== "csv" ? [] : coercer.missingRequired(columns);
    if (missing.length > 0) {
      throw new IngestInputError(
        `${name}: missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} for table ${input.table} (columns found: ${columns.join(", ") || "none"})`,
      );
    }
    const conflicts = coercer.columnConflicts(columns);
    if (conflicts.length > 0) {
      throw new IngestInputError(conflicts.map((m) => `${name}: ${m}`).join("\n"));
    }
    prepared.push({ input, source, coercer });
  }
  return prepared;
}

export async function ingestFiles(
  store: Store,
  paths: readonly string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const { files: inputs, skipped } = await findInputFiles(paths, options.table);
  for (const s of skipped) warn(`skipped ${s}: not a table of the data model`);
  const prepared = await prepare(inputs, options);
  // Rejects files of runs that were killed before they finished are not theirs to keep.
  await removeOrphanRejects(dirname(options.rejectsPath)).catch(() => undefined);

  const session = await store.beginLoad();
  const rejects = new RejectsWriter(options.rejectsPath);
  const counts: { read: number; rejected: number }[] = [];
  try {
    for (const [fileIndex, p] of prepared.entries()) {
      const name = basename(p.input.path);
      const index = await session.addFile(p.input.path, p.input.table);
      let read = 0;
      let rejected = 0;
      for await (const batch of readFailuresNamed(name, p.source.batches(options.batchSize ?? 5000))) {
        const good: StagedRow[] = [];
        for (const rec of batch) {
          read++;
          const r = p.coercer.coerce(rec);
          if (r.ok) {
            good.push({ row: rec.row, values: r.values });
            continue;
          }
          rejected++;
          const messages = r.errors.map((e) => formatRowError(name, rec.row, e));
          for (const m of messages) options.onReject?.(m);
          await rejects.write({
            file: p.input.path,
            table: p.input.table,
            row: rec.row,
            column: r.errors.map((e) => e.column).join("; "),
            reason: r.errors.map((e) => e.reason).join("; "),
            record: rec.raw ?? JSON.stringify(rec.values, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
          });
        }
        if (good.length > 0) await session.append(index, good);
        options.onProgress?.({
          file: p.input.path,
          fileIndex,
          files: prepared.length,
          bytesRead: p.source.bytesRead(),
          bytesTotal: p.source.bytesTotal,
          rows: read,
        });
        await options.afterBatch?.();
      }
      if (p.coercer.ignored.size > 0) {
        warn(
          `${name}: ignored column${p.coercer.ignored.size > 1 ? "s" : ""} ${[...p.coercer.ignored].join(", ")} (not in table ${p.input.table})`,
        );
      }
      counts.push({ read, rejected });
    }
    await options.beforeCommit?.();
    // Every reject is on disk before the commit; after it only a rename remains.
    await rejects.flush();
    const result = await session.commit();
    const rejectsPath = await rejects.close();
    const files = prepared.map((p, i): FileReport => {
      const c = counts[i] ?? { read: 0, rejected: 0 };
      const l = result.files[i] ?? { stored: 0, duplicates: 0 };
      return {
        file: p.input.path,
        table: p.input.table,
        read: c.read,
        stored: l.stored,
        rejected: c.rejected,
        duplicates: l.duplicates,
      };
    });
    return {
      files,
      rejects: rejectsPath,
      addedReasons: result.addedReasons,
      unknownCustomerContacts: result.unknownCustomerContacts,
      warnings,
    };
  } catch (e) {
    await session.abort().catch(() => undefined);
    await rejects.discard().catch(() => undefined);
    throw e;
  }
}

/**
 * The batches of a source, with a failure of the reader itself (a Parquet row group that cannot be decoded, a
 * file that vanished half-way) turned into an input error naming the file: the run stops and stores nothing.
 */
async function* readFailuresNamed<T>(name: string, batches: AsyncIterable<T>): AsyncIterable<T> {
  const it = batches[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await it.next();
    } catch (e) {
      if (e instanceof KeiError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new IngestInputError(msg.includes(name) ? msg : `${name}: ${msg}`, { cause: e });
    }
    if (next.done) return;
    yield next.value;
  }
}
