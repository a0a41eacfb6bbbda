/**
 * ClickHouse-only checks, against the real servers of scripts/clickhouse-local.sh: literals round-trip
 * verbatim, a cluster spreads rows over both shards, clear errors for a wrong address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../../ingest/ingest-fixtures.js";
import { testEngines } from "../engine-fixtures.js";
import { raw, sql } from "../sql.js";
import type { Store } from "../store.js";
import { parseStoreLocation, type StoreLocation } from "../store-location.js";
import { encodeLiteral } from "./clickhouse-literal.js";
import { ClickHouseStore } from "./clickhouse-store.js";

const engines = await testEngines();
const single = engines.find((e) => e.name === "clickhouse");
const cluster = engines.find((e) => e.name === "clickhouse-cluster");

type ClickHouseLocation = Extract<StoreLocation, { engine: "clickhouse" }>;
const chLocation = (url: string) => parseStoreLocation(url) as ClickHouseLocation;

describe("encodeLiteral", () => {
  it("escapes by ClickHouse's rules and refuses what it cannot send", () => {
    expect(encodeLiteral("O'Brien \\ x")).toBe("'O\\'Brien \\\\ x'");
    expect(encodeLiteral("a\u0000b\nc\u0001")).toBe("'a\\0b\\nc\\x01'");
    expect(encodeLiteral(-0)).toBe("0");
    expect(encodeLiteral(0.1)).toBe("0.1");
    expect(encodeLiteral([1, "x'"])).toBe("[1, 'x\\'']");
    expect(encodeLiteral(new Date(Date.UTC(2025, 0, 1)))).toBe("toDateTime(1735689600, 'UTC')");
    expect(() => encodeLiteral(Number.NaN)).toThrow("numbers must be finite");
    expect(() => encodeLiteral(Number.POSITIVE_INFINITY)).toThrow("numbers must be finite");
  });
});

describe.skipIf(single?.skip !== undefined)(
  `ClickHouse single node${single?.skip ? ` (skipped: ${single.skip})` : ""}`,
  () => {
    let store: Store;
    beforeAll(async () => {
      store = await (single as NonNullable<typeof single>).open();
    });
    afterAll(async () => {
      await store?.close();
      await single?.cleanup();
    });

    it("round-trips every kind of string and number through a literal verbatim", async () => {
      const strings = [
        "",
        "'",
        "\\",
        "\\'",
        "'; DROP TABLE contacts; --",
        "\u0000\u0001\u001f\u007f",
        "😀 ﷽ é\u0301",
        "x".repeat(100_000),
        "\r\n\t",
      ];
      for (const s of strings) {
        const r = await store.query<{ v: string }>(sql`SELECT ${s} AS v`);
        expect(r[0]?.v).toBe(s);
      }
      for (const n of [0, -1, 1.5, 1e-300, 1.7976931348623157e308, 2 ** 53 - 1, -123456.789]) {
        const r = await store.query<{ v: number }>(sql`SELECT toFloat64(${n}) AS v`);
        expect(r[0]?.v).toBe(n);
      }
      expect((await store.query(sql`SELECT ${raw("1")} AS one`))[0]).toEqual({ one: 1 });
    });

    it("says what is wrong with an address", async () => {
      await expect(ClickHouseStore.open(chLocation("clickhouse://127.0.0.1:1/kei"))).rejects.toThrow(
        "cannot reach ClickHouse at http://127.0.0.1:1: connection refused (is the server running?)",
      );
      const url = process.env.KEI_TEST_CLICKHOUSE ?? "clickhouse://127.0.0.1:8123/kei_test";
      await expect(ClickHouseStore.open(chLocation(`${url}?cluster=nope`))).rejects.toThrow(
        /has no cluster "nope" in its remote_servers config \(it has: /,
      );
    });
  },
);

describe.skipIf(cluster?.skip !== undefined)(
  `ClickHouse cluster${cluster?.skip ? ` (skipped: ${cluster.skip})` : ""}`,
  () => {
    it("keeps rows on both shards, each customer's rows on one", async () => {
      const store = (await (cluster as NonNullable<typeof cluster>).open()) as ClickHouseStore;
      try {
        const dir = await tempDir();
        const lines = ["contact_id,customer_id,ts,channel,reason"];
        for (let i = 0; i < 400; i++) lines.push(`K${i},C${i % 40},2025-03-01T10:00:00,phone,storing`);
        await writeCsvFiles(dir, { contacts: lines.join("\n") });
        const r = await ingestFiles(store, [dir], {
          timeZone: "Europe/Amsterdam",
          rejectsPath: `${dir}/r.csv`,
        });
        expect(r.files[0]).toMatchObject({ read: 400, stored: 400 });
        const perNode = await store.rowsPerNode("contacts");
        expect(perNode).toHaveLength(2);
        expect(perNode[0]).toBeGreaterThan(0);
        expect(perNode[1]).toBeGreaterThan(0);
        expect((perNode[0] ?? 0) + (perNode[1] ?? 0)).toBe(400);
        // Each customer has 10 contacts, all on one shard: so each shard's count is a multiple of 10.
        expect((perNode[0] ?? 0) % 10).toBe(0);
        console.log(`contacts per shard: ${perNode.join(" + ")}`);
      } finally {
        await store.close();
        await cluster?.cleanup();
      }
    });
  },
);
