/**
 * The KEI engine against a fixture worked out by hand (10 contacts, 3 customers, 7 jobs), on every
 * engine (its invariants: kei-invariants.test.ts; the demo's planted order: kei-planted-order.test.ts).
 *
 * The jobs, by hand (defaults: 7-day window, 24 h web window, escalation above 2 transfers; ease penalty
 * = 0.30 x min(1, (contacts-1)/3) + 0.15 x min(1, switches/2) + 0.20 x min(1, sum of wait / channel norm)
 *   + 0.15 x min(1, transfers/3) + 0.20 x web-to-call; norms phone 1800 s, chat 600 s, email 172800 s):
 * 1 A storing   A1 phone 03-03 09:00Z + A2 chat 03-06 (3 days later: same job), web 1 h before A1.
 *               not effective; penalty .3/3 + .15/2 + .2 x (600/1800 + 60/600) + .15/3 + .2 = .5116667 -> 48.8333333;
 *               survey on A2: csat 2, nps 3 -> (25 + 30)/2 = 27.5
 * 2 A storing   A3 phone 03-20 (14 days after A2: new job); the web visit 2 days before is outside 24 h.
 *               effective, ease 100, no emotion
 * 3 A jaarafr.  A4 email 03-05, wait 7200 s (of the 2-day e-mail norm), web 30 min before. effective;
 *               penalty .2 x 7200/172800 + .2 -> 79.1666667; survey nps 9 (90) with text "Duidelijk en vriendelijk"
 *               (two positive terms: 100) -> 95; F6 without contact on 03-07 (csat 3: 50), in the windows of jobs 1
 *               and 3, counts for job 3 (it began last) -> (95 + 50) / 2 = 72.5
 * 4 B storing   B1 phone, 3 transfers: an escalation. not effective; penalty .15 + .2 x 300/1800 -> 81.6666667
 * 5 B jaarafr.  B2 phone 03-31 22:30Z (1 April 00:30 in Amsterdam) complaint + B3 phone 6 d 23.5 h later.
 *               not effective; penalty .1 -> 90; the complaint flag and the complaint feedback about B2 are one
 *               complaint: one signal of 0 -> 0
 * 6 B jaarafr.  B4 chat 8 days after B3: new job. effective, ease 100, no emotion
 * 7 C storing   C1 app 03-12 08:00Z + C2 app exactly 7 days later (same job). not effective; penalty .1 -> 90;
 *               survey csat 5 -> 100; a review without contact, by C a day after C1 (within the job and its window):
 *               "Slecht: lang gewacht", two negative terms -> 0; so (100 + 0) / 2 = 50
 * Two letters of an unknown customer D on 1 January and 30 June (reason overig) set the bounds of the data, so that
 * every job above has a full job window of data before and after it; D's own two jobs are censored (one starts
 * within a window of the first contact, the other's follow-up runs past the last), so overig has no Effectiveness.
 */

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { jobTableSql } from "../model/job-table.js";
import { analysisOptions } from "../options/analysis-options.js";
import { testEngines } from "../store/engine-fixtures.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { type KeiCell, keiIndex, wilson } from "./kei-index.js";
import { npsIndex, npsMargin } from "./nps-index.js";

