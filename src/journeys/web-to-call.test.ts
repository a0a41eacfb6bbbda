/**
 * Web-to-call with a baseline, by hand on a small fixture, against the demo's planted rates, and the same figures on
 * every engine.
 *
 * The fixture: April 2025 (30 days = 2,592,000 s, time zone UTC), window 24 h, five customers of one segment.
 * Visits (a session on one reason's pages; it ends at its last page on the reason):
 *   S1 A storing, /storingen 08:00 and /storingen/melden 08:05 on 3 April (ends 08:05)
 *   S2 A storing, /storingen/melden 10:00 on 3 April (a retry)
 *   S3 B storing, /storingen 12:00 on 10 April
 *   S4 C storing (app), /mijn/storing 09:00 on 20 April
 *   S5 E jaarafrekening (app), /mijn/jaarafrekening 10:00 on 5 April
 *   S6 is anonymous and S7 (A, /home) has no reason: neither is a visit.
 * Contacts: K1 A phone storing 3 April 11:00 (EUR 6.50 from costs) and K2 A chat storing 20:00 (own EUR 2) go to S2,
 * the latest storing visit before them, not to S1. K3 A phone jaarafrekening: A had no visit on it. K4 B storing
 * 12 April: 48 h after S3, outside the window. K5 C email storing 20 April 15:00 (own EUR 4) goes to S4. K7 C's
 * outbound call-back is no contact of the customer's. K6 and K8: D calls on storing 15 April 12:00 and chats 12 h later.
 *
 * Baseline, storing in April: 5 customers, A, B and C visited, so N = 2 comparable customers (D and E). D's covered
 * time is 24 h for K6 plus 12 h for K8 (the time since K6): 129,600 s, f_D = 0.05; f_E = 0. Baseline 0.05 / 2 =
 * 0.025, variance (0.05^2 - 2 x 0.025^2) / 1 / 2 = 0.000625. Jaarafrekening: N = 4 (all but E); A's K3 covers 24 h,
 * f_A = 1/30: baseline 1/120, variance (1/900 - 4/120^2) / 3 / 4 = 1/14400.
 *
 * storing: 4 visits, 2 followed (S2, S4): share 0.5, 3 contacts, EUR 12.50, excess 0.5 - 0.025 = 0.475. Clustered by
 * customer (A: 2 visits, 1 followed; B: 1, 0; C: 1, 1): sum (y_c - 0.5 n_c)^2 = 0 + 0.25 + 0.25 = 0.5, Var(share) =
 * 3/2 x 0.5 / 4^2 = 0.046875; Var(baseline) = 0.000625; 95% interval 0.475 +- 1.96 sqrt(0.0475).
 * Avoidable: 2 - 4 x 0.025 = 1.9 contacts at 12.50 / 3 a contact = EUR 7.9167.
 * jaarafrekening: 1 visit, none followed: excess -1/120, no interval (one customer), nothing avoidable.
 * Total: 5 visits, 2 followed (0.4), baseline (4 x 0.025 + 1/120) / 5; avoidable 1.9 (the sum over reasons).
 * Page groups (depth 1, /mijn/jaar named "Jaarafrekening"; a visit's group is its entry page's): /storingen holds
 * S1, S2, S3 (1 followed: excess contacts 1 - 3 x 0.025 = 0.925), /mijn holds S4 (1 - 0.025 = 0.975): storing's
 * 1.9 avoidable contacts split 0.925 and 0.975. Pages: /storingen/melden (S2) and /mijn/storing (S4) each have
 * 0.975 excess contacts and /storingen (S1, S3: none followed) -0.05; the two positive ones would add up to 1.95,
 * more than storing's 1.9, so each gets 1.9 x 0.975 / 1.95 = 0.95.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { type WebToCall, type WebToCallRow, webToCall } from "./web-to-call.js";

const FIXTURE = {
  customers: "customer_id,segment\nA,p\nB,p\nC,p\nD,p\nE,p",
  costs: "channel,cost_per_contact_eur\nphone,6.5\nchat,3.5",
  contacts: [
    "contact_id,customer_id,ts,channel,reason,direction,cost_eur",
    "K1,A,2025-04-03T11:00:00Z,phone,storing,,",
    "K2,A,2025-04-03T20:00:00Z,chat,storing,,2",
    "K3,A,2025-04-03T12:00:00Z,phone,jaarafrekening,,",
    "K4,B,2025-04-12T12:00:00Z,phone,storing,,",
    "K5,C,2025-04-20T15:00:00Z,email,storing,,4",
    "K6,D,2025-04-15T12:00:00Z,phone,storing,,",
    "K7,C,2025-04-20T16:00:00Z,phone,storing,outbound,",
    "K8,D,2025-04-16T00:00:00Z,chat,storing,,",
  ].join("\n"),
  web_events: [
    "event_id,session_id,customer_id,ts,channel,page,reason",
    "W1,S1,A,2025-04-03T08:00:00Z,web,/storingen,storing",
    "W2,S1,A,2025-04-03T08:05:00Z,web,/storingen/melden,storing",
    "W3,S2,A,2025-04-03T10:00:00Z,web,/storingen/melden,storing",
    "W4,S3,B,2025-04-10T12:00:00Z,web,/storingen,storing",
    "W5,S4,C,2025-04-20T09:00:00Z,app,/mijn/storing,storing",
    "W6,S5,E,2025-04-05T10:00:00Z,app,/mijn/jaarafrekening,jaarafrekening",
    "W7,S6,,2025-04-10T11:00:00Z,web,/storingen,storing",
    "W8,S7,A,2025-04-03T09:00:00Z,web,/home,",
  ].join("\n"),
};

const Z = 1.959963984540054;
const ci = (excess: number, variance: number): [number, number] => [
  excess - Z * Math.sqrt(variance),
  excess + Z * Math.sqrt(variance),
];
const PER_CONTACT = 12.5 / 3;
const TOTAL_BASELINE = (4 * 0.025 + 1 / 120) / 5;

/** The hand-worked rows: key, sessions, followed, contacts, EUR, customers, baseline, interval, avoidable. */
function row(
  key: string,
  [sessions, followed, contacts, costEur, customers]: number[],
  baselineRate: number,
  excessRateCi: [number, number] | null,
  avoidableContacts: number,
): WebToCallRow {
  const share = followed === undefined || sessions === undefined ? 0 : followed / sessions;
  return {
    key,
    sessions: sessions ?? 0,
    sessionsWithContact: followed ?? 0,
    share,
    contacts: contacts ?? 0,
    costEur: costEur ?? 0,
    customers: customers ?? 0,
    baselineRate,
    excessRate: share - baselineRate,
    excessRateCi,
    avoidableContacts,
    avoidableCostEur: avoidableContacts * PER_CONTACT,
  };
}

