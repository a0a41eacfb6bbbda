/**
 * One suite, every engine: the same ingest and the same queries on DuckDB, one ClickHouse node and the
 * two-shard cluster, compared field by field with DuckDB's answers (floating point within 1e-9 relative,
 * nothing else tolerated). Every analytic adds its case here as it lands.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestReport, ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { jobTableSql } from "../model/job-table.js";
import { derivedTables } from "../model/jobs-table.js";
import { journeyEventsBuildSql } from "../model/journey-events.js";
import { analysisOptions } from "../options/analysis-options.js";
import { testEngines } from "./engine-fixtures.js";
import { raw, sql } from "./sql.js";
import type { Store } from "./store.js";

const engines = await testEngines();

/** Injection strings that must be stored and returned verbatim and never executed. */
const NASTY = [
  "O'Brien",
  "back\\slash\\",
  "'; DROP TABLE contacts; --",
  '"; DROP TABLE "contacts"; --',
  "nul\u0000byte",
  "tab\tnew\nline\rcr",
  "emoji 😀 café ﷽ e\u0301",
  "\\'; SELECT 1; --",
  `${"long".repeat(5000)}!`,
  "{x:UInt32}",
  "$1 ? :name",
];

const csvQuote = (s: string) => `"${s.replaceAll('"', '""')}"`;

interface EngineResult {
  first: IngestReport;
  again: IngestReport;
  bad: IngestReport;
  nasty: IngestReport;
  counts: Record<string, number>;
  queries: Record<string, unknown[]>;
}

function normalise(report: IngestReport) {
  // Paths differ per engine's temp folder; compare the file names.
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, file: f.file.split("/").pop() })),
    rejects: report.rejects ? "yes" : null,
  };
}

