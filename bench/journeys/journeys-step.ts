/** One measured step of bench/journeys in its own process; prints one JSON line. */
import { DuckDBInstance } from "@duckdb/node-api";
import { discoverDfg } from "../../src/journeys/discover-dfg.js";
import { readEventLog } from "../../src/journeys/read-event-log.js";
import { journeyEventsSql, storedDfg, storedVariants } from "../../src/journeys/stored-journeys.js";
import { storedMarkov } from "../../src/journeys/stored-markov.js";
import { webToCall } from "../../src/journeys/web-to-call.js";
import { openStore } from "../../src/store/open-store.js";
import { sql } from "../../src/store/sql.js";
import { parseStoreLocation } from "../../src/store/store-location.js";

const [step, target] = process.argv.slice(2);
if (!step || !target) throw new Error("usage: journeys-step.ts STEP DB|LOG");

async function duckdbFloor(source: string, query: (from: string) => string): Promise<number> {
  const db = await DuckDBInstance.create(source.endsWith(".duckdb") ? source : ":memory:", {
    ...(source.endsWith(".duckdb") ? { access_mode: "READ_ONLY" } : {}),
  });
  const c = await db.connect();
  const r = await c.runAndReadAll(query(source.replaceAll("'", "''")));
  const n = r.currentRowCount;
  c.closeSync();
  db.closeSync();
  return n;
}

const started = performance.now();
let size = 0;
if (step === "log-kei") {
  size = discoverDfg(await readEventLog(target)).edges.length;
} else if (step === "log-floor") {
  // The floor: one plain DuckDB query over the CSV (pm4py's column names), consecutive pairs by window function.
  size = await duckdbFloor(
    target,
    (file) => `SELECT a, b, count(*) AS n FROM (
      SELECT lag("concept:name") OVER (PARTITION BY "case:concept:name" ORDER BY "time:timestamp") AS a, "concept:name" AS b
      FROM read_csv('${file}', header = true)
    ) WHERE a IS NOT NULL GROUP BY a, b`,
  );
} else if (step === "dfg-floor") {
  // The floor on the store: the same events (contacts, sessions on a reason, feedback) and pairs in one
  // hand-written DuckDB query, without medians, start or end activities.
  size = await duckdbFloor(
    target,
    () => `SELECT a, b, count(*) AS n FROM (
      SELECT lag(activity) OVER (PARTITION BY case_id ORDER BY t, event_key) AS a, activity AS b FROM (
        SELECT customer_id AS case_id, channel || ':' || reason AS activity, ts AS t, 'c:' || contact_id AS event_key FROM contacts
        UNION ALL
        SELECT customer_id, channel || ':' || reason, min(ts), 'w:' || min(event_id) FROM web_events
          WHERE customer_id IS NOT NULL AND reason IS NOT NULL GROUP BY customer_id, session_id, channel, reason
        UNION ALL
        SELECT customer_id, 'feedback:' || source, ts, 'f:' || feedback_id FROM feedback WHERE customer_id IS NOT NULL
      ) e
    ) WHERE a IS NOT NULL GROUP BY a, b`,
  );
} else {
  const store = await openStore(parseStoreLocation(target));
  if (step === "events") {
    const r = await store.query<{ n: number }>(
      sql`SELECT ${store.dialect.count()} AS n FROM (${await journeyEventsSql(store)}) AS e`,
    );
    size = Number(r[0]?.n ?? 0);
  } else if (step === "dfg") size = (await storedDfg(store)).edges.length;
  else if (step === "dfg-80%")
    size = (await storedDfg(store, { cases: "job", variantCoverage: 0.8 })).edges.length;
  else if (step === "variants") size = (await storedVariants(store)).length;
  else if (step === "variants-job") size = (await storedVariants(store, { cases: "job" })).length;
  else if (step === "markov") size = (await storedMarkov(store, 24)).transitions.length;
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
