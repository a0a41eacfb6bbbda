/**
 * bench/kei: the derived jobs table's build, and the full KEI (effectiveness, ease, emotion) by month x reason
 * read from it, as a library call and as a whole `kei index` process, time and peak memory, against the floor:
 * one hand-written DuckDB query that finds the jobs in the raw contacts (repeat-contact effectiveness alone).
 * Usage: npm run build && npm run bench -- kei --db STORE (a store with the demo organisation, e.g. from
 * `kei demo --customers 1000000`; a DuckDB file or a clickhouse:// address, the floor on DuckDB only).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const STEP = fileURLToPath(new URL("./kei-step.ts", import.meta.url));

const LABELS: Record<string, string> = {
  derive: "build the derived tables: jobs and journey events (jobs)",
  library: "keiIndex by month x reason, library call (cells)",
  process: "kei index --by month,reason --json, whole process (cells)",
  floor: "floor: jobs found in the raw contacts, one DuckDB query (cells)",
};

interface Step {
  step: string;
  cells: number;
  seconds: number;
  peakRssMb: number;
}

export async function keiBench(argv: string[]): Promise<void> {
  const at = argv.indexOf("--db");
  const db = at >= 0 ? argv[at + 1] : undefined;
  if (!db) throw new Error("bench kei needs --db STORE.duckdb (a store holding the demo organisation)");
  const steps = db.startsWith("clickhouse://")
    ? ["derive", "library", "process"]
    : ["derive", "library", "process", "floor"];
  const results = steps.map((step) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", STEP, step, db], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (r.status !== 0) throw new Error(`bench kei step ${step} failed`);
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Step;
  });
  console.log(`\nbench/kei on ${db}`);
  console.log("| step | rows or cells | seconds | peak RSS |");
  console.log("|---|---:|---:|---:|");
  for (const r of results)
    console.log(
      `| ${LABELS[r.step]} | ${r.cells} | ${r.seconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  const by = Object.fromEntries(results.map((r) => [r.step, r]));
  const floor = by.floor;
  if (floor && by.process && by.library) {
    console.log(
      `ratio kei index process / floor: ${(by.process.seconds / floor.seconds).toFixed(2)}x time (target at most 0.5x); library call ${(by.library.seconds * 1000).toFixed(0)} ms`,
    );
  }
}
