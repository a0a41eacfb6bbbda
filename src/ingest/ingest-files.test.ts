import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { IngestInputError } from "./find-input-files.js";
import { type IngestOptions, ingestFiles } from "./ingest-files.js";
import { convertFormats, GOOD, tempDir, writeCsvFiles } from "./ingest-fixtures.js";

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function newStore(dir?: string): Promise<{ store: Store; dir: string }> {
  const d = dir ?? (await tempDir());
  const store = await DuckDBStore.open(join(d, "kei.duckdb"));
  await store.ensureSchema();
  open.push(store);
  return { store, dir: d };
}

function opts(dir: string, extra: Partial<IngestOptions> = {}): IngestOptions {
  return { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "rejects.csv"), ...extra };
}

const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

async function contactsAsStored(store: Store) {
  return store.query(
    sql`SELECT contact_id, customer_id, ${store.dialect.epochSeconds(sql`ts`)} AS ts, channel, reason, direction,
        wait_s, handle_s, transfers, resolved, complaint, cost_eur FROM contacts ORDER BY contact_id`,
  );
}

const EXPECTED_CONTACTS = [
  // 09:30 without offset is Amsterdam winter time (+01:00); empty direction defaults to inbound.
  {
    contact_id: "K1",
    customer_id: "C1",
    ts: utc(2025, 3, 1, 8, 30),
    channel: "phone",
    reason: "storing",
    direction: "inbound",
    wait_s: 95,
    handle_s: 420,
    transfers: 1,
    resolved: true,
    complaint: false,
    cost_eur: 6.5,
  },
  {
    contact_id: "K2",
    customer_id: "C1",
    ts: utc(2025, 3, 3, 13, 0),
    channel: "chat",
    reason: "storing",
    direction: "inbound",
    wait_s: 12,
    handle_s: 300,
    transfers: 0,
    resolved: true,
    complaint: false,
    cost_eur: null,
  },
  {
    contact_id: "K3",
    customer_id: "C2",
    ts: utc(2025, 7, 15, 10, 0),
    channel: "email",
    reason: "jaarafrekening",
    direction: "outbound",
    wait_s: null,
    handle_s: null,
    transfers: null,
    resolved: null,
    complaint: true,
    cost_eur: 4,
  },
];

const EXPECTED_COUNTS = {
  customers: 2,
  contacts: 3,
  web_events: 3,
  feedback: 2,
  reasons: 2,
  costs: 3,
  kpis: 3,
};

describe.each(["csv", "ndjson", "parquet"] as const)("every table from %s", (format) => {
  it("stores every row with its canonical values", async () => {
    const { store, dir } = await newStore();
    const csv = await writeCsvFiles(join(dir, "csv"));
    const input = format === "csv" ? csv : await convertFormats(csv, join(dir, format), format);
    const report = await ingestFiles(store, [input], opts(dir));
    expect(report.rejects).toBeNull();
    expect(report.addedReasons).toEqual([]);
    expect(report.unknownCustomerContacts).toBe(0);
    for (const f of report.files) {
      const n = EXPECTED_COUNTS[f.table];
      expect(f).toMatchObject({ read: n, stored: n, rejected: 0, duplicates: 0 });
    }
    expect(await store.tableCounts()).toEqual(EXPECTED_COUNTS);
    expect(await contactsAsStored(store)).toEqual(EXPECTED_CONTACTS);
    const customers = await store.query(
      sql`SELECT customer_id, start_date, end_date, annual_value_eur, attributes FROM customers ORDER BY customer_id`,
    );
    expect(customers).toEqual([
      {
        customer_id: "C1",
        start_date: "2021-04-01",
        end_date: null,
        annual_value_eur: 1850.5,
        attributes: '{"loyalty_tier":"gold"}',
      },
      {
        customer_id: "C2",
        start_date: "2019-01-15",
        end_date: "2025-06-30",
        annual_value_eur: 24000,
        attributes: null,
      },
    ]);
    const fb = await store.query(
      sql`SELECT feedback_id, nps, ces, csat, text, language FROM feedback ORDER BY feedback_id`,
    );
    expect(fb).toEqual([
      {
        feedback_id: "F1",
        nps: 3,
        ces: 2,
        csat: 2,
        text: 'Lang gewacht, "niet" geholpen.\nSlecht.',
        language: "nl",
      },
      { feedback_id: "F2", nps: null, ces: null, csat: null, text: "Quick and friendly", language: null },
    ]);
    const web = await store.query(
      sql`SELECT event_id, customer_id, reason, action FROM web_events ORDER BY event_id`,
    );
    expect(web.map((w) => [w.event_id, w.customer_id, w.reason, w.action])).toEqual([
      ["W1", "C1", "storing", "view"],
      ["W2", "C1", "storing", "error"],
      ["W3", null, null, "view"],
    ]);
    const kpis = await store.query(sql`SELECT period, name, value, segment FROM kpis ORDER BY name, segment`);
    expect(kpis).toEqual([
      { period: "2025-03-01", name: "churn_rate", value: 0.012, segment: "particulier" },
      { period: "2025-03-01", name: "churn_rate", value: 0.02, segment: "zakelijk" },
      { period: "2025-03-01", name: "revenue_eur", value: 1250000, segment: null },
    ]);
  });
});

