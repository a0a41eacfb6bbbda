/**
 * One measured step of bench/kei in its own process:
 * - `derive`: the derived tables (jobs and journey events) built from the store's inputs, as after an ingest;
 * - `library`: `keiIndex` by month x reason on a store whose jobs are built (the store opened beforehand);
 * - `process`: the whole `kei index --by month,reason --json` process (start-up, open, query, print);
 * - `floor`: one hand-written DuckDB query finding the jobs in the raw contacts (repeat-contact effectiveness
 *   by month and reason).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { keiIndex } from "../../src/kei/kei-index.js";
import { derivedTables } from "../../src/model/jobs-table.js";
import { analysisOptions } from "../../src/options/analysis-options.js";
import { openStore } from "../../src/store/open-store.js";
import { parseStoreLocation } from "../../src/store/store-location.js";

const [step, db] = process.argv.slice(2);
if (!step || !db) throw new Error("usage: kei-step.ts derive|library|process|floor STORE");
const BIN = fileURLToPath(new URL("../../bin/kei.js", import.meta.url));
let cells = 0;
let started = performance.now();
if (step === "derive" || step === "library") {
  const store = await openStore(parseStoreLocation(db));
  if (step === "derive") {
    // Stale on purpose: another data version than the one the table was built for.
    const tables = derivedTables(analysisOptions({ jobWindowDays: 7.000001 }));
    started = performance.now();
    cells = (await store.refreshDerived(tables))[0]?.rows ?? 0;
    await store.refreshDerived(derivedTables(analysisOptions()));
  } else {
    await store.refreshDerived(derivedTables(analysisOptions()));
    started = performance.now();
    cells = (await keiIndex(store, { by: ["month", "reason"] })).length;
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  started = performance.now() - seconds * 1000;
} else if (step === "process") {
  const r = spawnSync(process.execPath, [BIN, "index", "--by", "month,reason", "--json", "--db", db], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`kei index failed: ${r.stderr}`);
  cells = (JSON.parse(r.stdout) as unknown[]).length;
} else {
  const instance = await DuckDBInstance.create(db, { memory_limit: "2GB" });
  const c = await instance.connect();
  const r = await c.runAndReadAll(`
    WITH marked AS (
      SELECT customer_id, reason, ts,
        CASE WHEN lag(ts) OVER w IS NULL OR epoch(ts) - epoch(lag(ts) OVER w) > 7 * 86400 THEN 1 ELSE 0 END AS starts
      FROM contacts WINDOW w AS (PARTITION BY customer_id, reason ORDER BY ts)),
    grouped AS (
      SELECT customer_id, reason, ts, sum(starts) OVER (PARTITION BY customer_id, reason ORDER BY ts) AS job FROM marked),
    jobs AS (SELECT customer_id, reason, job, min(ts) AS first_ts, count(*) AS n FROM grouped GROUP BY ALL)
    SELECT date_trunc('month', timezone('Europe/Amsterdam', first_ts)) AS month, reason, 100.0 * avg(CASE WHEN n = 1 THEN 1 ELSE 0 END) AS effectiveness
    FROM jobs GROUP BY ALL`);
  cells = r.currentRowCount;
  c.closeSync();
  instance.closeSync();
}
console.log(
  JSON.stringify({
    step,
    cells,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
