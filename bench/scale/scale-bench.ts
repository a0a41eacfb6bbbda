/**
 * bench/scale: the demo organisation (default 1,000,000 customers: about 8.7 million contacts and
 * 40 million web events) ingested into DuckDB, one ClickHouse node and the two-shard cluster of
 * scripts/clickhouse-local.sh (which must be running), with time, rows per second and peak memory of kei
 * and of the ClickHouse servers. The KEI index and the journeys' DFG join as they land.
 * Usage: npm run bench -- scale [--customers N] [--keep DIR]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const STEP = fileURLToPath(new URL("./scale-step.ts", import.meta.url));
const GEN = fileURLToPath(new URL("../ingest/ingest-step.ts", import.meta.url));

interface Result {
  db: string;
  rows: number;
  contacts: number;
  seconds: number;
  indexSeconds: number;
  cells: number;
  dfgSeconds: number;
  edges: number;
  peakRssMb: number;
}

function run(script: string, args: string[]): Result {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`bench step failed (${r.status}): ${args.join(" ")}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Result;
}

/** Peak resident memory (VmHWM) of each local ClickHouse server since it started. */
function serverPeaks(): Record<string, number> {
  const dir = process.env.KEI_CLICKHOUSE_DIR ?? join(process.env.TMPDIR ?? "/tmp", "kei-clickhouse");
  const out: Record<string, number> = {};
  for (const node of ["single", "shard1", "shard2"]) {
    try {
      const pid = readFileSync(join(dir, node, "pid"), "utf8").trim();
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) out[node] = Number(m[1]) / 1024;
    } catch {
      // not running
    }
  }
  return out;
}

export async function scaleBench(argv: string[]): Promise<void> {
  const at = argv.indexOf("--customers");
  const customers = at >= 0 ? Number(argv[at + 1]) : 1_000_000;
  const keep = argv.includes("--keep") ? argv[argv.indexOf("--keep") + 1] : undefined;
  const dir = keep ?? join(tmpdir(), `kei-bench-scale-${customers}`);
  await mkdir(dir, { recursive: true });
  const data = join(dir, "data");
  if (!existsSync(join(data, "contacts.csv"))) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["--import", "tsx", GEN, "generate", data, String(customers)], {
      stdio: "inherit",
    });
    await rm(join(data, "truth.json"), { force: true });
    console.log(
      `generated ${customers.toLocaleString("en")} customers in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  const stamp = Date.now();
  const stores = [
    join(dir, `scale-${stamp}.duckdb`),
    `clickhouse://127.0.0.1:8123/kei_bench_${stamp}`,
    `clickhouse://127.0.0.1:8124,127.0.0.1:8125/kei_bench_${stamp}?cluster=kei_cluster`,
  ];
  const results: Result[] = [];
  for (const db of stores) results.push(run(STEP, [db, data, join(dir, `rejects-${results.length}.csv`)]));
  const peaks = serverPeaks();
  console.log(
    `\nbench/scale: ingest of the demo organisation at ${customers.toLocaleString("en")} customers`,
  );
  console.log(
    "| store | rows | contacts | ingest s | rows/s | KEI month x reason s | DFG s | kei peak RSS |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const name = r.db.startsWith("clickhouse")
      ? r.db.includes("cluster")
        ? "ClickHouse 2 shards"
        : "ClickHouse 1 node"
      : "DuckDB";
    console.log(
      `| ${name} | ${r.rows.toLocaleString("en")} | ${r.contacts.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${Math.round(r.rows / r.seconds).toLocaleString("en")} | ${r.indexSeconds.toFixed(1)} (${r.cells} cells) | ${r.dfgSeconds.toFixed(1)} (${r.edges} edges) | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  }
  console.log(
    `ClickHouse servers' peak RSS since start: ${
      Object.entries(peaks)
        .map(([k, v]) => `${k} ${v.toFixed(0)} MB`)
        .join(", ") || "n/a"
    }`,
  );
  const [duck] = results;
  if (duck)
    for (const r of results.slice(1))
      console.log(
        `ratio ${r.db.includes("cluster") ? "cluster" : "single"} / DuckDB time: ${(r.seconds / duck.seconds).toFixed(2)}x`,
      );
  if (!keep) await rm(dir, { recursive: true, force: true });
}