describe("Dutch CSV", () => {
  it("reads semicolons, decimal commas, a BOM, CRLF and quoted newlines", async () => {
    const { store, dir } = await newStore();
    const text =
      "\uFEFFcontact_id;customer_id;ts;channel;reason;wait_s;cost_eur;resolved\r\n" +
      "K1;C1;2025-03-01T09:30:00;Phone;storing;95,5;6,50;Ja\r\n" +
      'K2;C1;"2025-03-03 14:00";chat;"storing";1.200,25;"3,5";nee\r\n';
    await writeFile(join(dir, "contacts.csv"), text);
    await writeFile(join(dir, "customers.csv"), 'customer_id;region\r\nC1;"Noord-\r\nHolland"\r\n');
    const report = await ingestFiles(
      store,
      [join(dir, "contacts.csv"), join(dir, "customers.csv")],
      opts(dir),
    );
    expect(report.files.map((f) => [f.read, f.stored, f.rejected])).toEqual([
      [2, 2, 0],
      [1, 1, 0],
    ]);
    const rows = await store.query(
      sql`SELECT contact_id, channel, wait_s, cost_eur, resolved FROM contacts ORDER BY contact_id`,
    );
    expect(rows).toEqual([
      { contact_id: "K1", channel: "phone", wait_s: 95.5, cost_eur: 6.5, resolved: true },
      { contact_id: "K2", channel: "chat", wait_s: 1200.25, cost_eur: 3.5, resolved: false },
    ]);
    expect(await store.query(sql`SELECT region FROM customers`)).toEqual([{ region: "Noord-\r\nHolland" }]);
  });
});

