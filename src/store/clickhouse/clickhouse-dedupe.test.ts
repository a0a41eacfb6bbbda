/**
 * The dedupe in buckets keeps exactly what one bucket keeps: on a ClickHouse node and on the cluster, two
 * runs (duplicates within a file, across files, against stored keys; rejects; a key of three columns with
 * empty segments; derived reasons replaced; contacts of unknown customers) ingested once with the dedupe in
 * one bucket and once in many, give the same reports, the same rejects and the same stored rows, down to the
 * file and row each came from.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../../ingest/ingest-fixtures.js";
import { storedColumns, TABLE_NAMES, TABLES, type TableName } from "../../schema/tables.js";
import { testEngines } from "../engine-fixtures.js";
import { ident, join as joinSql, raw, sql } from "../sql.js";
import type { Store } from "../store.js";
import { bucketCount, DEDUPE_BUCKETS } from "./clickhouse-dedupe.js";

const engines = (await testEngines()).filter((e) => e.name !== "duckdb");

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Two folders for the first run and one for the second, with duplicates and rejects of every kind. */
async function inputs(dir: string): Promise<string[][]> {
  const a = await writeCsvFiles(join(dir, "a"), {
    customers: [
      "customer_id,segment,product",
      ...range(12).map((i) => `C${i},particulier,stroom`),
      "C3,zakelijk,gas", // a later C3: a duplicate
    ].join("\n"),
    contacts: [
      "contact_id,customer_id,ts,channel,reason,wait_s",
      ...range(30).map(
        (i) => `K${i},C${i % 15},2025-03-01T10:${String(i).padStart(2, "0")}:00,phone,storing,${i}`,
      ),
      "K5,C1,2025-03-02T10:00:00,chat,verhuizen,999", // duplicate within the file: K5 keeps its first row
      "K31,C1,not-a-time,phone,storing,1", // a reject
    ].join("\n"),
    web_events: [
      "event_id,session_id,customer_id,ts,channel,page,reason",
      ...range(25).map(
        (i) =>
          `W${i},S${i % 6},${i % 3 === 0 ? "" : `C${i % 12}`},2025-03-01T09:00:${String(i).padStart(2, "0")},web,/p${i},${i % 4 === 0 ? "" : "storing"}`,
      ),
      "W7,S0,,2025-03-01T09:30:00,app,/again,storing",
    ].join("\n"),
    kpis: [
      "period,name,value,segment",
      "2025-03-01,churn_rate,0.01,",
      "2025-03-01,churn_rate,0.02,zakelijk",
      "2025-03-01,churn_rate,0.03,", // same key as the first (empty segment): a duplicate
      "2025-04-01,churn_rate,0.04,",
    ].join("\n"),
  });
  const b = await writeCsvFiles(join(dir, "b"), {
    contacts: [
      "contact_id,customer_id,ts,channel,reason,wait_s",
      ...range(10).map((i) => `K${i + 25},C${i},2025-04-01T10:00:00,email,jaarafrekening,${100 + i}`), // K25-K29 repeat run A
      "K40,C1,2025-04-01T10:00:00,email,klacht,1",
      "K41,C99,2025-04-01T11:00:00,fax,storing,1", // a reject: unknown channel
    ].join("\n"),
    feedback: [
      "feedback_id,customer_id,ts,source,nps",
      ...range(8).map((i) => `F${i},C${i},2025-03-05T10:00:00,survey,${i}`),
      "F2,C2,2025-03-06T10:00:00,survey,10",
    ].join("\n"),
  });
  const c = await writeCsvFiles(join(dir, "c"), {
    reasons: ["reason,label_nl,label_en", "storing,Storing,Outage"].join("\n"),
    customers: ["customer_id,segment", "C90,zakelijk", "C1,zakelijk"].join("\n"), // C90 known in the run
    contacts: [
      "contact_id,customer_id,ts,channel,reason",
      ...range(12).map((i) => `K${i * 3},C${(i * 7) % 20},2025-05-01T10:00:00,phone,storing`), // some stored
      ...range(6).map((i) => `N${i},C${90 + i},2025-05-02T10:00:00,phone,verhuizen`),
      "N2,C1,2025-05-03T10:00:00,phone,verhuizen",
    ].join("\n"),
  });
  return [[a, b], [c]];
}

