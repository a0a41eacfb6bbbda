/** One measured step of bench/scale, in its own process: ingest a folder into a store; prints one JSON line. */

import { ingestFiles } from "../../src/ingest/ingest-files.js";
import { storedDfg } from "../../src/journeys/stored-journeys.js";
import { keiIndex } from "../../src/kei/kei-index.js";
import { openStore } from "../../src/store/open-store.js";
import { parseStoreLocation } from "../../src/store/store-location.js";

const [db, dir, rejects] = process.argv.slice(2);
if (!db || !dir || !rejects) throw new Error("usage: scale-step.ts DB DIR REJECTS");
const started = performance.now();
const store = await openStore(parseStoreLocation(db));
const report = await ingestFiles(store, [dir], { timeZone: "Europe/Amsterdam", rejectsPath: rejects });
const counts = await store.tableCounts();
const ingestSeconds = (performance.now() - started) / 1000;
let t = performance.now();
const cells = (await keiIndex(store, { by: ["month", "reason"] })).length;
const indexSeconds = (performance.now() - t) / 1000;
t = performance.now();
const edges = (await storedDfg(store)).edges.length;
const dfgSeconds = (performance.now() - t) / 1000;
await store.close();
const rows = report.files.reduce((a, f) => a + f.stored, 0);
console.log(
  JSON.stringify({
    db,
    rows,
    contacts: counts.contacts,
    seconds: ingestSeconds,
    indexSeconds,
    cells,
    dfgSeconds,
    edges,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
