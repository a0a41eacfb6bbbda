/**
 * Child process for the kill -9 test: ingests a folder into a DuckDB file and says on stdout where it
 * is ("batch" after each staged batch, "commit" right before committing), so the parent can kill it there.
 * Usage: node --import tsx ingest-kill-fixtures.ts DB DIR
 */
import { join } from "node:path";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { ingestFiles } from "./ingest-files.js";

const [db, dir] = process.argv.slice(2);
if (!db || !dir) throw new Error("usage: ingest-kill-fixtures.ts DB DIR");
const store = await DuckDBStore.open(db);
await store.ensureSchema();
const say = (line: string) => new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
await ingestFiles(store, [dir], {
  timeZone: "Europe/Amsterdam",
  rejectsPath: join(dir, "rejects.csv"),
  batchSize: 2000,
  // A pause per batch gives the parent time to kill the child while it is staging.
  afterBatch: async () => {
    await say("batch");
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
  beforeCommit: () => say("commit"),
});
await say("done");
await store.close();