const FIXTURE = {
  customers: [
    "customer_id,segment,product",
    "A,particulier,stroom",
    "B,zakelijk,gas",
    "C,particulier,stroom",
  ].join("\n"),
  reasons: [
    "reason,label_nl,label_en,lifecycle_stage",
    "storing,Storing,Outage,usage",
    "jaarafrekening,Jaarafrekening,Annual bill,billing",
  ].join("\n"),
  contacts: [
    "contact_id,customer_id,ts,channel,reason,wait_s,transfers,complaint,resolved",
    "A1,A,2025-03-03T09:00:00Z,phone,storing,600,1,,true",
    "A2,A,2025-03-06T09:00:00Z,chat,storing,60,0,,true",
    "A3,A,2025-03-20T09:00:00Z,phone,storing,0,0,,ja",
    "A4,A,2025-03-05T10:00:00Z,email,jaarafrekening,7200,0,false,1",
    "B1,B,2025-03-10T12:00:00Z,phone,storing,300,3,,false",
    "B2,B,2025-03-31T22:30:00Z,phone,jaarafrekening,0,0,true,true",
    "B3,B,2025-04-07T22:00:00Z,phone,jaarafrekening,,,,",
    "B4,B,2025-04-15T22:00:00Z,chat,jaarafrekening,,,,",
    "C1,C,2025-03-12T08:00:00Z,app,storing,0,,,yes",
    "C2,C,2025-03-19T08:00:00Z,app,storing,,,,",
    "D1,D,2025-01-01T12:00:00Z,letter,overig,,,,",
    "D2,D,2025-06-30T12:00:00Z,letter,overig,,,,",
  ].join("\n"),
  web_events: [
    "event_id,session_id,customer_id,ts,channel,page,reason",
    "W1,S1,A,2025-03-03T08:00:00Z,web,/storingen,storing",
    "W2,S2,A,2025-03-18T09:00:00Z,web,/storingen,storing",
    "W3,S3,A,2025-03-05T09:30:00Z,app,/mijn/jaarafrekening,jaarafrekening",
    "W4,S4,,2025-03-10T11:00:00Z,web,/storingen,storing",
    "W5,S5,B,2025-03-10T12:30:00Z,web,/storingen,storing",
  ].join("\n"),
  feedback: [
    "feedback_id,customer_id,contact_id,ts,source,nps,csat,text",
    "F1,A,A2,2025-03-06T12:00:00Z,survey,3,2,",
    "F2,A,A4,2025-03-05T12:00:00Z,survey,9,,Duidelijk en vriendelijk",
    "F3,B,B2,2025-04-01T09:00:00Z,complaint,,,Nog steeds een verkeerde jaarafrekening",
    "F4,C,C1,2025-03-12T12:00:00Z,survey,,5,",
    "F5,C,,2025-03-13T12:00:00Z,review,,,Slecht: lang gewacht",
    // Without a contact, within the windows of A's first storing job and A's jaarafrekening job: it counts for
    // the one that began last (jaarafrekening), not for both.
    "F6,A,,2025-03-07T12:00:00Z,web,,3,",
  ].join("\n"),
};

const OPTIONS = { minCellSize: 1, minEmotionSignals: 1, maxKeiInterval: 100 };

/** The KEI's clustered interval computed job by job, the way docs/methodology.md states it (equal weights). */
function clusteredKeiInterval(
  jobs: { customer: string; e: number; a: number; m: number | null }[],
  kei: number,
): [number, number] {
  const parts = [
    { pick: (j: (typeof jobs)[number]) => j.e as number | null },
    { pick: (j: (typeof jobs)[number]) => j.a as number | null },
    { pick: (j: (typeof jobs)[number]) => j.m },
  ].map((p) => {
    const xs = jobs.map(p.pick).filter((x): x is number => x !== null);
    return { ...p, n: xs.length, mean: xs.reduce((s, x) => s + x, 0) / xs.length };
  });
  const psi = new Map<string, number>();
  for (const j of jobs) {
    let v = psi.get(j.customer) ?? 0;
    for (const p of parts) {
      const x = p.pick(j);
      if (x !== null) v += ((1 / parts.length) * (x - p.mean)) / p.n;
    }
    psi.set(j.customer, v);
  }
  const g = psi.size;
  const variance = (g / (g - 1)) * [...psi.values()].reduce((s, v) => s + v * v, 0);
  const half = 1.959964 * Math.sqrt(variance);
  return [Math.max(0, kei - half), Math.min(100, kei + half)];
}
const kei3 = (a: number, b: number, c: number) => (a + b + c) / 3;

function expectCell(
  cell: KeiCell | undefined,
  want: { jobs: number; effectiveness: number; ease: number; emotion: number | null },
) {
  if (!cell) throw new Error("missing cell");
  expect(cell.jobs).toBe(want.jobs);
  expect(cell.effectiveness).toBeCloseTo(want.effectiveness, 9);
  expect(cell.ease).toBeCloseTo(want.ease, 9);
  if (want.emotion === null) expect(cell.emotion).toBeNull();
  else expect(cell.emotion).toBeCloseTo(want.emotion, 9);
  const kei =
    want.emotion === null
      ? (want.effectiveness + want.ease) / 2
      : kei3(want.effectiveness, want.ease, want.emotion);
  expect(cell.kei).toBeCloseTo(kei, 9);
}

