/**
 * bench/journeys: the DFG, variants and web-to-call of the stored journeys on a store (e.g. the demo organisation
 * at 1M customers: about 50 million events), and the DFG of a real event log by kei against one plain DuckDB query.
 * Usage: npm run bench -- journeys --db STORE [--log FILE.csv]  (default log: ../shared/data/event-logs/receipt.csv)
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
  if (db) for (const step of ["dfg", "variants", "web-to-call"]) results.push(run(step, db));
  results.push(run("log-kei", log), run("log-floor", log));
  console.log(`\nbench/journeys${db ? ` on ${db}` : ""}; log ${log}`);
  console.log("| step | result size | seconds | peak RSS |");
  console.log("|---|---:|---:|---:|");
  for (const r of results)
    console.log(`| ${r.step} | ${r.size} | ${r.seconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`);
  const kei = results.find((r) => r.step === "log-kei");
  const floor = results.find((r) => r.step === "log-floor");
  if (kei && floor)
    console.log(`ratio kei / one DuckDB query on the log: ${(kei.seconds / floor.seconds).toFixed(2)}x time`);
}
