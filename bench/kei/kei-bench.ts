/**
 * bench/kei: the full KEI (jobs, effectiveness, ease, emotion) by month x reason on a DuckDB store, time and
 * peak memory, against the floor: one hand-written DuckDB query computing repeat-contact effectiveness alone.
 * Usage: npm run bench -- kei --db STORE.duckdb (a store with the demo organisation, e.g. from bench/ingest or
 * `kei demo --customers 1000000`).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const STEP = fileURLToPath(new URL("./kei-step.ts", import.meta.url));

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
  const results = ["kei", "floor"].map((step) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", STEP, step, db], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (r.status !== 0) throw new Error(`bench kei step ${step} failed`);
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Step;
  });
  console.log(`\nbench/kei on ${db}`);
  console.log("| step | cells | seconds | peak RSS |");
  console.log("|---|---:|---:|---:|");
  for (const r of results)
    console.log(
      `| ${r.step === "kei" ? "KEI by month x reason" : "floor: repeat-contact effectiveness, one DuckDB query"} | ${r.cells} | ${r.seconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  const [kei, floor] = results as [Step, Step];
  console.log(
    `ratio KEI / floor: ${(kei.seconds / floor.seconds).toFixed(2)}x time, ${(kei.peakRssMb / floor.peakRssMb).toFixed(2)}x memory`,
  );
}
