/**
 * Expands the paths given to `kei ingest` into input files with their table. A folder contributes the
 * files whose name is a table of the contract (`contacts.csv`, `web_events.parquet`, ...); other files in
 * it are listed as skipped. A file named on the command line must be recognisable, or `--table` given.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DataError } from "../errors/kei-error.js";
import { isTableName, TABLE_NAMES, type TableName } from "../schema/tables.js";
import { isSupportedInput, tableNameFromFile } from "./readers/open-source.js";

/** An input that stops an ingest before it starts: a missing or unrecognised file, a missing column. */
export class IngestInputError extends DataError {}

export interface InputFile {
  readonly path: string;
  readonly table: TableName;
}

export async function findInputFiles(
  paths: readonly string[],
  table?: string,
): Promise<{ files: InputFile[]; skipped: string[] }> {
  if (table !== undefined && !isTableName(table)) {
    throw new IngestInputError(`unknown table "${table}"; valid tables: ${TABLE_NAMES.join(", ")}`);
  }
  const files: InputFile[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new IngestInputError(`${p}: no such file or folder`);
    if (s.isDirectory()) {
      const names = (await readdir(p)).sort();
      for (const name of names) {
        const full = join(p, name);
        const t = table ?? tableNameFromFile(name);
        if (isSupportedInput(name) && isTableName(t)) files.push({ path: full, table: t });
        else skipped.push(full);
      }
      continue;
    }
    const t = table ?? tableNameFromFile(p);
    if (!isSupportedInput(p)) {
      throw new IngestInputError(`${p}: not a CSV, Parquet or NDJSON file (by its extension)`);
    }
    if (!isTableName(t)) {
      throw new IngestInputError(
        `${p}: cannot tell which table this file holds; name it after a table (${TABLE_NAMES.join(", ")}) or pass --table`,
      );
    }
    files.push({ path: p, table: t });
  }
  if (files.length === 0) throw new IngestInputError(`no input files found in ${paths.join(", ")}`);
  return { files, skipped };
}
