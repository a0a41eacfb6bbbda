import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { tempDir, writeCsvFiles } from "./ingest-fixtures.js";
import { ingestFiles } from "./ingest-files.js";

const CHILD = fileURLToPath(new URL("./ingest-kill-fixtures.ts", import.meta.url));
const ROWS = 60_000;

async function bigContacts(dir: string): Promise<void> {
  const out = createWriteStream(join(dir, "contacts.csv"));
  out.write("contact_id,customer_id,ts,channel,reason,wait_s\n");
  for (let i = 0; i < ROWS; i++) out.write(`X${i},C${i % 500},2025-03-01T10:00:00,phone,storing,${i % 300}\n`);
  await new Promise<void>((resolve) => out.end(resolve));
}

async function counts(db: string) {
  const store = await DuckDBStore.open(db);
  try {
    await store.ensureSchema();
    return await store.tableCounts();
  } finally {
    await store.close();
  }
}

/** Runs the child and kills it with SIGKILL when it has printed `line` `times` times. */
function killAt(db: string, dir: string, line: string, times: number, delayMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, db, dir], { stdio: ["ignore", "pipe", "pipe"] });
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

describe("kill -9 mid-ingest", () => {
  it("leaves the store exactly as before the run, whether killed while staging or while committing", async () => {
    const dir = await tempDir();
    const db = join(dir, "kei.duckdb");
    const base = await writeCsvFiles(join(dir, "base"));
    const store = await DuckDBStore.open(db);
    await store.ensureSchema();
    await ingestFiles(store, [base], { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") });
    await store.close();
    const before = await counts(db);
    expect(before.contacts).toBe(3);

    const big = join(dir, "big");
    await writeCsvFiles(big, {});
    await bigContacts(big);

    expect(await killAt(db, big, "batch", 5)).toBe("killed");
    expect(await counts(db)).toEqual(before);

    // Killed at moments in and around the commit: the run is either wholly there or not at all, never in part.
    for (const delay of [0, 5, 15, 40]) {
      await killAt(db, big, "commit", 1, delay);
      const after = await counts(db);
      expect([before.contacts, before.contacts + ROWS]).toContain(after.contacts);
      expect({ ...after, contacts: before.contacts }).toEqual(before);
    }
  }, 120_000);
});
