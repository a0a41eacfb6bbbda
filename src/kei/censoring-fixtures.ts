/**
 * Data for the censoring tests (censoring-truncation.test.ts): small random customer histories, and a cut of
 * contract CSV files at a moment.
 *
 * A history is a few customers' contacts in episodes (a first contact, then repeats at gaps around the 7-day job
 * window: a day, three days, exactly the window, one second more, ten days), web visits on the reason's pages
 * before them, feedback about a contact given at most one job window after it (a survey or a complaint), and
 * reviews without a contact at any time. Feedback carries a score and no text: how a signal is scored does not
 * matter for censoring, and scoring text makes building the jobs take twice as long. Times are seconds after
 * 1 September 2025 00:00 UTC, over about four months, so the data crosses the end of summer time and often the year.
 * Cutting keeps the rows before the cut, the way data exported at that moment would look.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import type { Store } from "../store/store.js";

export const DAY = 86_400;
/** The default job window (`jobWindowDays` 7), in seconds. */
export const WINDOW = 7 * DAY;
/** 2025-09-01T00:00:00Z, epoch seconds. */
const BASE = Date.UTC(2025, 8, 1) / 1000;
/** Episodes start within this many days after BASE. */
export const SPAN_DAYS = 120;

export interface HistoryContact {
  readonly id: string;
  readonly customer: string;
  readonly reason: string;
  /** Seconds after BASE. */
  readonly t: number;
  readonly channel: string;
  readonly direction: "inbound" | "outbound";
  readonly waitS: number;
  readonly transfers: number;
  readonly complaint: boolean;
  readonly resolved: boolean | null;
}

export interface HistoryVisit {
  readonly id: string;
  readonly customer: string;
  readonly reason: string;
  readonly t: number;
  readonly channel: "web" | "app";
}

export interface HistoryFeedback {
  readonly id: string;
  readonly customer: string;
  /** The contact it is about; null for a review without a contact. */
  readonly contact: string | null;
  readonly t: number;
  readonly source: "survey" | "complaint" | "review";
  readonly csat: number | null;
}

export interface History {
  readonly contacts: readonly HistoryContact[];
  readonly visits: readonly HistoryVisit[];
  readonly feedback: readonly HistoryFeedback[];
}

/** Gaps that sit on and around the job window's edge, and any other gap up to two windows. */
const gap = fc.oneof(
  fc.constantFrom(DAY, 3 * DAY, WINDOW, WINDOW + 1, 10 * DAY),
  fc.integer({ min: 1, max: 2 * WINDOW }),
);

const step = fc.record({
  gap,
  channel: fc.constantFrom("phone", "chat", "email", "app", "letter"),
  outbound: fc.boolean(),
  waitS: fc.constantFrom(0, 120, 900, 3600),
  transfers: fc.integer({ min: 0, max: 3 }),
  /** One contact in four flagged complaint, so that most jobs of one contact are effective. */
  complaint: fc.constantFrom(false, false, false, true),
  resolved: fc.constantFrom(true, false, null),
});

const episode = fc.record({
  customer: fc.constantFrom("A", "B", "C", "D"),
  reason: fc.constantFrom("storing", "verhuizen"),
  /** Whole hours, often on the hour, so that cuts and window ends fall on contacts now and then. */
  start: fc
    .integer({ min: 0, max: SPAN_DAYS * 24 })
    .chain((h) => fc.constantFrom(h * 3600, h * 3600 + 1, h * 3600 + 1799)),
  steps: fc.array(step, { minLength: 1, maxLength: 3 }),
  visitBefore: fc.option(fc.integer({ min: 60, max: 30 * 3600 }), { nil: null }),
  feedback: fc.option(
    fc.record({
      on: fc.nat(),
      source: fc.constantFrom("survey", "complaint"),
      /** At most one job window after the contact: feedback the data has whenever it can judge the job. */
      delay: fc.oneof(fc.constantFrom(0, 3600, WINDOW), fc.integer({ min: 0, max: WINDOW })),
      csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    }),
    { nil: null },
  ),
});

const review = fc.record({
  customer: fc.constantFrom("A", "B", "C", "D"),
  t: fc.integer({ min: 0, max: (SPAN_DAYS + 20) * DAY }),
  csat: fc.integer({ min: 1, max: 5 }),
});

