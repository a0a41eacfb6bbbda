/**
 * Derived tables on every engine: built once per data version, the same rows on DuckDB, a ClickHouse node and
 * the two-shard cluster, rebuilt when the data version or the build query changes and only then, and a
 * kill -9 during a build leaves the previous version readable while the next refresh completes it.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ingestFiles } from "../../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../../ingest/ingest-fixtures.js";
import { testEngines } from "../engine-fixtures.js";
import { openStore } from "../open-store.js";
import { sql } from "../sql.js";
import type { Store } from "../store.js";
import type { StoreLocation } from "../store-location.js";
import { contactCountsSpec } from "./derived-fixtures.js";

const engines = await testEngines();
const CHILD = fileURLToPath(new URL("./derived-fixtures.ts", import.meta.url));
const opts = (dir: string, name: string) => ({ timeZone: "Europe/Amsterdam", rejectsPath: join(dir, name) });

async function readCounts(store: Store) {
  const d = store.dialect;
  return store.query(
    sql`SELECT customer_id, reason, n, ${d.epochSeconds(sql`first_ts`)} AS first_ts, mean_wait FROM test_contact_counts ORDER BY customer_id, reason`,
  );
}

const results = new Map<string, unknown>();

describe.each(engines)("derived tables on $name", (engine) => {
  const skip = engine.skip !== undefined;
  const why = engine.skip ? ` (skipped: ${engine.skip})` : "";

  it.skipIf(skip)(
    `are built once per data version and by the same query, the same on every engine${why}`,
    async () => {
      const dir = await tempDir();
      const store = await engine.open();
      try {
        await ingestFiles(store, [await writeCsvFiles(join(dir, "a"))], opts(dir, "r1.csv"));
        const spec = contactCountsSpec();
        expect(await store.derivedFresh(spec)).toBe(false);
        expect(await store.refreshDerived([spec])).toMatchObject([
          { name: "test_contact_counts", rows: 2, built: true },
        ]);
        expect(await store.derivedFresh(spec)).toBe(true);
        const first = await readCounts(store);
        // Hand-checked: C1 has K1 (wait 95) and K2 (wait 12) on storing; C2 has K3 (no wait) on jaarafrekening.
        expect(first).toEqual([
          {
            customer_id: "C1",
            reason: "storing",
            n: 2,
            first_ts: Date.UTC(2025, 2, 1, 8, 30) / 1000,
            mean_wait: 53.5,
          },
          {
            customer_id: "C2",
            reason: "jaarafrekening",
            n: 1,
            first_ts: Date.UTC(2025, 6, 15, 10) / 1000,
            mean_wait: null,
          },
        ]);
        // Fresh: nothing to do.
        expect(await store.refreshDerived([spec])).toMatchObject([{ rows: 2, built: false }]);
        // A run that stores nothing leaves it fresh; one that stores rows makes it stale.
        await ingestFiles(store, [join(dir, "a")], opts(dir, "r2.csv"));
        expect(await store.derivedFresh(spec)).toBe(true);
        const more = await writeCsvFiles(join(dir, "b"), {
          contacts: [
            "contact_id,customer_id,ts,channel,reason,wait_s",
            "K7,C3,2025-05-01T10:00:00,phone,storing,30",
          ].join("\n"),
        });
        await ingestFiles(store, [more], opts(dir, "r3.csv"));
        expect(await store.derivedFresh(spec)).toBe(false);
        // Until rebuilt, the previous version stays readable.
        expect(await readCounts(store)).toEqual(first);
        expect(await store.refreshDerived([spec])).toMatchObject([{ rows: 3, built: true }]);
        // Another build query (another option value) is stale too.
        expect(await store.derivedFresh(contactCountsSpec(20))).toBe(false);
        expect(await store.refreshDerived([contactCountsSpec(20)])).toMatchObject([{ rows: 2, built: true }]);
        expect(await store.derivedCounts()).toEqual({ test_contact_counts: 2 });
        results.set(engine.name, await readCounts(store));
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(skip)(
    `a kill -9 during a build leaves the previous version readable; the next refresh completes${why}`,
    async () => {
      const dir = await tempDir();
      const location = await engine.freshLocation();
      let store = await openStore(location);
      const big = join(dir, "big");
      await writeCsvFiles(big, {});
      const out = createWriteStream(join(big, "contacts.csv"));
      out.write("contact_id,customer_id,ts,channel,reason,wait_s\n");
      for (let i = 0; i < 40_000; i++)
        out.write(`X${i},C${i % 4000},2025-03-01T10:00:00,phone,r${i % 7},${i % 300}\n`);
      await new Promise<void>((resolve) => out.end(resolve));
      await ingestFiles(store, [big], opts(dir, "r1.csv"));
      await store.refreshDerived([contactCountsSpec(0)]);
      let before = (await readCounts(store)).length;
      await store.close();
      for (const delay of [0, 15, 40, 100, 250]) {
        await killDuringBuild(location, 100 + delay, delay);
        store = await openStore(location);
        try {
          // The previous version, or the new one whole: never a half-built table.
          const spec = contactCountsSpec(100 + delay);
          const whole = await store.query<{ n: number }>(
            sql`SELECT ${store.dialect.count()} AS n FROM (${spec.build(store.dialect)}) AS b`,
          );
          const n = (await readCounts(store)).length;
          expect([before, whole[0]?.n]).toContain(n);
          const next = await store.refreshDerived([spec]);
          expect(next[0]?.rows).toBe(whole[0]?.n);
          expect(await store.derivedFresh(spec)).toBe(true);
          before = next[0]?.rows ?? 0;
        } finally {
          await store.close();
        }
      }
      await engine.cleanup();
    },
    180_000,
  );
});

it("every engine's derived rows equal DuckDB's", () => {
  const ref = results.get("duckdb");
  for (const [name, rows] of results) expect(rows, name).toEqual(ref);
});

function killDuringBuild(location: StoreLocation, minWait: number, delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", CHILD, JSON.stringify(location), String(minWait)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("building")) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}
