/** Picks the reader for an input file by its extension, and the table a file holds by its name. */
import { basename } from "node:path";
import { CsvSource } from "./csv-source.js";
import { NdjsonSource } from "./ndjson-source.js";
import { ParquetSource } from "./parquet-source.js";
import type { RecordSource } from "./record-source.js";

const EXTENSIONS: Record<string, (file: string) => RecordSource> = {
  ".csv": (f) => new CsvSource(f),
  ".txt": (f) => new CsvSource(f),
  ".tsv": (f) => new CsvSource(f, { delimiter: "\t" }),
  ".ndjson": (f) => new NdjsonSource(f),
  ".jsonl": (f) => new NdjsonSource(f),
  ".json": (f) => new NdjsonSource(f),
  ".parquet": (f) => new ParquetSource(f),
};

function extension(file: string): string {
  const m = /\.[a-z0-9]+$/i.exec(basename(file));
  return m ? m[0].toLowerCase() : "";
}

export function isSupportedInput(file: string): boolean {
  return extension(file) in EXTENSIONS;
}

export function openSource(file: string): RecordSource {
  const make = EXTENSIONS[extension(file)];
  if (!make) {
    throw new Error(`${file}: unsupported file type; use ${Object.keys(EXTENSIONS).join(", ")}`);
  }
  return make(file);
}

/** `/x/Contacts.CSV` -> `contacts`; `web_events.parquet` -> `web_events`. */
export function tableNameFromFile(file: string): string {
  return basename(file).replace(/\..*$/, "").toLowerCase();
}