const EXPECTED = {
  total: row(
    "all",
    [5, 2, 3, 12.5, 4],
    TOTAL_BASELINE,
    ci(0.4 - TOTAL_BASELINE, ((4 / 3) * 0.72) / 25 + (16 * 0.000625 + 1 / 14400) / 25),
    1.9,
  ),
  byReason: [
    row("storing", [4, 2, 3, 12.5, 3], 0.025, ci(0.475, 0.046875 + 0.000625), 1.9),
    row("jaarafrekening", [1, 0, 0, 0, 1], 1 / 120, null, 0),
  ],
  byGroup: [
    row("/mijn", [1, 1, 1, 4, 1], 0.025, null, 0.975),
    row("/storingen", [3, 1, 2, 8.5, 2], 0.025, ci(1 / 3 - 0.025, (2 * (2 / 9)) / 9 + 0.000625), 0.925),
    row("Jaarafrekening", [1, 0, 0, 0, 1], 1 / 120, null, 0),
  ],
  byPage: [
    row("/mijn/storing", [1, 1, 1, 4, 1], 0.025, null, 0.95),
    row("/storingen/melden", [1, 1, 2, 8.5, 1], 0.025, null, 0.95),
    row("/mijn/jaarafrekening", [1, 0, 0, 0, 1], 1 / 120, null, 0),
    row("/storingen", [2, 0, 0, 0, 2], 0.025, ci(-0.025, 0.000625), 0),
  ],
};

