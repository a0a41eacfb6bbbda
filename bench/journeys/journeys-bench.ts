/**
 * bench/journeys: the DFG, variants, Markov counts and web-to-call of the stored journeys on a store (e.g. the
 * demo organisation at 650k customers: 33.5 million input rows), the stored DFG against one hand-written DuckDB
 * query on the same DuckDB file, and the DFG of a real event log by kei against one plain DuckDB query on it.
 * Each step runs in its own process, so its peak memory is its own.
 * Usage: npm run bench -- journeys [--db STORE] [--log FILE.csv]  (default log: ../shared/data/event-logs/receipt.csv)
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const STEP = fileURLToPath(new URL("./journeys-step.ts", import.meta.url));

interface Step {
  step: string;
  size: number;
  seconds: number;
  peakRssMb: number;
}

function run(step: string, target: string): Step {
  const r = spawnSync(process.execPath, ["--import", "tsx", STEP, step, target], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`bench journeys step ${step} failed`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Step;
}

export async function journeysBench(argv: string[]): Promise<void> {
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const db = at("--db");
  const log =
    at("--log") ?? fileURLToPath(new URL("../../../shared/data/event-logs/receipt.csv", import.meta.url));
  const results: Step[] = [];
  if (db) {
    const steps = ["events", "dfg", "dfg-80%", "variants", "variants-job", "markov", "web-to-call"];
    if (db.endsWith(".duckdb")) steps.splice(2, 0, "dfg-floor");
    for (const step of steps) results.push(run(step, db));
  }
  results.push(run("log-kei", log), run("log-floor", log));
  console.log(`\nbench/journeys${db ? ` on ${db}` : ""}; log ${log}`);
  console.log("| step | result size | seconds | peak RSS |");
  console.log("|---|---:|---:|---:|");
  for (const r of results)
    console.log(`| ${r.step} | ${r.size} | ${r.seconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`);
  const dfg = results.find((r) => r.step === "dfg");
  const dfgFloor = results.find((r) => r.step === "dfg-floor");
  if (dfg && dfgFloor)
    console.log(
      `ratio kei / one DuckDB query on the store: ${(dfg.seconds / dfgFloor.seconds).toFixed(2)}x time`,
    );
  const kei = results.find((r) => r.step === "log-kei");
  const floor = results.find((r) => r.step === "log-floor");
  if (kei && floor)
    console.log(`ratio kei / one DuckDB query on the log: ${(kei.seconds / floor.seconds).toFixed(2)}x time`);
}
