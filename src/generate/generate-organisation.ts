/**
 * `kei generate`: writes the fictional Dutch energy supplier as contract files (CSV) with truth.json
 * beside them. Customers are simulated one at a time and streamed out, so memory stays flat at any size;
 * each customer draws from its own seeded stream, so the same seed gives byte-identical files.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Rng } from "../stats/rng.js";
import { CHANNELS, REASONS } from "./catalogue.js";
import { CsvWriter } from "./csv-writer.js";
import { simulateCustomer } from "./simulate-customer.js";
import { newTally, type Sink } from "./simulation.js";
import { buildTruth } from "./truth.js";

export interface GenerateOptions {
  outDir: string;
  /** Default 20,000; at most 5,000,000. */
  customers?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedFile {
  file: string;
  table: string;
  rows: number;
}

export interface GenerateResult {
  files: GeneratedFile[];
  truthFile: string;
}

const HEADERS = {
  customers: ["customer_id", "segment", "product", "region", "start_date", "end_date", "annual_value_eur"],
  contacts: [
    "contact_id",
    "customer_id",
    "ts",
    "channel",
    "reason",
    "direction",
    "wait_s",
    "handle_s",
    "transfers",
    "resolved",
    "complaint",
    "cost_eur",
  ],
  web_events: ["event_id", "session_id", "customer_id", "ts", "channel", "page", "reason", "action"],
  feedback: [
    "feedback_id",
    "customer_id",
    "contact_id",
    "ts",
    "source",
    "nps",
    "ces",
    "csat",
    "text",
    "language",
  ],
} as const;

export const MAX_CUSTOMERS = 5_000_000;

export async function generateOrganisation(options: GenerateOptions): Promise<GenerateResult> {
  const customers = options.customers ?? 20_000;
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new Error(`customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got ${customers}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`seed must be a whole number >= 0, got ${seed}`);
  const dir = resolve(options.outDir);
  await mkdir(dir, { recursive: true });
  const writers = {
    customers: new CsvWriter(join(dir, "customers.csv"), HEADERS.customers),
    contacts: new CsvWriter(join(dir, "contacts.csv"), HEADERS.contacts),
    web_events: new CsvWriter(join(dir, "web_events.csv"), HEADERS.web_events),
    feedback: new CsvWriter(join(dir, "feedback.csv"), HEADERS.feedback),
  };
  const counters = { K: 0, W: 0, S: 0, F: 0 };
  const sink: Sink = {
    customer: (c) => writers.customers.row(c),
    contact: (c) => writers.contacts.row(c),
    web: (c) => writers.web_events.row(c),
    feedback: (c) => writers.feedback.row(c),
    nextId: (kind) => `${kind}${String(++counters[kind]).padStart(8, "0")}`,
  };
  const tally = newTally();
  const root = new Rng(seed);
  for (let i = 0; i < customers; i++) {
    simulateCustomer(root.fork(i), i, sink, tally);
    if (i % 200 === 199 || i === customers - 1) {
      for (const w of Object.values(writers)) await w.flush();
      options.onProgress?.(i + 1, customers);
    }
  }
  for (const w of Object.values(writers)) await w.close();

  const small = {
    reasons: new CsvWriter(join(dir, "reasons.csv"), [
      "reason",
      "label_nl",
      "label_en",
      "lifecycle_stage",
      "colour",
    ]),
    costs: new CsvWriter(join(dir, "costs.csv"), ["channel", "cost_per_contact_eur"]),
    kpis: new CsvWriter(join(dir, "kpis.csv"), ["period", "name", "value", "segment"]),
  };
  for (const r of REASONS) small.reasons.row([r.code, r.label_nl, r.label_en, r.lifecycle_stage, r.colour]);
  for (const [ch, p] of Object.entries(CHANNELS)) small.costs.row([ch, p.cost.toFixed(2)]);
  const months = [...tally.months.entries()]
    .map(([k, v]) => ({ m: Number(k.split("|")[0]), segment: k.split("|")[1] as string, ...v }))
    .filter((x) => x.m >= 0 && x.m < 18)
    .sort((a, b) => a.m - b.m || a.segment.localeCompare(b.segment));
  for (const x of months) {
    const period = `${2025 + Math.floor(x.m / 12)}-${String((x.m % 12) + 1).padStart(2, "0")}-01`;
    small.kpis.row([period, "churn_rate", x.active ? (x.left / x.active).toFixed(6) : "0", x.segment]);
    small.kpis.row([period, "complaints", x.complaints, x.segment]);
    small.kpis.row([period, "contacts", x.contacts, x.segment]);
    small.kpis.row([period, "repeat_contacts", x.repeats, x.segment]);
    small.kpis.row([period, "revenue_eur", x.revenue.toFixed(2), x.segment]);
  }
  for (const w of Object.values(small)) await w.close();
  const truthFile = join(dir, "truth.json");
  await writeFile(truthFile, `${JSON.stringify(buildTruth(seed, customers, tally), null, 2)}\n`);
  const all = { ...writers, ...small };
  return {
    files: Object.entries(all).map(([table, w]) => ({ file: w.path, table, rows: w.rows })),
    truthFile,
  };
}