describe("bad rows", () => {
  const header = "contact_id,customer_id,ts,channel,reason,wait_s";
  const lines = [
    "K10,C1,2025-03-01T10:00:00,phone,storing,30",
    "K11,,2025-03-01T10:00:00,phone,storing,30",
    "K12,C1,2025-13-01T10:00:00,phone,storing,30",
    "K13,C1,2025-03-01T10:00:00,fax,storing,30",
    "K14,C1,2025-03-01T10:00:00,phone,storing,lang",
    "K10,C1,2025-03-02T10:00:00,chat,storing,1",
    "K15,C1,2025-03-01T10:00:00",
    "K16,C1,2025-03-01T10:00:00,phone,,-5",
  ];

  it("are rejected with file, row, column and reason, and every row is accounted for", async () => {
    const { store, dir } = await newStore();
    await writeFile(join(dir, "contacts.csv"), [header, ...lines].join("\n"));
    const messages: string[] = [];
    const report = await ingestFiles(
      store,
      [join(dir, "contacts.csv")],
      opts(dir, { onReject: (m) => messages.push(m) }),
    );
    expect(messages).toEqual([
      "contacts.csv row 2, column customer_id: missing required value",
      'contacts.csv row 3, column ts: bad timestamp "2025-13-01T10:00:00" (expected ISO 8601, e.g. 2025-03-01T09:30:00)',
      'contacts.csv row 4, column channel: bad value "fax" (expected one of phone, chat, email, webform, app, store, social, letter)',
      'contacts.csv row 5, column wait_s: bad number "lang" (expected e.g. 12.5 or 12,5)',
      "contacts.csv row 7: row has 3 fields, header has 6",
      "contacts.csv row 8, column reason: missing required value",
      "contacts.csv row 8, column wait_s: value -5 below the minimum 0",
    ]);
    // Row 6 repeats the key K10 of row 1: the first occurrence is kept, the second counted as duplicate.
    expect(report.files[0]).toMatchObject({ read: 8, stored: 1, rejected: 6, duplicates: 1 });
    const rejects = await readFile(report.rejects as string, "utf8");
    const rejectLines = rejects.trim().split("\n");
    expect(rejectLines[0]).toBe("file,table,row,column,reason,record");
    expect(rejectLines).toHaveLength(7);
    expect(rejectLines[1]).toBe(
      `${join(dir, "contacts.csv")},contacts,2,customer_id,missing required value,"K11,,2025-03-01T10:00:00,phone,storing,30"`,
    );
    expect(rejectLines[6]).toContain(
      ',contacts,8,"reason; wait_s","missing required value; value -5 below the minimum 0",',
    );
    expect(await store.query(sql`SELECT contact_id, channel FROM contacts`)).toEqual([
      { contact_id: "K10", channel: "phone" },
    ]);
  });

  it("a missing required column stops the run before anything is stored", async () => {
    const { store, dir } = await newStore();
    await writeCsvFiles(dir, {
      customers: GOOD.customers,
      contacts: "contact_id,customer_id,channel,reason\nK1,C1,phone,storing",
    });
    await expect(ingestFiles(store, [dir], opts(dir))).rejects.toThrow(
      new IngestInputError(
        "contacts.csv: missing required column ts for table contacts (columns found: contact_id, customer_id, channel, reason)",
      ),
    );
    expect((await store.tableCounts()).customers).toBe(0);
  });

  it("an unrecognised file name asks for --table", async () => {
    const { store, dir } = await newStore();
    await writeFile(join(dir, "export.csv"), GOOD.contacts);
    await expect(ingestFiles(store, [join(dir, "export.csv")], opts(dir))).rejects.toThrow(
      /cannot tell which table this file holds/,
    );
    const r = await ingestFiles(store, [join(dir, "export.csv")], opts(dir, { table: "contacts" }));
    expect(r.files[0]).toMatchObject({ table: "contacts", stored: 3 });
  });
});

