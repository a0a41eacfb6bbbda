/** One measured step of bench/scale, in its own process: ingest a folder into a store; prints one JSON line. */

import { ingestFiles } from "../../src/ingest/ingest-files.js";
import { openStore } from "../../src/store/open-store.js";
import { parseStoreLocation } from "../../src/store/store-location.js";

const [db, dir, rejects] = process.argv.slice(2);
if (!db || !dir || !rejects) throw new Error("usage: scale-step.ts DB DIR REJECTS");
const started = performance.now();
const store = await openStore(parseStoreLocation(db));
const report = await ingestFiles(store, [dir], { timeZone: "Europe/Amsterdam", rejectsPath: rejects });
const counts = await store.tableCounts();
await store.close();
const rows = report.files.reduce((a, f) => a + f.stored, 0);
console.log(
  JSON.stringify({
    db,
    rows,
    contacts: counts.contacts,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
