/** One measured step of bench/ingest, in its own process; prints one JSON line with its figures. */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { generateOrganisation } from "../../src/generate/index.js";
import { ingestFiles } from "../../src/ingest/ingest-files.js";
import { DuckDBStore } from "../../src/store/duckdb/duckdb-store.js";

const [step, input, output] = process.argv.slice(2);
const started = performance.now();
let rows = 0;

if (step === "generate" && input && output) {
  const r = await generateOrganisation({ outDir: input, customers: Number(output), seed: 42 });
  rows = r.files.reduce((a, f) => a + f.rows, 0);
} else if (step === "kei-ingest" && input && output) {
  // The CLI's ingest limit (src/cli/context.ts INGEST_MEMORY_LIMIT).
  const store = await DuckDBStore.open(output, { memoryLimit: "2GB" });
  await store.ensureSchema();
  const r = await ingestFiles(store, [input], {
    timeZone: "Europe/Amsterdam",
    rejectsPath: join(output, "..", "rejects.csv"),
  });
  rows = r.files[0]?.stored ?? 0;
  await store.close();
} else if (step === "duckdb-read_csv" && input && output) {
  const db = await DuckDBInstance.create(output, { memory_limit: "2GB" });
  const c = await db.connect();
  const file = input.replaceAll("'", "''");
  await c.run(`CREATE TABLE contacts AS SELECT * FROM read_csv('${file}', header = true)`);
  const r = await c.runAndReadAll("SELECT count(*)::INTEGER AS n FROM contacts");
  rows = Number(r.getRowObjectsJS()[0]?.n ?? 0);
  c.closeSync();
  db.closeSync();
} else {
  throw new Error(`unknown step ${step}`);
}

const seconds = (performance.now() - started) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ step, rows, seconds, peakRssMb }));