describe("idempotence and references", () => {
  it("re-ingesting stores nothing new; a newer overlapping file adds only its new rows", async () => {
    const { store, dir } = await newStore();
    const csv = await writeCsvFiles(join(dir, "a"));
    await ingestFiles(store, [csv], opts(dir));
    const again = await ingestFiles(store, [csv], opts(dir));
    for (const f of again.files) expect(f).toMatchObject({ stored: 0, duplicates: f.read, rejected: 0 });
    expect(await store.tableCounts()).toEqual(EXPECTED_COUNTS);
    const newer = `${GOOD.contacts}\nK4,C2,2025-08-01T10:00:00,phone,verhuizen,,,,,,,`;
    await writeCsvFiles(join(dir, "b"), { contacts: newer });
    const r = await ingestFiles(store, [join(dir, "b")], opts(dir));
    expect(r.files[0]).toMatchObject({ read: 4, stored: 1, duplicates: 3 });
    expect(r.addedReasons).toEqual(["verhuizen"]);
    expect((await store.tableCounts()).contacts).toBe(4);
  });

  it("keeps contacts of unknown customers (counted) and adds unknown reasons, which a reasons file later labels", async () => {
    const { store, dir } = await newStore();
    await writeCsvFiles(dir, { contacts: GOOD.contacts, web_events: GOOD.web_events });
    const r = await ingestFiles(store, [dir], opts(dir));
    expect(r.unknownCustomerContacts).toBe(3);
    expect(r.addedReasons).toEqual(["jaarafrekening", "storing"]);
    expect(await store.query(sql`SELECT reason, label_en FROM reasons ORDER BY reason`)).toEqual([
      { reason: "jaarafrekening", label_en: "jaarafrekening" },
      { reason: "storing", label_en: "storing" },
    ]);
    const dir2 = await tempDir();
    await writeCsvFiles(dir2, { reasons: GOOD.reasons });
    const r2 = await ingestFiles(store, [dir2], opts(dir2));
    expect(r2.files[0]).toMatchObject({ read: 2, stored: 2, duplicates: 0 });
    expect(await store.query(sql`SELECT reason, label_en FROM reasons ORDER BY reason`)).toEqual([
      { reason: "jaarafrekening", label_en: "Annual bill" },
      { reason: "storing", label_en: "Outage" },
    ]);
  });

  it("maps a user's column names from the config", async () => {
    const { store, dir } = await newStore();
    await writeFile(join(dir, "customers.csv"), "Klantnummer,Segment,Postcode\nC9,zakelijk,3511AB\n");
    await ingestFiles(
      store,
      [join(dir, "customers.csv")],
      opts(dir, { mappings: { customers: { klantnummer: "customer_id" } } }),
    );
    expect(await store.query(sql`SELECT customer_id, segment, attributes FROM customers`)).toEqual([
      { customer_id: "C9", segment: "zakelijk", attributes: '{"Postcode":"3511AB"}' },
    ]);
  });
});

describe("count conservation (property)", () => {
  const goodRow = fc.record({
    id: fc.integer({ min: 1, max: 40 }).map((n) => `K${n}`),
    day: fc.integer({ min: 1, max: 28 }),
    channel: fc.constantFrom("phone", "chat", "email"),
    wait: fc.integer({ min: 0, max: 600 }),
  });
  const row = fc.oneof(
    goodRow.map((r) => ({
      ok: true,
      id: r.id,
      line: `${r.id},C1,2025-02-${String(r.day).padStart(2, "0")}T10:00:00,${r.channel},storing,${r.wait}`,
    })),
    goodRow.map((r) => ({
      ok: false,
      id: r.id,
      line: `${r.id},C1,2025-02-${r.day + 30}T10:00:00,${r.channel},storing,${r.wait}`,
    })),
    goodRow.map((r) => ({
      ok: false,
      id: r.id,
      line: `${r.id},C1,2025-02-01T10:00:00,pigeon,storing,${r.wait}`,
    })),
    goodRow.map((r) => ({
      ok: false,
      id: r.id,
      line: `${r.id},C1,2025-02-01T10:00:00,phone,storing,${r.wait},extra`,
    })),
  );

  it("read = stored + rejected + duplicates, per file and over runs", async () => {
    const { store, dir } = await newStore();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), async (rows) => {
        run++;
        const before = (await store.tableCounts()).contacts;
        const stored = new Set(
          (await store.query<{ id: string }>(sql`SELECT contact_id AS id FROM contacts`)).map((r) => r.id),
        );
        const file = join(dir, `run${run}`, "contacts.csv");
        await writeCsvFiles(join(dir, `run${run}`), {
          contacts: ["contact_id,customer_id,ts,channel,reason,wait_s", ...rows.map((r) => r.line)].join(
            "\n",
          ),
        });
        const r = await ingestFiles(
          store,
          [file],
          opts(dir, { rejectsPath: join(dir, `run${run}`, "rejects.csv") }),
        );
        const f = r.files[0];
        if (!f) throw new Error("no report");
        const newIds = new Set(rows.filter((x) => x.ok && !stored.has(x.id)).map((x) => x.id));
        expect(f.read).toBe(rows.length);
        expect(f.read).toBe(f.stored + f.rejected + f.duplicates);
        expect(f.rejected).toBe(rows.filter((x) => !x.ok).length);
        expect(f.stored).toBe(newIds.size);
        expect((await store.tableCounts()).contacts).toBe(before + newIds.size);
      }),
      { numRuns: 25 },
    );
  });
});
