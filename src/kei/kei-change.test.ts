/**
 * The change from the previous month and its interval, against a fixture worked out by hand, on every engine.
 *
 * Options: Ease from waiting only (easeWeights wait 1, the rest 0), so a phone job's Ease is
 * 100 x (1 - min(1, wait / 1800 s)); no feedback, so no Emotion and KEI = (Effectiveness + Ease) / 2.
 * Two letters of customer D on 1 January and 30 June bound the data, so March and April are whole months.
 *
 *   March  A: 1 contact, wait 0             effective, Ease 100
 *          B: 2 contacts, waits 900 + 0     not effective, Ease 50
 *          C: 1 contact, wait 0             effective, Ease 100
 *          Effectiveness 200/3 = 66.667, Ease 250/3 = 83.333, KEI 75
 *   April  A: 1 contact, wait 0             effective, Ease 100
 *          B: 2 contacts, waits 1800 + 0    not effective, Ease 0
 *          E: 1 contact, wait 900           effective, Ease 50
 *          Effectiveness 66.667, Ease 50, KEI 58.333; change -16.667
 *
 * KEI: each part weighs 1/2 over 3 jobs, so psi_c = (1/6)(e_c + a_c - (m_e + m_a)) for a one-job customer.
 *   March (m_e + m_a = 150):  psi A = 50/6 = 8.333, B = -100/6 = -16.667, C = 8.333;
 *                             sum psi^2 = 15000/36; Var = 3/2 x 15000/36 = 625
 *   April (m_e + m_a = 116.667): psi A = 13.889, B = -19.444, E = 5.556; sum psi^2 = 21666.67/36; Var = 902.778
 *   Cov over A and B (in both): 3/2 x (13.889 x 8.333 + (-19.444) x (-16.667)) = 3/2 x 439.815 = 659.722
 *   Var(D) = 902.778 + 625 - 2 x 659.722 = 208.333; half-width 1.959964 x 14.4338 = 28.2897
 *   interval -16.667 +/- 28.290 = [-44.956, 11.623]: no clear change (ignoring that A and B are in both months
 *   the half-width would be 1.96 x sqrt(1527.78) = 76.6)
 * Effectiveness alone (psi = (e_c - 66.667)/3, the same in both months for A and B):
 *   Var 1111.111 each, Cov 3/2 x (11.111^2 + 22.222^2) = 925.926, Var(D) = 370.370: 0 +/- 37.719
 * Ease alone: March psi A 5.556, B -11.111, C 5.556 (Var 277.778); April psi A 16.667, B -16.667, E 0
 *   (Var 833.333); Cov 3/2 x (92.593 + 185.185) = 416.667; Var(D) = 277.778: -33.333 +/- 32.666 = [-66.0, -0.667],
 *   down.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { keiChange, previousPeriod, verdictOf } from "./kei-change.js";

const FIXTURE = {
  customers: ["customer_id,segment,product", "A,p,s", "B,p,s", "C,p,s", "D,p,s", "E,p,s"].join("\n"),
  reasons: ["reason,label_nl,label_en,lifecycle_stage", "storing,Storing,Outage,usage"].join("\n"),
  contacts: [
    "contact_id,customer_id,ts,channel,reason,wait_s,transfers,complaint,resolved",
    "A1,A,2025-03-04T09:00:00Z,phone,storing,0,,,",
    "B1,B,2025-03-05T09:00:00Z,phone,storing,900,,,",
    "B2,B,2025-03-06T09:00:00Z,phone,storing,0,,,",
    "C1,C,2025-03-10T09:00:00Z,phone,storing,0,,,",
    "A2,A,2025-04-14T09:00:00Z,phone,storing,0,,,",
    "B3,B,2025-04-15T09:00:00Z,phone,storing,1800,,,",
    "B4,B,2025-04-16T09:00:00Z,phone,storing,0,,,",
    "E1,E,2025-04-20T09:00:00Z,phone,storing,900,,,",
    "D1,D,2025-01-01T12:00:00Z,letter,overig,,,,",
    "D2,D,2025-06-30T12:00:00Z,letter,overig,,,,",
  ].join("\n"),
};

const OPTIONS = {
  minCellSize: 1,
  minEmotionSignals: 1,
  maxKeiInterval: 100,
  easeWeights: { contacts: 0, switches: 0, wait: 1, transfers: 0, webToCall: 0 },
};

describe("previousPeriod and verdictOf", () => {
  it("steps back a calendar month or quarter, across a year", () => {
    expect(previousPeriod("month", "2025-01-01")).toBe("2024-12-01");
    expect(previousPeriod("month", "2025-03-01")).toBe("2025-02-01");
    expect(previousPeriod("quarter", "2025-01-01")).toBe("2024-10-01");
    expect(previousPeriod("quarter", "2025-07-01")).toBe("2025-04-01");
  });
  it("says up or down only when the interval leaves out 0", () => {
    expect(verdictOf([0.5, 3])).toBe("up");
    expect(verdictOf([-3, -0.1])).toBe("down");
    expect(verdictOf([-1, 2])).toBe("no clear change");
    expect(verdictOf([0, 2])).toBe("no clear change");
    expect(verdictOf(null)).toBeNull();
  });
});

const engines = await testEngines();

describe.each(engines)("the change from the previous month on a hand-worked fixture, $name", (engine) => {
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
    `gives April's change with its clustered interval${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const { cells, changes } = await keiChange(store as Store, {
        by: ["month"],
        where: { reason: "storing" },
        options: OPTIONS,
      });
      expect(cells.map((c) => c.key.month)).toEqual(["2025-03-01", "2025-04-01"]);
      expect(cells[0]?.kei).toBeCloseTo(75, 9);
      expect(cells[1]?.kei).toBeCloseTo(175 / 3, 9);
      const [march, april] = changes;
      expect(march?.status).toBe("no previous period");
      expect(march?.kei).toBeNull();
      expect(april?.status).toBe("compared");
      expect(april?.previous).toBe("2025-03-01");
      expect(april?.sharedCustomers).toBe(2);
      const half = 1.959964 * Math.sqrt(1875 / 9);
      expect(april?.kei?.change).toBeCloseTo(-50 / 3, 9);
      expect(april?.kei?.interval?.[0]).toBeCloseTo(-50 / 3 - half, 6);
      expect(april?.kei?.interval?.[1]).toBeCloseTo(-50 / 3 + half, 6);
      expect(april?.kei?.interval?.[0]).toBeCloseTo(-44.956, 3);
      expect(april?.kei?.verdict).toBe("no clear change");
      const halfE = 1.959964 * Math.sqrt(10000 / 27);
      expect(april?.effectiveness?.change).toBeCloseTo(0, 9);
      expect(april?.effectiveness?.interval?.[1]).toBeCloseTo(halfE, 6);
      const halfA = 1.959964 * Math.sqrt(2500 / 9);
      expect(april?.ease?.change).toBeCloseTo(-100 / 3, 9);
      expect(april?.ease?.interval?.[0]).toBeCloseTo(-100 / 3 - halfA, 6);
      expect(april?.ease?.interval?.[1]).toBeCloseTo(-0.667, 3);
      expect(april?.ease?.verdict).toBe("down");
      expect(april?.emotion).toBeNull();
    },
  );

  run(`says partial instead of a number${engine.skip ? ` (skipped: ${engine.skip})` : ""}`, async () => {
    // By month over every reason: January (D's censored letter) and June are partial; February to May have no jobs.
    const { changes } = await keiChange(store as Store, { by: ["month"], options: OPTIONS });
    const june = changes.find((c) => c.key.month === "2025-06-01");
    expect(june?.status).toBe("no previous period");
    const april = changes.find((c) => c.key.month === "2025-04-01");
    expect(april?.status).toBe("compared");
    const { changes: byQuarter } = await keiChange(store as Store, { by: ["quarter"], options: OPTIONS });
    // Q2 holds June's censored letter, Q1 January's: both partial.
    expect(byQuarter.find((c) => c.key.quarter === "2025-04-01")?.status).toBe("partial");
  });
});
