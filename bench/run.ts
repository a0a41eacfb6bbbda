/**
 * `npm run bench [-- NAME] [options]`: runs the named benchmark (default: all). Benchmarks print figures
 * and ratios against a reference; they are never part of `npm test`.
 */
import { ingestBench } from "./ingest/ingest-bench.js";
import { journeysBench } from "./journeys/journeys-bench.js";
import { keiBench } from "./kei/kei-bench.js";
import { scaleBench } from "./scale/scale-bench.js";

const benches: Record<string, (argv: string[]) => Promise<void>> = {
  ingest: ingestBench,
  journeys: journeysBench,
  kei: keiBench,
  scale: scaleBench,
};
const [name, ...rest] = process.argv.slice(2);
const selected = name && !name.startsWith("--") ? [name] : Object.keys(benches);
for (const b of selected) {
  const run = benches[b];
  if (!run) throw new Error(`unknown benchmark "${b}"; benchmarks: ${Object.keys(benches).join(", ")}`);
  await run(name && !name.startsWith("--") ? rest : process.argv.slice(2));
}
