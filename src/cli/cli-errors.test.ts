/**
 * Every kind of error as a user meets it, from a child process: the exit code of the CLI contract (2 bad usage
 * or bad input, 1 a failed run) and one message on stderr, never a stack trace, unless KEI_DEBUG asks for it.
 */
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import { openStore } from "../store/open-store.js";

const MAIN = fileURLToPath(new URL("./run-main-fixtures.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

function kei(args: string[], env: Record<string, string> = {}) {
  const { KEI_DEBUG: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    encoding: "utf8",
    env: { ...rest, KEI_CLICKHOUSE_PASSWORD: "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run failed with `code` and told the user `message`, with no stack trace. */
function expectReported(r: ReturnType<typeof kei>, code: number, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  if (typeof message === "string") expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/^kei: /);
  expect(r.stderr).not.toMatch(/^\s+at\s/m);
  expect(r.stderr).not.toContain("Caused by");
  expect(r.stderr).not.toContain("internal error");
}

const clickhouse = (await testEngines()).find((e) => e.name === "clickhouse");
afterAll(() => clickhouse?.cleanup());

describe("kei's errors", () => {
  it("usage: a bad config value or flag exits 2", async () => {
    const dir = await tempDir();
    const config = join(dir, "kei.config.json");
    await writeFile(config, JSON.stringify({ analysis: { jobWindowDays: -1 } }));
    const db = join(dir, "k.duckdb");
    expectReported(
      kei(["index", "--config", config, "--db", db]),
      2,
      "analysis.jobWindowDays: must be a positive number of days",
    );
    expectReported(
      kei(["index", "--weights", "heavy", "--db", db]),
      2,
      '--weights must be equal or fitted, got "heavy"',
    );
    expectReported(kei(["index", "--by", "week", "--db", db]), 2, 'unknown dimension "week"');
  });

  it("data: a missing input file or a malformed event log exits 2", async () => {
    const dir = await tempDir();
    expectReported(
      kei(["ingest", join(dir, "nope.csv"), "--db", join(dir, "k.duckdb")]),
      2,
      "nope.csv: no such file or folder",
    );
    expectReported(
      kei(["journeys", "dfg", join(dir, "missing.csv")]),
      2,
      "missing.csv: no such file or folder",
    );
    const log = join(dir, "log.csv");
    await writeFile(log, "case_id,activity,timestamp\n1,web,not-a-time\n");
    expectReported(kei(["journeys", "dfg", log]), 2, 'bad timestamp "not-a-time"');
  });

  it("unreachable: no ClickHouse at the address, or a file that is not a store, exits 1", async () => {
    const r = kei(["status", "--db", "clickhouse://127.0.0.1:1/kei"]);
    expectReported(r, 1, "cannot reach ClickHouse at http://127.0.0.1:1: connection refused");
    const dir = await tempDir();
    const notAStore = join(dir, "notes.duckdb");
    await writeFile(notAStore, "not a database\n");
    expectReported(kei(["status", "--db", notAStore]), 1, `cannot open the DuckDB store ${notAStore}`);
    // KEI_DEBUG shows the stack, for whoever asks.
    const debug = kei(["status", "--db", "clickhouse://127.0.0.1:1/kei"], { KEI_DEBUG: "1" });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at\s/m);
  });

  it("busy: a DuckDB store held by another process exits 1", async () => {
    const db = join(await tempDir(), "k.duckdb");
    const holder = await openStore({ engine: "duckdb", path: db });
    try {
      expectReported(kei(["status", "--db", db]), 1, `the store ${db} is in use by another process`);
    } finally {
      await holder.close();
    }
  });

  it.skipIf(clickhouse?.skip !== undefined)("engine: a query ClickHouse refuses exits 1", async () => {
    const location = await clickhouse?.freshLocation();
    if (location?.engine !== "clickhouse") return;
    const node = location.nodes[0] as string;
    // A contacts table of someone else's making: kei's queries over it fail in the engine.
    for (const statement of [
      `CREATE DATABASE ${location.database}`,
      `CREATE TABLE ${location.database}.contacts (x UInt8) ENGINE = Memory`,
    ]) {
      const r = await fetch(node, { method: "POST", body: statement });
      expect(r.ok, await r.text()).toBe(true);
    }
    const db = `clickhouse://${node.replace("http://", "")}/${location.database}`;
    expectReported(kei(["index", "--db", db]), 1, /^kei: ClickHouse at http:\/\/[\d.:]+: Code: 47\b/);
  });
});