const engines = await testEngines();

describe.each(engines)("KEI on the hand-worked fixture, $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    const dir = await tempDir();
    await writeCsvFiles(dir, FIXTURE);
    await ingestFiles(store, [dir], { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });
  const run = it.skipIf(engine.skip !== undefined);

  run(
    `finds the seven jobs with their figures${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      const jobs = await s.query<Record<string, unknown>>(
        sql`SELECT customer_id, reason, grp, channel, contacts, switches, wait_s, transfers, complaints, web_before, effective, ease, emotion,
          emotion_feedback, feedback_signals, complaint_signals
        FROM (${jobTableSql(s.dialect, analysisOptions())}) AS j ORDER BY customer_id, reason, grp`,
      );
      const rows = jobs.map((j) => [
        j.customer_id,
        j.reason,
        j.grp,
        j.channel,
        j.contacts,
        j.switches,
        j.wait_s,
        j.transfers,
        j.complaints,
        j.web_before,
        j.effective,
      ]);
      expect(rows).toEqual([
        ["A", "jaarafrekening", 1, "email", 1, 0, 7200, 0, 0, 1, 1],
        ["A", "storing", 1, "phone", 2, 1, 660, 1, 0, 1, 0],
        ["A", "storing", 2, "phone", 1, 0, 0, 0, 0, 0, 1],
        ["B", "jaarafrekening", 1, "phone", 2, 0, 0, 0, 1, 0, 0],
        ["B", "jaarafrekening", 2, "chat", 1, 0, 0, 0, 0, 0, 1],
        ["B", "storing", 1, "phone", 1, 0, 300, 3, 0, 0, 0],
        ["C", "storing", 1, "app", 2, 0, 0, 0, 0, 0, 0],
        ["D", "overig", 1, "letter", 1, 0, 0, 0, 0, 0, 1],
        ["D", "overig", 2, "letter", 1, 0, 0, 0, 0, 0, 1],
      ]);
      const ease = jobs.map((j) => Number(j.ease));
      // The e-mail's 2 hours are judged against the e-mail norm of 2 days, the chat's minute against 10 minutes.
      const want = [79.1666666667, 48.8333333333, 100, 90, 100, 81.6666666667, 90, 100, 100];
      ease.forEach((e, i) => {
        expect(e).toBeCloseTo(want[i] as number, 8);
      });
      expect(jobs.map((j) => (j.emotion === null ? null : Number(j.emotion)))).toEqual([
        72.5,
        27.5,
        null,
        0,
        null,
        null,
        50,
        null,
        null,
      ]);
      // B's first jaarafrekening job: B2 is flagged complaint and F3 is a complaint about B2, one complaint (one
      // signal of 0), not two. C's review F5 is a complaint-free text signal (0: "slecht", "lang gewacht").
      expect(
        jobs.map((j) => [
          Number(j.feedback_signals),
          Number(j.complaint_signals),
          j.emotion_feedback === null ? null : Number(j.emotion_feedback),
        ]),
      ).toEqual([
        [2, 0, 72.5],
        [1, 0, 27.5],
        [0, 0, null],
        [0, 1, null],
        [0, 0, null],
        [0, 0, null],
        [2, 0, 50],
        [0, 0, null],
        [0, 0, null],
      ]);
    },
  );

  run("by reason", async () => {
    const cells = await keiIndex(store as Store, { by: ["reason"], options: OPTIONS });
    expect(cells.map((c) => c.key.reason)).toEqual(["jaarafrekening", "overig", "storing"]);
    expectCell(cells[0], { jobs: 3, effectiveness: 200 / 3, ease: 269.1666666667 / 3, emotion: 36.25 });
    // D's two jobs are censored: no Effectiveness, so no KEI; Ease is still shown.
    expect(cells[1]).toMatchObject({ jobs: 2, censoredJobs: 2, effectiveness: null, kei: null, ease: 100 });
    expect(cells[1]?.effectivenessInterval).toBeNull();
    cells.splice(1, 1);
    expectCell(cells[1], { jobs: 4, effectiveness: 25, ease: 80.125, emotion: 38.75 });
    expect(cells[1]?.censoredJobs).toBe(0);
    expect(cells[1]?.emotionCoverage).toBe(0.5);
    // What agents say: first contacts flagged resolved, storing 3 of 4 jobs (75%) against 25% effective;
    // jaarafrekening 2 of the 2 jobs with a flag (job 6 has none).
    expect(cells[1]?.agentResolved).toBeCloseTo(75, 9);
    expect(cells[0]?.agentResolved).toBeCloseTo(100, 9);
    // Wilson 95% interval of 1 in 4: 4.56% to 69.94% (as in published tables).
    expect(cells[1]?.effectivenessInterval?.[0]).toBeCloseTo(4.56, 2);
    expect(cells[1]?.effectivenessInterval?.[1]).toBeCloseTo(69.94, 2);
    // Ease of the storing jobs 48.83, 100, 81.67, 90: mean 80.125, sample sd 22.167, 1.96 x sd / 2 = 21.72,
    // so 58.40 to 101.85, kept at 100.
    expect(cells[1]?.easeInterval?.[0]).toBeCloseTo(58.4, 2);
    expect(cells[1]?.easeInterval?.[1]).toBe(100);
    // Emotion 27.5 and 50: mean 38.75, sd 15.910, 1.96 x sd / sqrt 2 = 22.05: 16.70 to 60.80.
    expect(cells[1]?.emotionInterval?.[0]).toBeCloseTo(16.7, 2);
    expect(cells[1]?.emotionInterval?.[1]).toBeCloseTo(60.8, 2);
    // The KEI's interval, clustered by customer, against the formula applied job by job (A has two storing jobs).
    const storingJobs = [
      { customer: "A", e: 0, a: 48.8333333333, m: 27.5 },
      { customer: "A", e: 100, a: 100, m: null },
      { customer: "B", e: 0, a: 81.6666666667, m: null },
      { customer: "C", e: 0, a: 90, m: 50 },
    ];
    const want = clusteredKeiInterval(storingJobs, cells[1]?.kei as number);
    expect(cells[1]?.keiInterval?.[0]).toBeCloseTo(want[0], 6);
    expect(cells[1]?.keiInterval?.[1]).toBeCloseTo(want[1], 6);
    // By hand: means 25, 80.125, 38.75; psi_A = (12.5 - 2.8229 - 5.625) / 3 = 1.3403, psi_B = (-6.25 + 0.3854) / 3
    // = -1.9549, psi_C = (-6.25 + 2.4688 + 5.625) / 3 = 0.6146; 3/2 x (1.7963 + 3.8215 + 0.3777) = 8.9933;
    // 1.96 x sqrt(8.9933) = 5.878: 47.958 -/+ 5.878 = 42.08 to 53.84.
    expect(cells[1]?.keiInterval?.[0]).toBeCloseTo(42.081, 2);
    expect(cells[1]?.keiInterval?.[1]).toBeCloseTo(53.836, 2);
  });

  run(
    "NPS by the same cuts: one detractor (3, about storing by chat) and one promoter (9, jaarafrekening)",
    async () => {
      const s = store as Store;
      const all = await npsIndex(s, { by: [], options: OPTIONS });
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ responses: 2, promoters: 50, passives: 0, detractors: 50, nps: 0 });
      // Variance of one answer: 0.5 + 0.5 - 0^2 = 1; margin = 1.96 x sqrt(1/2) x 100 = 138.59 points.
      expect(all[0]?.margin).toBeCloseTo(138.59, 2);
      const byReason = await npsIndex(s, { by: ["reason", "channel"], options: OPTIONS });
      expect(byReason.map((c) => [c.key.reason, c.key.channel, c.nps, c.margin])).toEqual([
        ["jaarafrekening", "email", 100, 0],
        ["storing", "chat", -100, 0],
      ]);
      expect((await npsIndex(s, { by: ["segment"], options: { minCellSize: 3 } }))[0]?.suppressed).toBe(true);
    },
  );

  run("by month in Amsterdam: B's job of 31 March 22:30 UTC counts in April", async () => {
    const cells = await keiIndex(store as Store, { by: ["month"], options: OPTIONS });
    expect(cells.map((c) => [c.key.month, c.partial])).toEqual([
      ["2025-01-01", true],
      ["2025-03-01", false],
      ["2025-04-01", false],
      ["2025-06-01", true],
    ]);
    expectCell(cells[1], { jobs: 5, effectiveness: 40, ease: 399.6666666667 / 5, emotion: 50 });
    expectCell(cells[2], { jobs: 2, effectiveness: 50, ease: 95, emotion: 0 });
    const utc = await keiIndex(store as Store, { by: ["month"], options: { ...OPTIONS, timeZone: "UTC" } });
    expect(utc.map((c) => [c.key.month, c.jobs])).toEqual([
      ["2025-01-01", 1],
      ["2025-03-01", 6],
      ["2025-04-01", 1],
      ["2025-06-01", 1],
    ]);
  });

  run("by channel and segment, with filters, and suppression of small cells", async () => {
    const s = store as Store;
    const phone = await keiIndex(s, { by: ["channel"], where: { channel: "phone" }, options: OPTIONS });
    expect(phone).toHaveLength(1);
    expectCell(phone[0], { jobs: 4, effectiveness: 25, ease: 320.5 / 4, emotion: 13.75 });
    const seg = await keiIndex(s, { by: ["segment", "lifecycle"], options: OPTIONS });
    expect(seg.map((c) => [c.key.segment, c.key.lifecycle, c.jobs])).toEqual([
      ["", "", 2],
      ["particulier", "billing", 1],
      ["particulier", "usage", 3],
      ["zakelijk", "billing", 2],
      ["zakelijk", "usage", 1],
    ]);
    const april = await keiIndex(s, { by: ["reason"], from: "2025-04-01", options: OPTIONS });
    expect(april.map((c) => [c.key.reason, c.jobs])).toEqual([
      ["jaarafrekening", 2],
      ["overig", 1],
    ]);
    // Storing's Emotion rests on 2 signals: with the default minimum of 10 it is blank and the KEI uses two parts.
    const fewSignals = await keiIndex(s, {
      by: ["reason"],
      where: { reason: "storing" },
      options: { minCellSize: 1, maxKeiInterval: 100 },
    });
    expect(fewSignals[0]?.emotion).toBeNull();
    expect(fewSignals[0]?.kei).toBeCloseTo((25 + 80.125) / 2, 9);
    // Storing's KEI interval is 11.76 points wide (42.08 to 53.84): shown up to that width, withheld below it.
    const storing = { by: ["reason" as const], where: { reason: "storing" } };
    const precise = await keiIndex(s, { ...storing, options: { ...OPTIONS, maxKeiInterval: 11.8 } });
    expect(precise[0]).toMatchObject({ suppressed: false, suppressedBecause: null });
    const imprecise = await keiIndex(s, { ...storing, options: { ...OPTIONS, maxKeiInterval: 11.7 } });
    expect(imprecise[0]).toMatchObject({
      suppressed: true,
      suppressedBecause: "precision",
      kei: null,
      jobs: 4,
    });
    const suppressed = await keiIndex(s, {
      by: ["reason"],
      options: { minCellSize: 4, maxKeiInterval: 100 },
    });
    expect(suppressed.map((c) => [c.key.reason, c.suppressed, c.kei === null])).toEqual([
      ["jaarafrekening", true, true],
      ["overig", true, true],
      ["storing", false, false],
    ]);
    const injected = await keiIndex(s, {
      by: ["reason"],
      where: { reason: "storing' OR '1'='1" },
      options: OPTIONS,
    });
    expect(injected).toEqual([]);
  });
});

describe("npsMargin", () => {
  it("is 1.96 standard errors of the +1/0/-1 answers", () => {
    // 40% promoters, 20% detractors of 100: variance .4 + .2 - .2^2 = .56; 1.96 x sqrt(.0056) = 0.14667.
    expect(npsMargin(0.4, 0.2, 100)).toBeCloseTo(14.667, 3);
    expect(npsMargin(1, 0, 50)).toBe(0);
  });
});

describe("wilson", () => {
  it("matches published values and stays within 0-100", () => {
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 10)[1]).toBeCloseTo(27.75, 2);
    expect(wilson(1, 10)[1]).toBeCloseTo(100, 9);
    expect(wilson(0.5, 100)[0]).toBeCloseTo(40.38, 2);
    expect(wilson(0.5, 100)[1]).toBeCloseTo(59.62, 2);
  });
});