/** Numbers to 9 significant digits: engines may sum floating-point values in another order. */
function rounded(value: unknown): unknown {
  if (typeof value === "number") return Number(value.toPrecision(9));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

const sum = (rows: readonly WebToCallRow[], f: (r: WebToCallRow) => number) =>
  rows.reduce((a, r) => a + f(r), 0);

const engines = await testEngines();
const results = new Map<string, { fixture: WebToCall; demo: WebToCall }>();
let demoDir = "";
let truth: { reasons: Record<string, { web_to_call: number; realised: { web_to_call: number } }> };

beforeAll(async () => {
  demoDir = join(await tempDir(), "data");
  const generated = await generateOrganisation({ outDir: demoDir, customers: 2000, seed: 9 });
  truth = JSON.parse(await readFile(generated.truthFile, "utf8"));
}, 60_000);

describe.each(engines)("web-to-call on $name", (engine) => {
  const stores: Store[] = [];
  beforeAll(async () => {
    if (engine.skip) return;
    const fixture = await engine.open();
    const demo = await engine.open();
    stores.push(fixture, demo);
    const dir = await tempDir();
    await writeCsvFiles(dir, FIXTURE);
    await ingestFiles(fixture, [dir], { timeZone: "UTC", rejectsPath: join(dir, "r.csv") });
    await ingestFiles(demo, [demoDir], { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r2.csv") });
    results.set(engine.name, {
      fixture: await webToCall(fixture, {
        minSessions: 1,
        options: { pageGroupDepth: 1, pageGroups: { "/mijn/jaar": "Jaarafrekening" }, timeZone: "UTC" },
      }),
      demo: await webToCall(demo),
    });
  }, 180_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await engine.cleanup();
  });
  const run = it.skipIf(engine.skip !== undefined);
  const skipped = engine.skip ? ` (skipped: ${engine.skip})` : "";
  const result = () => {
    const r = results.get(engine.name);
    if (!r) throw new Error("no results");
    return r;
  };

  run(`matches the hand-worked figures${skipped}`, () => {
    const { fixture } = result();
    expect(rounded(fixture)).toEqual(rounded({ windowHours: 24, ...EXPECTED }));
  });

  run(`rows add up to no more than the whole${skipped}`, () => {
    for (const r of [result().fixture, result().demo]) {
      for (const rows of [r.byPage, r.byGroup, r.byReason]) {
        expect(sum(rows, (x) => x.sessions)).toBeLessThanOrEqual(r.total.sessions);
        expect(sum(rows, (x) => x.contacts)).toBeLessThanOrEqual(r.total.contacts);
        expect(sum(rows, (x) => x.avoidableContacts)).toBeLessThanOrEqual(r.total.avoidableContacts + 1e-9);
        expect(sum(rows, (x) => x.avoidableCostEur)).toBeLessThanOrEqual(r.total.avoidableCostEur + 1e-9);
      }
    }
  });

  run(`recovers the demo's planted web-to-call rates${skipped}`, () => {
    const { demo } = result();
    // The online flows planted to fail (web-to-call 0.45 and 0.40) come first, their page groups too.
    expect(demo.byReason.slice(0, 2).map((t) => t.key)).toEqual([
      "meterstand_doorgeven",
      "termijnbedrag_aanpassen",
    ]);
    expect(demo.byGroup.slice(0, 2).map((g) => g.key)).toEqual(["/mijn/meterstand", "/mijn/termijnbedrag"]);
    // Every reason's baseline-adjusted rate is its planted rate within three standard errors.
    for (const r of demo.byReason) {
      const planted = truth.reasons[r.key]?.web_to_call;
      if (planted === undefined || !r.excessRateCi)
        throw new Error(`no planted rate or interval for ${r.key}`);
      const se = (r.excessRateCi[1] - r.excessRateCi[0]) / (2 * 1.959963984540054);
      expect(Math.abs(r.excessRate - planted), r.key).toBeLessThan(3 * se);
      expect(r.baselineRate, r.key).toBeLessThan(0.01);
    }
    expect(rounded(demo)).toEqual(rounded(results.get("duckdb")?.demo));
  });
});
