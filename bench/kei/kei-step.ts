/** One measured step of bench/kei in its own process: the KEI by month x reason, or the floor query. */
import { DuckDBInstance } from "@duckdb/node-api";
import { keiIndex } from "../../src/kei/kei-index.js";
import { DuckDBStore } from "../../src/store/duckdb/duckdb-store.js";

const [step, db] = process.argv.slice(2);
if (!step || !db) throw new Error("usage: kei-step.ts kei|floor DB");
const started = performance.now();
let cells = 0;
if (step === "kei") {
  const store = await DuckDBStore.open(db);
  cells = (await keiIndex(store, { by: ["month", "reason"] })).length;
  await store.close();
} else {
  // The floor: repeat-contact effectiveness alone, by month and reason, in one hand-written DuckDB query.
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