/** Every stored row of every table with the file and row it came from, in key order. */
async function storedRows(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLE_NAMES) {
    const cols = storedColumns(TABLES[t]).map((c) => ident(c.name));
    const extra = raw(`${t === "reasons" ? `, "derived"` : ""}, "_file", "_row"`);
    const order = joinSql(
      TABLES[t].key.map((k) => ident(k)),
      ", ",
    );
    out[t] = await store.query(
      sql`SELECT ${joinSql(cols, ", ")}${extra} FROM ${ident(t as TableName)} ORDER BY ${order}`,
    );
  }
  return out;
}

async function ingestAll(store: Store, dir: string, tag: string) {
  const runs = await inputs(join(dir, tag));
  const reports = [];
  const rejects = [];
  for (const [i, paths] of runs.entries()) {
    const rejectsPath = join(dir, `${tag}-rejects-${i}.csv`);
    const r = await ingestFiles(store, paths, { timeZone: "Europe/Amsterdam", rejectsPath });
    reports.push({
      files: r.files.map((f) => ({ ...f, file: f.file.slice(join(dir, tag).length) })),
      addedReasons: r.addedReasons,
      unknownCustomerContacts: r.unknownCustomerContacts,
    });
    rejects.push(r.rejects ? (await readFile(r.rejects, "utf8")).replaceAll(join(dir, tag), "") : "");
  }
  return { reports, rejects, rows: await storedRows(store) };
}

describe.each(engines)("dedupe in buckets on $name", (engine) => {
  afterAll(() => engine.cleanup());

  it.skipIf(engine.skip !== undefined)(
    `stores the same rows, duplicates and rejects as one bucket${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const dir = await tempDir();
      const saved = { ...DEDUPE_BUCKETS };
      let one: Awaited<ReturnType<typeof ingestAll>>;
      let many: Awaited<ReturnType<typeof ingestAll>>;
      const a = await engine.open();
      try {
        one = await ingestAll(a, dir, "one");
      } finally {
        await a.close();
      }
      const b = await engine.open();
      try {
        DEDUPE_BUCKETS.rows = 4;
        // 30-odd staged rows per table and about as many contacts: several buckets each.
        expect(bucketCount(13, 0)).toBe(4);
        expect(bucketCount(40, 0)).toBe(10);
        many = await ingestAll(b, dir, "many");
      } finally {
        Object.assign(DEDUPE_BUCKETS, saved);
        await b.close();
      }
      expect(many).toEqual(one);

      // And what one bucket keeps is the first occurrence, by file and row.
      // Per file [read, stored, rejected, duplicates]: run 1 is folder a (contacts, customers, kpis, web events)
      // then b (contacts: K25-K29 stored from a; feedback); run 2 repeats twelve stored contacts and C1.
      const counts = (r: (typeof one.reports)[number] | undefined) =>
        r?.files.map((f) => [f.read, f.stored, f.rejected, f.duplicates]);
      const [first, second] = one.reports;
      expect(counts(first)).toEqual([
        [32, 30, 1, 1],
        [13, 12, 0, 1],
        [4, 3, 0, 1],
        [26, 25, 0, 1],
        [12, 6, 1, 5],
        [9, 8, 0, 1],
      ]);
      expect(counts(second)).toEqual([
        [19, 6, 0, 13],
        [2, 1, 0, 1],
        [1, 1, 0, 0],
      ]);
      // Contacts of customers C12-C14 (run 1) and C91-C95 (run 2): neither stored nor in the run.
      expect(one.reports.map((r) => r.unknownCustomerContacts)).toEqual([6, 5]);
      const contacts = one.rows.contacts as { contact_id: string; reason: string; wait_s: number }[];
      expect(contacts.find((c) => c.contact_id === "K5")).toMatchObject({ reason: "storing", wait_s: 5 });
      expect(contacts.find((c) => c.contact_id === "K27")).toMatchObject({ wait_s: 27 });
      const kpis = one.rows.kpis as { value: number; segment: string | null }[];
      expect(kpis.map((k) => k.value).sort()).toEqual([0.01, 0.02, 0.04]);
    },
    120_000,
  );
});
