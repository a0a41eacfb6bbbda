/** Test helpers for the CSV reader's tests: a file in a fresh temporary folder, and all records of a source. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordSource, SourceRecord } from "./record-source.js";

/** Writes `bytes` to `name` in a new temporary folder; returns the file's path. */
export async function tempFile(bytes: Uint8Array | string, name = "data.csv"): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "kei-csv-")), name);
  await writeFile(file, bytes);
  return file;
}

/** Every record of `source`, in order (values copied into plain objects for comparing). */
export async function readAll(source: RecordSource, batchSize = 3): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const batch of source.batches(batchSize)) {
    for (const r of batch) out.push({ ...r, values: { ...r.values } });
  }
  return out;
}
