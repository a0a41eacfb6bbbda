/**
 * bench/ingest: rows per second and peak memory of `kei ingest` on the demo organisation's contacts
 * (default 1,000,000 customers, about 10 million contacts), against the floor of one hand-written DuckDB
 * query loading the same CSV with DuckDB's own reader (no per-row checks, no rejects, no dedupe).
 *
 * Each measurement runs in a child process of its own, so its peak resident memory (maxRSS) is its own.
 * Usage: npm run bench -- ingest [--customers N] [--keep DIR]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const STEP = fileURLToPath(new URL("./ingest-step.ts", import.meta.url));

interface StepResult {
  step: string;
  rows: number;
  seconds: number;
  peakRssMb: number;
}

function runStep(args: string[]): StepResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", STEP, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench step ${args[0]} failed (${r.status})`);
  const last = r.stdout.trim().split("\n").pop() ?? "{}";
  return JSON.parse(last) as StepResult;
}

export async function ingestBench(argv: string[]): Promise<void> {
  const customers = Number(argv[argv.indexOf("--customers") + 1] ?? 0) || 1_000_000;
  const keep = argv.includes("--keep") ? argv[argv.indexOf("--keep") + 1] : undefined;
  const dir = keep ?? join(tmpdir(), `kei-bench-ingest-${customers}`);
  await mkdir(dir, { recursive: true });
  const data = join(dir, "data");
  if (!existsSync(join(data, "contacts.csv"))) {
    const g = runStep(["generate", data, String(customers)]);
    console.log(`generated ${customers} customers in ${g.seconds.toFixed(1)} s`);
  }
  const size = (await stat(join(data, "contacts.csv"))).size;
  const results: StepResult[] = [];
  for (const step of ["kei-ingest", "duckdb-read_csv"]) {
    await rm(join(dir, `${step}.duckdb`), { force: true });
    await rm(join(dir, `${step}.duckdb.wal`), { force: true });
    results.push(runStep([step, join(data, "contacts.csv"), join(dir, `${step}.duckdb`)]));
  }
  const [kei, floor] = results as [StepResult, StepResult];
  console.log(
    `\nbench/ingest: contacts of ${customers.toLocaleString("en")} customers (${(size / 1e9).toFixed(2)} GB CSV)`,
  );
  console.log("step                 rows        seconds   rows/s      peak RSS");
  for (const r of results) {
    console.log(
      `${r.step.padEnd(20)} ${String(r.rows).padStart(10)}  ${r.seconds.toFixed(1).padStart(8)}  ${Math.round(
        r.rows / r.seconds,
      )
        .toLocaleString("en")
        .padStart(10)}  ${r.peakRssMb.toFixed(0).padStart(6)} MB`,
    );
  }
  console.log(
    `ratio kei / floor: ${(kei.seconds / floor.seconds).toFixed(2)}x time, ${(kei.peakRssMb / floor.peakRssMb).toFixed(2)}x memory`,
  );
  if (!keep) await rm(dir, { recursive: true, force: true });
}