function expectSame(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "number" && typeof actual === "number" && !Number.isInteger(expected)) {
    const tol = Math.abs(expected) * 1e-9;
    if (Math.abs(actual - expected) > tol) throw new Error(`${path}: ${actual} differs from ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => {
      expectSame((actual as unknown[])[i], e, `${path}[${i}]`);
    });
    return;
  }
  if (expected && typeof expected === "object" && !(expected instanceof Date)) {
    expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected))
      expectSame((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

async function runCases(store: Store): Promise<EngineResult> {
  const dir = await tempDir("kei-parity-");
  const opts = { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "rejects.csv") };
  const csv = await writeCsvFiles(join(dir, "good"));
  const first = await ingestFiles(store, [csv], opts);
  const again = await ingestFiles(store, [csv], { ...opts, rejectsPath: join(dir, "rejects2.csv") });
  const badDir = join(dir, "bad");
  await writeCsvFiles(badDir, {
    contacts: [
      "contact_id,customer_id,ts,channel,reason,wait_s",
      "K20,C1,2025-10-26T02:30:00,phone,storing,1",
      "K21,,2025-03-01T10:00:00,phone,storing,30",
      "K22,C1,2025-03-01T10:00:00,fax,storing,30",
      "K20,C1,2025-03-01T10:00:00,phone,storing,30",
      "K23,C9,2025-12-31T23:30:00,app,nieuw_tarief,0,extra",
      "K24,C9,2026-01-01T00:30:00,app,nieuw_tarief,0",
    ].join("\n"),
  });
  const bad = await ingestFiles(store, [badDir], { ...opts, rejectsPath: join(dir, "rejects3.csv") });
  const nastyDir = join(dir, "nasty");
  await writeCsvFiles(nastyDir, {});
  await writeFile(
    join(nastyDir, "feedback.csv"),
    [
      "feedback_id,customer_id,ts,source,text",
      ...NASTY.map(
        (s, i) =>
          `N${String(i).padStart(2, "0")},${csvQuote(s)},2025-04-0${1 + (i % 9)}T12:00:00,review,${csvQuote(s)}`,
      ),
    ].join("\n"),
  );
  const nasty = await ingestFiles(store, [nastyDir], { ...opts, rejectsPath: join(dir, "rejects4.csv") });
  const d = store.dialect;
  const built = await store.refreshDerived(derivedTables(analysisOptions()));
  const queries: Record<string, unknown[]> = {
    // The derived jobs table, and the same jobs grouped from the contacts on the spot.
    derived: built.map((b) => ({ name: b.name, rows: b.rows, built: b.built })),
    jobs: await store.query(
      sql`SELECT customer_id, reason, grp, first_t, ${d.epochSeconds(sql`first_ts`)} AS first_ts, channel, contacts, switches, wait_s, transfers, complaints, web_before, agent_resolved, effective, ease, c_contacts, c_switches, c_wait, c_transfers, c_web, emotion FROM jobs ORDER BY customer_id, reason, grp`,
    ),
    journeyEvents: await store.query(
      sql`SELECT mode, e_customer, e_reason, activity, t, event_key, grp FROM journey_events ORDER BY mode, event_key`,
    ),
    journeyEventsInline: await store.query(
      sql`SELECT mode, e_customer, e_reason, activity, t, event_key, grp FROM (${journeyEventsBuildSql(d, analysisOptions())}) AS j ORDER BY mode, event_key`,
    ),
    jobsInline: await store.query(
      sql`SELECT customer_id, reason, grp, first_t, ${d.epochSeconds(sql`first_ts`)} AS first_ts, channel, contacts, switches, wait_s, transfers, complaints, web_before, agent_resolved, effective, ease, c_contacts, c_switches, c_wait, c_transfers, c_web, emotion FROM (${jobTableSql(d, analysisOptions())}) AS j ORDER BY customer_id, reason, grp`,
    ),
    contacts: await store.query(
      sql`SELECT contact_id, customer_id, ${d.epochSeconds(sql`ts`)} AS ts, channel, reason, direction, wait_s, handle_s, transfers, resolved, complaint, cost_eur FROM contacts ORDER BY contact_id`,
    ),
    // Explicit columns: ClickHouse tables also hold provenance columns (_run, _file, _row).
    customers: await store.query(
      sql`SELECT customer_id, segment, product, region, start_date, end_date, annual_value_eur, attributes FROM customers ORDER BY customer_id`,
    ),
    reasons: await store.query(
      sql`SELECT reason, label_nl, label_en, lifecycle_stage, colour FROM reasons ORDER BY reason`,
    ),
    kpis: await store.query(sql`SELECT period, name, value, segment FROM kpis ORDER BY name, segment`),
    months: await store.query(
      sql`SELECT contact_id, ${d.periodStart("month", sql`ts`, "Europe/Amsterdam")} AS m, ${d.periodStart("quarter", sql`ts`, "Europe/Amsterdam")} AS q, ${d.periodStart("week", sql`ts`, "Europe/Amsterdam")} AS w, ${d.periodStart("month", sql`ts`, "UTC")} AS m_utc FROM contacts ORDER BY contact_id`,
    ),
    aggregates: await store.query(
      sql`SELECT channel, ${d.count()} AS n, ${d.countDistinct(sql`customer_id`)} AS customers, ${d.quantile(0.5, sql`wait_s`)} AS median_wait, ${d.quantile(0.9, sql`wait_s`)} AS p90_wait, ${d.safeDivide(sql`sum(wait_s)`, d.count(sql`wait_s`))} AS mean_wait FROM contacts GROUP BY channel ORDER BY channel`,
    ),
    nasty: await store.query(
      sql`SELECT feedback_id, customer_id, text FROM feedback WHERE source = ${"review"} AND feedback_id LIKE ${"N%"} ORDER BY feedback_id`,
    ),
    nastyFilters: await Promise.all(
      NASTY.map(
        async (s) =>
          (
            await store.query<{ n: number }>(
              sql`SELECT ${d.count()} AS n FROM feedback WHERE text = ${s} AND customer_id = ${s}`,
            )
          )[0]?.n,
      ),
    ),
    arithmetic: await store.query(
      sql`SELECT ${d.safeDivide(raw("1"), raw("0"))} AS by_zero, ${d.secondsBetween(sql`min(ts)`, sql`max(ts)`)} AS span, ${d.toText(d.count())} AS n_text FROM contacts`,
    ),
    paths: await store.query(
      sql`SELECT ${d.pathPrefix(sql`${"/mijn/meterstand/invoeren"}`, 2)} AS two, ${d.pathPrefix(sql`${"/opzeggen"}`, 2)} AS short, ${d.pathPrefix(sql`${"/mijn/ß/x?q=1"}`, 1)} AS one, CASE WHEN ${d.startsWith(sql`${"/mijn/ß"}`, sql`${"/mijn/"}`)} THEN 1 ELSE 0 END AS yes, CASE WHEN ${d.startsWith(sql`${"/mi"}`, sql`${"/mijn"}`)} THEN 1 ELSE 0 END AS no`,
    ),
  };
  return { first, again, bad, nasty, counts: await store.tableCounts(), queries };
}

const results = new Map<string, EngineResult>();

describe.each(engines)("engine $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    results.set(engine.name, await runCases(store));
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `ingests and answers like DuckDB${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const r = results.get(engine.name);
      const ref = results.get("duckdb");
      if (!r || !ref) throw new Error("no results");
      // Hand-checked facts, the same on every engine.
      expect(r.counts).toEqual({
        customers: 2,
        contacts: 5,
        web_events: 3,
        feedback: 2 + NASTY.length,
        reasons: 3,
        costs: 3,
        kpis: 3,
      });
      expect(r.bad.files[0]).toMatchObject({ read: 6, stored: 2, rejected: 3, duplicates: 1 });
      expect(r.bad.addedReasons).toEqual(["nieuw_tarief"]);
      expect(r.bad.unknownCustomerContacts).toBe(1);
      expect(r.nasty.files[0]).toMatchObject({ read: NASTY.length, stored: NASTY.length, rejected: 0 });
      expect(r.queries.nasty?.map((x) => (x as { text: string }).text)).toEqual(NASTY);
      expect(r.queries.nastyFilters).toEqual(NASTY.map(() => 1));
      expect(r.queries.arithmetic).toMatchObject([{ n_text: "5" }]);
      expect(r.queries.paths).toEqual([
        { two: "/mijn/meterstand", short: "/opzeggen", one: "/mijn", yes: 1, no: 0 },
      ]);
      for (const f of r.again.files) expect(f.stored).toBe(0);
      // The derived jobs hold exactly the jobs found from the contacts.
      expect(r.queries.derived).toEqual([
        { name: "jobs", rows: r.queries.jobsInline?.length, built: true },
        { name: "journey_events", rows: r.queries.journeyEventsInline?.length, built: true },
      ]);
      expectSame(r.queries.jobs, r.queries.jobsInline);
      expectSame(r.queries.journeyEvents, r.queries.journeyEventsInline);
      // Field by field against DuckDB.
      expectSame(normalise(r.first), normalise(ref.first));
      expectSame(normalise(r.again), normalise(ref.again));
      expectSame(normalise(r.bad), normalise(ref.bad));
      expectSame(r.queries, ref.queries);
    },
  );
});

it("hand-checked periods: the doubled autumn hour, New Year's Eve in Amsterdam, ISO weeks", () => {
  const months = results.get("duckdb")?.queries.months as Record<string, unknown>[];
  const byId = Object.fromEntries(months.map((m) => [m.contact_id, m]));
  // K20 02:30 on 2025-10-26 is read as summer time (00:30Z): October in Amsterdam and in UTC.
  expect(byId.K20).toEqual({
    contact_id: "K20",
    m: "2025-10-01",
    q: "2025-10-01",
    w: "2025-10-20",
    m_utc: "2025-10-01",
  });
  // K24 00:30 on 1 January 2026 in Amsterdam is 23:30Z on New Year's Eve: January in Amsterdam, December in UTC;
  // its week starts on Monday 29 December 2025.
  expect(byId.K24).toEqual({
    contact_id: "K24",
    m: "2026-01-01",
    q: "2026-01-01",
    w: "2025-12-29",
    m_utc: "2025-12-01",
  });
  // K3 10:00Z on 15 July.
  expect(byId.K3).toMatchObject({ m: "2025-07-01", q: "2025-07-01", w: "2025-07-14" });
});
