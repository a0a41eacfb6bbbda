/**
 * The engines the shared suites run on (after Cube's shared driver tests): DuckDB always; one ClickHouse
 * node and a two-shard ClickHouse cluster when reachable. With CI=true an unreachable ClickHouse is an
 * error, never a skip; on a developer's machine those cases skip and say why.
 * Addresses: KEI_TEST_CLICKHOUSE and KEI_TEST_CLICKHOUSE_CLUSTER (defaults: scripts/clickhouse-local.sh).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./open-store.js";
import type { Store } from "./store.js";
import { parseStoreLocation, type StoreLocation } from "./store-location.js";

export interface TestEngine {
  readonly name: "duckdb" | "clickhouse" | "clickhouse-cluster";
  /** Why the engine's cases skip; undefined when it runs. */
  readonly skip?: string;
  /** A fresh, empty store (its own file or database). */
  open(): Promise<Store>;
  /** Where a fresh store would be, for a child process to open. */
  freshLocation(): Promise<StoreLocation>;
  /** Removes everything `open` created. */
  cleanup(): Promise<void>;
}

const SINGLE = process.env.KEI_TEST_CLICKHOUSE ?? "clickhouse://127.0.0.1:8123/kei_test";
const CLUSTER =
  process.env.KEI_TEST_CLICKHOUSE_CLUSTER ??
  "clickhouse://127.0.0.1:8124,127.0.0.1:8125/kei_test?cluster=kei_cluster";

async function reachable(nodes: readonly string[]): Promise<string | undefined> {
  for (const n of nodes) {
    try {
      const r = await fetch(`${n}/?query=SELECT%201`, { signal: AbortSignal.timeout(2000) });
      if (!r.ok) return `ClickHouse at ${n} answered ${r.status}`;
    } catch (e) {
      return `ClickHouse not reachable at ${n} (${(e as Error).message}); start it with scripts/clickhouse-local.sh start`;
    }
  }
  return undefined;
}

async function dropDatabase(nodes: readonly string[], database: string): Promise<void> {
  for (const n of nodes) {
    await fetch(n, { method: "POST", body: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
  }
}

function clickhouseEngine(name: "clickhouse" | "clickhouse-cluster", url: string, skip?: string): TestEngine {
  const base = parseStoreLocation(url) as Extract<StoreLocation, { engine: "clickhouse" }>;
  const created: string[] = [];
  return {
    name,
    ...(skip ? { skip } : {}),
    async freshLocation() {
      const database = `${base.database}_${process.pid}_${created.length}_${Math.floor(Math.random() * 1e6)}`;
      created.push(database);
      return { ...base, database };
    },
    async open() {
      return openStore(await this.freshLocation());
    },
    async cleanup() {
      for (const d of created.splice(0)) await dropDatabase(base.nodes, d);
    },
  };
}

/** The engines to run on, each with the reason it skips (if it does). */
export async function testEngines(): Promise<TestEngine[]> {
  const dirs: string[] = [];
  const duck: TestEngine = {
    name: "duckdb",
    async freshLocation() {
      const dir = await mkdtemp(join(tmpdir(), "kei-engine-"));
      dirs.push(dir);
      return { engine: "duckdb", path: join(dir, "kei.duckdb") };
    },
    async open() {
      return openStore(await this.freshLocation());
    },
    async cleanup() {},
  };
  const single = parseStoreLocation(SINGLE) as Extract<StoreLocation, { engine: "clickhouse" }>;
  const cluster = parseStoreLocation(CLUSTER) as Extract<StoreLocation, { engine: "clickhouse" }>;
  const whySingle = await reachable(single.nodes);
  const whyCluster = await reachable(cluster.nodes);
  if (process.env.CI === "true" && (whySingle || whyCluster)) {
    throw new Error(`CI=true but ClickHouse is needed for the engine suites: ${whySingle ?? whyCluster}`);
  }
  return [
    duck,
    clickhouseEngine("clickhouse", SINGLE, whySingle),
    clickhouseEngine("clickhouse-cluster", CLUSTER, whyCluster),
  ];
}
