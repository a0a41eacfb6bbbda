/** One measured step of bench/journeys in its own process; prints one JSON line. */
import { DuckDBInstance } from "@duckdb/node-api";
import { discoverDfg } from "../../src/journeys/discover-dfg.js";
import { readEventLog } from "../../src/journeys/read-event-log.js";
import { storedDfg, storedVariants } from "../../src/journeys/stored-journeys.js";
import { webToCall } from "../../src/journeys/web-to-call.js";
import { openStore } from "../../src/store/open-store.js";
import { parseStoreLocation } from "../../src/store/store-location.js";

const [step, target] = process.argv.slice(2);
if (!step || !target) throw new Error("usage: journeys-step.ts STEP DB|LOG");
const started = performance.now();
let size = 0;
if (step === "log-kei") {
  size = discoverDfg(await readEventLog(target)).edges.length;
} else if (step === "log-floor") {
  // The floor: one plain DuckDB query over the CSV (pm4py's column names), consecutive pairs by window function.
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const file = target.replaceAll("'", "''");
  const r = await c.runAndReadAll(`
    SELECT a, b, count(*) AS n FROM (
      SELECT lag("concept:name") OVER (PARTITION BY "case:concept:name" ORDER BY "time:timestamp") AS a, "concept:name" AS b
      FROM read_csv('${file}', header = true)
    ) WHERE a IS NOT NULL GROUP BY a, b`);
  size = r.currentRowCount;
  c.closeSync();
  db.closeSync();
} else {
  const store = await openStore(parseStoreLocation(target));
  if (step === "dfg") size = (await storedDfg(store)).edges.length;
  else if (step === "variants") size = (await storedVariants(store)).length;
  else if (step === "web-to-call") size = (await webToCall(store)).byPage.length;
  else throw new Error(`unknown step ${step}`);
  await store.close();
}
console.log(
  JSON.stringify({
    step,
    size,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
