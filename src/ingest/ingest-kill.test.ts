/**
 * kill -9 mid-ingest, on every engine: whether the process dies while staging or in and around the
 * commit, the store (as kei opens it next) is exactly as before the run or holds the whole run.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { testEngines } from "../store/engine-fixtures.js";
import { openStore } from "../store/open-store.js";
import type { StoreLocation } from "../store/store-location.js";
import { ingestFiles } from "./ingest-files.js";
import { tempDir, writeCsvFiles } from "./ingest-fixtures.js";

const CHILD = fileURLToPath(new URL("./ingest-kill-fixtures.ts", import.meta.url));
const ROWS = 40_000;
const engines = await testEngines();

async function bigContacts(dir: string): Promise<void> {
  const out = createWriteStream(join(dir, "contacts.csv"));
  out.write("contact_id,customer_id,ts,channel,reason,wait_s\n");
  out.write("BAD,C1,not-a-time,phone,storing,1\n"); // a reject in the first batch
  for (let i = 0; i < ROWS; i++)
    out.write(`X${i},C${i % 500},2025-03-01T10:00:00,phone,storing,${i % 300}\n`);
  await new Promise<void>((resolve) => out.end(resolve));
}

/** Staging tables (a full copy of a run's rows) left on any ClickHouse node. */
async function leftoverStages(location: StoreLocation): Promise<string[]> {
  if (location.engine !== "clickhouse") return [];
  const names: string[] = [];
  for (const node of location.nodes) {
    const q = `SELECT name FROM system.tables WHERE database = '${location.database}' AND match(name, '^kei_(raw|stage|stagedist)_') FORMAT TabSeparated`;
    const r = await fetch(`${node}/?query=${encodeURIComponent(q)}`);
    names.push(...(await r.text()).split("\n").filter(Boolean));
  }
  return names;
}

async function counts(location: StoreLocation) {
  const store = await openStore(location);
  try {
    return await store.tableCounts();
  } finally {
    await store.close();
  }
}

/** Runs the child and kills it with SIGKILL `delayMs` after it has printed `line` `times` times. */
function killAt(
  location: StoreLocation,
  dir: string,
  line: string,
  times: number,
  delayMs = 0,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(location), dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const l of lines) {
        if (l === line && ++seen === times) setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe.each(engines)("kill -9 mid-ingest on $name", (engine) => {
  it.skipIf(engine.skip !== undefined)(
    `leaves the store as before the run, or with the whole run${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const dir = await tempDir();
      const location = await engine.freshLocation();
      const base = await writeCsvFiles(join(dir, "base"));
      const store = await openStore(location);
      await ingestFiles(store, [base], { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") });
      await store.close();
      const before = await counts(location);
      expect(before.contacts).toBe(3);

      const big = join(dir, "big");
      await writeCsvFiles(big, {});
      await bigContacts(big);

      expect(await killAt(location, big, "batch", 5)).toBe("killed");
      // No rejects file for a run that never happened: only the dead run's partial file, cleaned up later.
      expect(existsSync(join(big, "rejects.csv"))).toBe(false);
      expect((await readdir(big)).filter((f) => f.endsWith(".partial"))).toHaveLength(1);
      if (location.engine === "clickhouse") expect(await leftoverStages(location)).not.toEqual([]);
      expect(await counts(location)).toEqual(before);
      // The next open finds the dead run's staging and drops it at once (no hour-long wait).
      expect(await leftoverStages(location)).toEqual([]);

      for (const delay of [0, 10, 40, 150]) {
        await killAt(location, big, "commit", 1, delay);
        const after = await counts(location);
        expect([before.contacts, before.contacts + ROWS]).toContain(after.contacts);
        expect({ ...after, contacts: before.contacts }).toEqual(before);
        expect(await leftoverStages(location)).toEqual([]);
      }
      // The next run removes the partial rejects files that killed runs left.
      const last = await openStore(location);
      await ingestFiles(last, [big], { timeZone: "Europe/Amsterdam", rejectsPath: join(big, "rejects.csv") });
      await last.close();
      expect((await readdir(big)).filter((f) => f.endsWith(".partial"))).toEqual([]);
      expect(existsSync(join(big, "rejects.csv"))).toBe(true);
      await engine.cleanup();
    },
    180_000,
  );
});
