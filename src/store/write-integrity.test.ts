/**
 * No row doubled, merged or altered, on every engine: derived reasons stored once, one writer at a time
 * (two ingests at once, a stale lock of a dead run, a query during an ingest), dates and times at the
 * edges of kei's range stored as given and the ones beyond it rejected, the same way on every engine.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { GOOD, tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { ClickHouseNode } from "./clickhouse/clickhouse-nodes.js";
import { ClickHouseWriteLock } from "./clickhouse/clickhouse-write-lock.js";
import { contactCountsSpec } from "./derived/derived-fixtures.js";
import { testEngines } from "./engine-fixtures.js";
import { openStore } from "./open-store.js";
import { sql } from "./sql.js";
import { type Store, StoreBusyError } from "./store.js";
import type { StoreLocation } from "./store-location.js";

const engines = await testEngines();
const opts = (dir: string, name = "rejects.csv") => ({
  timeZone: "Europe/Amsterdam",
  rejectsPath: join(dir, name),
});

async function bigContacts(dir: string, rows: number): Promise<string> {
  const lines = ["contact_id,customer_id,ts,channel,reason,wait_s"];
  for (let i = 0; i < rows; i++) lines.push(`X${i},C${i % 50},2025-03-01T10:00:00,phone,storing,${i % 300}`);
  return writeCsvFiles(dir, { contacts: lines.join("\n") });
}

const results: Record<string, unknown> = {};

describe.each(engines)("write integrity on $name", (engine) => {
  const skip = engine.skip !== undefined;
  const why = engine.skip ? ` (skipped: ${engine.skip})` : "";
  afterAll(() => engine.cleanup());

  it.skipIf(skip)(`derives each missing reason once, contacts and web events in one run${why}`, async () => {
    const dir = await tempDir();
    const store = await engine.open();
    try {
      const { customers, contacts, web_events } = GOOD;
      const first = await ingestFiles(
        store,
        [await writeCsvFiles(join(dir, "a"), { customers, contacts, web_events })],
        opts(dir),
      );
      expect(first.addedReasons).toEqual(["jaarafrekening", "storing"]);
      // A second run with a new reason in both tables, and one already derived.
      const more = await ingestFiles(
        store,
        [
          await writeCsvFiles(join(dir, "b"), {
            contacts: [
              "contact_id,customer_id,ts,channel,reason",
              "K9,C1,2025-04-01T10:00:00,phone,verhuizen",
              "K10,C2,2025-04-01T11:00:00,phone,storing",
            ].join("\n"),
            web_events: [
              "event_id,session_id,customer_id,ts,channel,page,reason",
              "W9,S9,C1,2025-04-01T09:00:00,web,/verhuizen,verhuizen",
            ].join("\n"),
          }),
        ],
        opts(dir, "r2.csv"),
      );
      expect(more.addedReasons).toEqual(["verhuizen"]);
      const reasons = await store.query<{ reason: string; n: number }>(
        sql`SELECT reason, ${store.dialect.count()} AS n FROM reasons GROUP BY reason ORDER BY reason`,
      );
      expect(reasons).toEqual([
        { reason: "jaarafrekening", n: 1 },
        { reason: "storing", n: 1 },
        { reason: "verhuizen", n: 1 },
      ]);
      // A reasons file later replaces the derived labels, still once per code.
      await ingestFiles(
        store,
        [await writeCsvFiles(join(dir, "c"), { reasons: GOOD.reasons })],
        opts(dir, "r3.csv"),
      );
      expect((await store.tableCounts()).reasons).toBe(3);
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)(
    `two ingests at once: one stores, the other is refused clearly; nothing doubled${why}`,
    async () => {
      const dir = await tempDir();
      const location = await engine.freshLocation();
      const files = await bigContacts(join(dir, "big"), 6000);
      const a = await openStore(location);
      // DuckDB keeps a second process out with its file lock; within one process both runs share the store.
      const b = location.engine === "duckdb" ? a : await openStore(location);
      try {
        // The second run starts while the first is staging its batches.
        let second: Promise<unknown> | undefined;
        const first = await ingestFiles(a, [files], {
          ...opts(dir, "ra.csv"),
          batchSize: 500,
          afterBatch: () => {
            second ??= ingestFiles(b, [files], opts(dir, "rb.csv")).catch((e: unknown) => e);
          },
        });
        expect(first.files[0]).toMatchObject({ read: 6000, stored: 6000, duplicates: 0 });
        const refused = await second;
        expect(refused).toBeInstanceOf(StoreBusyError);
        expect(String((refused as Error).message)).toMatch(/being written by another/);
        expect((await a.tableCounts()).contacts).toBe(6000);
        // The refused run, once the first has finished, finds every row a duplicate.
        const again = await ingestFiles(b, [files], opts(dir, "rc.csv"));
        expect(again.files[0]).toMatchObject({ read: 6000, stored: 0, duplicates: 6000 });
        expect((await b.tableCounts()).contacts).toBe(6000);
      } finally {
        await a.close();
        if (b !== a) await b.close();
      }
    },
  );

  it.skipIf(skip)(`the data version changes with a run that stores rows, and only then${why}`, async () => {
    const dir = await tempDir();
    const store = await engine.open();
    try {
      const v0 = await store.dataVersion();
      const files = await writeCsvFiles(join(dir, "a"));
      await ingestFiles(store, [files], opts(dir));
      const v1 = await store.dataVersion();
      expect(v1).not.toBe(v0);
      // Re-ingest: every row a duplicate, nothing stored.
      await ingestFiles(store, [files], opts(dir, "r2.csv"));
      expect(await store.dataVersion()).toBe(v1);
      // Only rejects: nothing stored.
      const bad = await writeCsvFiles(join(dir, "b"), {
        contacts: [
          "contact_id,customer_id,ts,channel,reason",
          "K9,C1,2025-13-01T10:00:00,phone,storing",
        ].join("\n"),
      });
      await ingestFiles(store, [bad], opts(dir, "r3.csv"));
      expect(await store.dataVersion()).toBe(v1);
      // One new row: a new version.
      const one = await writeCsvFiles(join(dir, "c"), {
        contacts: [
          "contact_id,customer_id,ts,channel,reason",
          "K9,C1,2025-12-01T10:00:00,phone,storing",
        ].join("\n"),
      });
      await ingestFiles(store, [one], opts(dir, "r4.csv"));
      const v2 = await store.dataVersion();
      expect(v2).toBeGreaterThan(v1);
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)(
    `an ingest during a derived build is refused clearly, and nothing is lost${why}`,
    async () => {
      const dir = await tempDir();
      const location = await engine.freshLocation();
      const a = await openStore(location);
      const b = location.engine === "duckdb" ? a : await openStore(location);
      try {
        await ingestFiles(a, [await writeCsvFiles(join(dir, "base"))], opts(dir));
        const spec = contactCountsSpec();
        const files = await bigContacts(join(dir, "big"), 2000);
        const [build, ingest] = await Promise.allSettled([
          a.refreshDerived([spec]),
          ingestFiles(b, [files], opts(dir, "r2.csv")),
        ]);
        // The build starts first and holds the store; the ingest waits for nothing and says why.
        expect(build.status).toBe("fulfilled");
        expect(ingest.status).toBe("rejected");
        expect((ingest as PromiseRejectedResult).reason).toBeInstanceOf(StoreBusyError);
        expect((await a.tableCounts()).contacts).toBe(3);
        expect(await a.derivedFresh(spec)).toBe(true);
        // Run again: stored once; the derived table is stale until rebuilt, then holds the new rows.
        const again = await ingestFiles(b, [files], opts(dir, "r3.csv"));
        expect(again.files[0]).toMatchObject({ stored: 2000 });
        expect(await a.derivedFresh(spec)).toBe(false);
        // C0..C49 on storing, C1 already there, and C2 on jaarafrekening: 51 pairs.
        expect((await a.refreshDerived([spec]))[0]?.rows).toBe(51);
      } finally {
        await a.close();
        if (b !== a) await b.close();
      }
    },
  );

  it.skipIf(skip)(
    `a query during an ingest sees the store as before the run, then the whole run${why}`,
    async () => {
      const dir = await tempDir();
      const location = await engine.freshLocation();
      const writer = await openStore(location);
      const reader = location.engine === "duckdb" ? writer : await openStore(location);
      try {
        await ingestFiles(writer, [await writeCsvFiles(join(dir, "base"))], opts(dir));
        const before = (await reader.tableCounts()).contacts;
        let during = -1;
        await ingestFiles(writer, [await bigContacts(join(dir, "big"), 3000)], {
          ...opts(dir, "r2.csv"),
          beforeCommit: async () => {
            during = (await reader.tableCounts()).contacts;
          },
        });
        expect(during).toBe(before);
        expect((await reader.tableCounts()).contacts).toBe(before + 3000);
      } finally {
        await writer.close();
        if (reader !== writer) await reader.close();
      }
    },
  );

  it.skipIf(skip)(
    `stores the edges of kei's date range as given and rejects what lies beyond${why}`,
    async () => {
      const dir = await tempDir();
      const store = await engine.open();
      try {
        const report = await ingestFiles(
          store,
          [
            await writeCsvFiles(dir, {
              customers: [
                "customer_id,segment,start_date,end_date",
                "E1,particulier,1970-01-02,2105-12-31",
                "E2,particulier,1970-01-01,",
                "E3,particulier,2150-01-01,",
                "E4,particulier,0099-01-01,",
              ].join("\n"),
              contacts: [
                "contact_id,customer_id,ts,channel,reason",
                "T1,E1,1970-01-02T00:00:00Z,phone,storing",
                "T2,E1,2105-12-31T23:59:59Z,phone,storing",
                "T3,E1,1970-01-01T23:59:59Z,phone,storing",
                "T4,E1,2106-02-07T06:28:16Z,phone,storing",
                "T5,E1,0001-01-01T00:00:00Z,phone,storing",
              ].join("\n"),
            }),
          ],
          opts(dir),
        );
        expect(report.files.map((f) => [f.table, f.stored, f.rejected]).sort()).toEqual([
          ["contacts", 2, 3],
          ["customers", 1, 3],
        ]);
        const d = store.dialect;
        const stored = {
          customers: await store.query(sql`SELECT customer_id, start_date, end_date FROM customers`),
          contacts: await store.query(
            sql`SELECT contact_id, ${d.epochSeconds(sql`ts`)} AS ts FROM contacts ORDER BY contact_id`,
          ),
        };
        expect(stored).toEqual({
          customers: [{ customer_id: "E1", start_date: "1970-01-02", end_date: "2105-12-31" }],
          contacts: [
            { contact_id: "T1", ts: 86_400 },
            { contact_id: "T2", ts: Date.UTC(2105, 11, 31, 23, 59, 59) / 1000 },
          ],
        });
        results[engine.name] = stored;
      } finally {
        await store.close();
      }
    },
  );
});

const clickhouse = engines.find((e) => e.name === "clickhouse");

describe("the ClickHouse write lock", () => {
  const skip = clickhouse?.skip !== undefined;
  it.skipIf(skip)("is taken over once the lease of a run that stopped renewing has run out", async () => {
    if (!clickhouse) return;
    const location = (await clickhouse.freshLocation()) as Extract<StoreLocation, { engine: "clickhouse" }>;
    const store: Store = await openStore(location);
    const node = new ClickHouseNode({ url: location.nodes[0] as string, user: location.user, password: "" });
    try {
      const dead = await ClickHouseWriteLock.acquire(node, location.database, {
        purpose: "ingest",
        leaseSeconds: 1,
      });
      dead.abandon(); // a run that hangs or was killed on another machine: no renewals
      await expect(store.beginLoad()).rejects.toThrow(
        /being written by another kei process \(ingest by process/,
      );
      await new Promise((r) => setTimeout(r, 2100));
      const session = await store.beginLoad();
      await expect(dead.assertHeld()).rejects.toThrow(/lost the write lock/);
      await session.abort();
      // Released: the next run takes it at once.
      await (await store.beginLoad()).abort();
    } finally {
      await node.close();
      await store.close();
    }
  });
});

describe("ClickHouse logins", () => {
  const skip = clickhouse?.skip !== undefined;
  const MAIN = fileURLToPath(new URL("../cli/run-main-fixtures.ts", import.meta.url));
  const kei = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), MAIN, ...args], {
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
  it.skipIf(skip)(
    "a wrong password or user is reported as a wrong login, with no credential and no stack",
    async () => {
      if (!clickhouse) return;
      const location = (await clickhouse.freshLocation()) as Extract<StoreLocation, { engine: "clickhouse" }>;
      const db = `clickhouse://${(location.nodes[0] as string).replace("http://", "")}/${location.database}`;
      const envs: Record<string, string>[] = [
        { KEI_CLICKHOUSE_PASSWORD: "Geheim!42" },
        { KEI_CLICKHOUSE_USER: "Geheim!42", KEI_CLICKHOUSE_PASSWORD: "" },
      ];
      for (const env of envs) {
        const r = kei(["status", "--db", db], env);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("refused the login (wrong user or password)");
        expect(r.stderr).not.toMatch(/Geheim|Stack|at .*\.js:\d+|Caused by/);
        expect(r.stdout).toBe("");
      }
    },
  );
});
