/**
 * Child process for the kill -9 test: ingests a folder into a store and says on stdout where it is
 * ("batch" after each staged batch, "commit" right before committing), so the parent can kill it there.
 * Usage: node --import tsx ingest-kill-fixtures.ts LOCATION_JSON DIR
 */
import { join } from "node:path";
import { openStore } from "../store/open-store.js";
import type { StoreLocation } from "../store/store-location.js";
import { ingestFiles } from "./ingest-files.js";

const [location, dir] = process.argv.slice(2);
if (!location || !dir) throw new Error("usage: ingest-kill-fixtures.ts LOCATION_JSON DIR");
const store = await openStore(JSON.parse(location) as StoreLocation);
const say = (line: string) =>
  new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
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