/** A random history of 6-40 episodes and 0-3 reviews without a contact. */
export const historyArbitrary: fc.Arbitrary<History> = fc
  .record({
    episodes: fc.array(episode, { minLength: 6, maxLength: 40 }),
    reviews: fc.array(review, { maxLength: 3 }),
  })
  .map(({ episodes, reviews }) => {
    const contacts: HistoryContact[] = [];
    const visits: HistoryVisit[] = [];
    const feedback: HistoryFeedback[] = [];
    episodes.forEach((e, i) => {
      let t = e.start;
      const ids: { id: string; t: number }[] = [];
      e.steps.forEach((s, k) => {
        if (k > 0) t += s.gap;
        const id = `K${i}_${k}`;
        ids.push({ id, t });
        contacts.push({
          id,
          customer: e.customer,
          reason: e.reason,
          t,
          channel: s.channel,
          direction: k > 0 && s.outbound ? "outbound" : "inbound",
          waitS: s.waitS,
          transfers: s.transfers,
          complaint: s.complaint,
          resolved: s.resolved,
        });
      });
      if (e.visitBefore !== null) {
        visits.push({
          id: `W${i}`,
          customer: e.customer,
          reason: e.reason,
          t: e.start - e.visitBefore,
          channel: i % 2 === 0 ? "web" : "app",
        });
      }
      if (e.feedback !== null) {
        const about = ids[e.feedback.on % ids.length] as { id: string; t: number };
        const f = e.feedback;
        feedback.push({
          id: `F${i}`,
          customer: e.customer,
          contact: about.id,
          t: about.t + f.delay,
          source: f.source as "survey" | "complaint",
          csat: f.source === "survey" ? f.csat : null,
        });
      }
    });
    reviews.forEach((r, i) => {
      feedback.push({
        id: `R${i}`,
        customer: r.customer,
        contact: null,
        t: r.t,
        source: "review",
        csat: r.csat,
      });
    });
    return { contacts, visits, feedback };
  });

/** The rows of `h` before `cut` (seconds after BASE): what an export taken at that moment would hold. */
export function cutHistory(h: History, cut: number): History {
  return {
    contacts: h.contacts.filter((c) => c.t < cut),
    visits: h.visits.filter((v) => v.t < cut),
    feedback: h.feedback.filter((f) => f.t < cut),
  };
}

const iso = (t: number) => new Date((BASE + t) * 1000).toISOString().replace(".000Z", "Z");
const cell = (v: string | number | boolean | null) => (v === null ? "" : String(v));
const csv = (header: string, rows: (string | number | boolean | null)[][]) =>
  [header, ...rows.map((r) => r.map(cell).join(","))].join("\n");

/**
 * A fresh in-memory DuckDB store holding `h`, ingested from contract CSV files the way `kei ingest` reads
 * them (timestamps in UTC; days and months in the default zone, Europe/Amsterdam). The caller closes it.
 */
export async function storeWithHistory(h: History): Promise<Store> {
  const dir = await tempDir("kei-censoring-");
  const store = await DuckDBStore.open(":memory:");
  try {
    await store.ensureSchema();
    const customers = [...new Set(h.contacts.map((c) => c.customer))].map((c) => [c, "particulier"]);
    await writeCsvFiles(dir, {
      customers: csv("customer_id,segment", customers),
      contacts: csv(
        "contact_id,customer_id,ts,channel,reason,direction,wait_s,transfers,complaint,resolved",
        h.contacts.map((c) => [
          c.id,
          c.customer,
          iso(c.t),
          c.channel,
          c.reason,
          c.direction,
          c.waitS,
          c.transfers,
          c.complaint,
          c.resolved,
        ]),
      ),
      web_events: csv(
        "event_id,session_id,customer_id,ts,channel,page,reason",
        h.visits.map((v) => [
          v.id,
          `S${v.id}`,
          v.customer,
          iso(v.t),
          v.channel,
          `/service/${v.reason}`,
          v.reason,
        ]),
      ),
      feedback: csv(
        "feedback_id,customer_id,contact_id,ts,source,csat",
        h.feedback.map((f) => [f.id, f.customer, f.contact, iso(f.t), f.source, f.csat]),
      ),
    });
    const files = ["customers", "contacts", "web_events", "feedback"].map((t) => join(dir, `${t}.csv`));
    await ingestFiles(store, files, { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "rejects.csv") });
    return store;
  } catch (e) {
    await store.close();
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The records of a CSV text (RFC 4180: a quoted field may hold commas, quotes as "" and newlines), each as its
 * raw text without the line end.
 */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) {
      records.push(text.slice(start, i).replace(/\r$/, ""));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/** The fields of one CSV record, unquoted. */
export function csvFields(record: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i] as string;
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Copies the contract CSV file `from` to `to` with only the rows whose `ts` lies before `cutDay` 00:00 local
 * time; the timestamps are local time with their offset (as the demo writes them, `2025-03-01T09:30:00+01:00`),
 * so their first 19 characters compare with the local midnight as text. Returns the rows kept and read.
 */
export async function copyRowsBefore(
  from: string,
  to: string,
  cutDay: string,
): Promise<{ kept: number; read: number }> {
  const [header, ...rows] = csvRecords(await readFile(from, "utf8"));
  if (header === undefined) throw new Error(`${from} is empty`);
  const ts = csvFields(header).indexOf("ts");
  if (ts < 0) throw new Error(`${from} has no ts column`);
  const midnight = `${cutDay}T00:00:00`;
  const kept = rows.filter((r) => (csvFields(r)[ts] ?? "").slice(0, 19) < midnight);
  await writeFile(to, `${[header, ...kept].join("\n")}\n`);
  return { kept: kept.length, read: rows.length };
}
