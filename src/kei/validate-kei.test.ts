/**
 * kei validate: its arithmetic by hand (the relative risk's interval clustered by customer, on a fixture of four
 * customers ingested into every engine), the planted churn effect found on the demo organisation, and the same
 * figures on every engine.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { solve } from "../stats/solve-linear.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { calibrateEase, type EaseCalibration } from "./calibrate-ease.js";
import type { ClusterSums } from "./validate-cluster-sums.js";
import { correlationFromSums, pearson, type Validation, validateKei } from "./validate-kei.js";
import { fisherInterval } from "./validate-months.js";
import { riskComparison } from "./validate-relative-risk.js";

describe("correlations", () => {
  it("pearson of a straight line is 1, of its mirror -1, and matches the sums form", () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearson([1, null, 3], [1, 2, null])).toBeNull();
    // x = 10, 20, 30, 40 with outcomes 0, 0, 1, 1: r = 0.894427 (by hand: cov 5/... = 2/sqrt(5)).
    const xs = [10, 20, 30, 40];
    const ys = [0, 0, 1, 1];
    const sums = { n: 4, sx: 100, sxx: 3000, sy: 2, sxy: 70 };
    expect(correlationFromSums(sums)).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(pearson(xs, ys)).toBeCloseTo(2 / Math.sqrt(5), 12);
  });
});

describe("solve", () => {
  it("solves a small system by hand and refuses a singular one", () => {
    // 2x + y = 5, x - y = 1  ->  x = 2, y = 1
    const x = solve(
      [
        [2, 1],
        [1, -1],
      ],
      [5, 1],
    ) as number[];
    expect(x[0]).toBeCloseTo(2, 12);
    expect(x[1]).toBeCloseTo(1, 12);
    expect(
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
  });
});

/**
 * The hand-worked fixture. Jobs on `storing` (7-day window), with the customer's end date:
 *   A (left 2025-05-01): 03-01 + 03-03 (not done right; left 61 days later), 04-01 + 04-02 (not done right; 30 days)
 *   B (stays):           03-05 + 03-06 (not done right), 04-20 (done right)
 *   C (left 2025-04-15): 03-10 (done right; left 36 days later)
 *   D (stays):           02-10, 03-20 (done right), 05-10 + 05-12 (not done right)
 * Two letters of E on 1 January and 31 December (reason overig) bound the data: E's own jobs are censored, and
 * leaving is observable up to 31 December, so every job above (before 2 October) is followed up for 90 days.
 * Not done right: N1 = 4 jobs, Y1 = 2 left (p1 = 0.5); done right: N0 = 4, Y0 = 1 (p0 = 0.25); RR = 2.
 * Per customer u_c = y1c/Y1 - n1c/N1 - y0c/Y0 + n0c/N0:
 *   A 2/2 - 2/4 = 0.5; B -1/4 + 1/4 = 0; C -1/1 + 1/4 = -0.75; D -1/4 + 2/4 = 0.25 (they sum to 0).
 * sum u^2 = 0.25 + 0 + 0.5625 + 0.0625 = 0.875; Var(log RR) = G/(G-1) x 0.875 = 4/3 x 0.875 = 7/6;
 * SE = 1.0801234; 1.959964 x SE = 2.1170031; interval exp(ln 2 -+ 2.1170031) = 0.2407838 to 16.6124142.
 * With 8 jobs (fewer than 100 per group) no relation is claimed.
 * Replicating each customer 30 times (G = 120, 120 jobs per group): every u_c is 1/30 of the above, so
 * sum u^2 = 120 x ... = 0.875/30, Var = 120/119 x 0.875/30 = 0.0294118, SE = 0.1714986,
 * interval exp(ln 2 -+ 0.3361311) = 1.4290589 to 2.7990448: above 1, so "more leaving" may be said.
 */
const FIXTURE = {
  customers: [
    "customer_id,segment,start_date,end_date,annual_value_eur",
    "A,particulier,2020-01-01,2025-05-01,1000",
    "B,particulier,2020-01-01,,1000",
    "C,zakelijk,2020-01-01,2025-04-15,3000",
    "D,particulier,2020-01-01,,1000",
    "E,particulier,2020-01-01,,",
  ].join("\n"),
  contacts: [
    "contact_id,customer_id,ts,channel,reason",
    "A1,A,2025-03-01T09:00:00Z,phone,storing",
    "A2,A,2025-03-03T09:00:00Z,phone,storing",
    "A3,A,2025-04-01T09:00:00Z,phone,storing",
    "A4,A,2025-04-02T09:00:00Z,phone,storing",
    "B1,B,2025-03-05T09:00:00Z,phone,storing",
    "B2,B,2025-03-06T09:00:00Z,phone,storing",
    "B3,B,2025-04-20T09:00:00Z,phone,storing",
    "C1,C,2025-03-10T09:00:00Z,phone,storing",
    "D1,D,2025-02-10T09:00:00Z,phone,storing",
    "D2,D,2025-03-20T09:00:00Z,phone,storing",
    "D3,D,2025-05-10T09:00:00Z,phone,storing",
    "D4,D,2025-05-12T09:00:00Z,phone,storing",
    "E1,E,2025-01-01T12:00:00Z,letter,overig",
    "E2,E,2025-12-31T12:00:00Z,letter,overig",
  ].join("\n"),
};

/** Cluster sums built in JS from per-customer totals (y1, n1, y0, n0), as the database would return them. */
function sumsOf(perCustomer: readonly [number, number, number, number][]): ClusterSums {
  const names = ["jy1", "jn1", "jy0", "jn0"];
  const i = (k: string) => names.indexOf(k);
  return {
    customers: perCustomer.length,
    total: (k) => {
      if (k === "jk1") return perCustomer.reduce((a, c) => a + c[1], 0);
      if (k === "jl1") return perCustomer.reduce((a, c) => a + c[0], 0);
      if (k === "jk0") return perCustomer.reduce((a, c) => a + c[3], 0);
      if (k === "jl0") return perCustomer.reduce((a, c) => a + c[2], 0);
      return perCustomer.reduce((a, c) => a + (c[i(k)] as number), 0);
    },
    cross: (k, l) => perCustomer.reduce((a, c) => a + (c[i(k)] as number) * (c[i(l)] as number), 0),
  };
}

const HAND: [number, number, number, number][] = [
  [2, 2, 0, 0], // A: y1, n1, y0, n0
  [0, 1, 0, 1], // B
  [0, 0, 1, 1], // C
  [0, 1, 0, 2], // D
];

describe("relative risk clustered by customer, by hand", () => {
  it("gives the interval worked out above, and claims a relation only with enough jobs", () => {
    const r = riskComparison(sumsOf(HAND), "j");
    expect(r.relativeRisk).toBeCloseTo(2, 12);
    expect(r.interval?.[0]).toBeCloseTo(0.2407838, 6);
    expect(r.interval?.[1]).toBeCloseTo(16.6124142, 6);
    expect(r.relation).toBe("too-few");
    const many = riskComparison(sumsOf(Array.from({ length: 30 }, () => HAND).flat()), "j");
    expect(many.relativeRisk).toBeCloseTo(2, 12);
    expect(many.interval?.[0]).toBeCloseTo(1.4290589, 6);
    expect(many.interval?.[1]).toBeCloseTo(2.7990448, 6);
    expect(many.relation).toBe("more-leaving");
    // Nobody left: no relation, whatever the counts.
    const none = riskComparison(
      sumsOf(Array.from({ length: 200 }, () => [0, 1, 0, 1] as [number, number, number, number])),
      "j",
    );
    expect(none.relation).toBe("no-churn");
    expect(none.interval).toBeNull();
    // An interval that contains 1: no relation shown (each customer one job of each kind; a quarter leave after
    // the job not done right only, a quarter after the one done right only: p1 = p0 = 0.25).
    const flat = riskComparison(
      sumsOf(
        Array.from(
          { length: 200 },
          (_, k) =>
            (k % 4 === 0 ? [1, 1, 0, 1] : k % 4 === 1 ? [0, 1, 1, 1] : [0, 1, 0, 1]) as [
              number,
              number,
              number,
              number,
            ],
        ),
      ),
      "j",
    );
    expect(flat.relativeRisk).toBeCloseTo(1, 12);
    expect(flat.relation).toBe("none-shown");
  });

  it("gives Fisher intervals for monthly correlations", () => {
    // r = 0.5 over 12 months: tanh(atanh(0.5) -+ 1.959964 / 3) = tanh(0.5493061 -+ 0.6533213) = -0.1036 to 0.8345
    const [lo, hi] = fisherInterval(0.5, 12) as [number, number];
    expect(lo).toBeCloseTo(Math.tanh(Math.atanh(0.5) - 1.959964 / 3), 12);
    expect(lo).toBeCloseTo(-0.1036, 4);
    expect(hi).toBeCloseTo(0.8345, 4);
    expect(fisherInterval(0.5, 3)).toBeNull();
  });
});

const engines = await testEngines();
describe.each(engines)("kei validate on the hand-worked fixture, on $name", (engine) => {
  let v: Validation | undefined;
  let valued: Validation | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    const store = await engine.open();
    try {
      const dir = await writeCsvFiles(join(await tempDir(), "fixture"), FIXTURE);
      await ingestFiles(store, [dir], { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") });
      v = await validateKei(store);
      valued = await validateKei(store, {}, { weight: "value" });
      await expect(validateKei(store, {}, { weight: "euros" as "value" })).rejects.toThrow(
        'unknown weight "euros"; weights: count, value',
      );
    } finally {
      await store.close();
      await engine.cleanup();
    }
  }, 120_000);

  it.skipIf(engine.skip !== undefined)(
    `gives the relative risk and interval worked out by hand${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    () => {
      const r = v as Validation;
      expect(r.dataEnd).toBe("2025-12-31");
      expect(r.observedUntil).toBe("2025-12-31");
      expect(r.cutoff).toBe("2025-10-02");
      expect(r.jobs.notEffective).toEqual({ n: 4, left: 2, rate: 0.5 });
      expect(r.jobs.effective).toEqual({ n: 4, left: 1, rate: 0.25 });
      expect(r.jobs.customers).toBe(4);
      expect(r.jobs.relativeRisk).toBeCloseTo(2, 12);
      expect(r.jobs.relativeRiskCi?.[0]).toBeCloseTo(0.2407838, 6);
      expect(r.jobs.relativeRiskCi?.[1]).toBeCloseTo(16.6124142, 6);
      expect(r.jobs.relation).toBe("too-few");
      expect(r.verdict[0]).toContain("fewer than the 100 each that kei needs, no relation is claimed");
      // No NPS answers: nothing claimed about them.
      expect(r.nps.relation).toBe("too-few");
      // By annual value (A 1000, C 3000, B and D 1000): not done right 2000 of 4000 left (0.5); done right
      // C's 3000 of 3000 + 1000 + 2000 = 6000 (0.5): RR 1.
      const w = valued as Validation;
      expect(w.weight).toBe("value");
      expect(w.jobs.notEffective.rate).toBeCloseTo(0.5, 12);
      expect(w.jobs.effective.rate).toBeCloseTo(0.5, 12);
      expect(w.jobs.relativeRisk).toBeCloseTo(1, 12);
      expect(w.jobs.notEffective.n).toBe(4);
    },
  );
});

const results = new Map<string, Validation>();
const calibrations = new Map<string, EaseCalibration>();
let dataDir = "";

beforeAll(async () => {
  dataDir = join(await tempDir(), "data");
  await generateOrganisation({ outDir: dataDir, customers: 3000, seed: 5 });
}, 60_000);

describe.each(engines)("kei validate on $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    const files = ["customers", "contacts", "web_events", "feedback", "reasons", "costs", "kpis"].map((t) =>
      join(dataDir, `${t}.csv`),
    );
    await ingestFiles(store, files, {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dataDir, "..", `r-${engine.name}.csv`),
    });
    results.set(engine.name, await validateKei(store));
    calibrations.set(engine.name, await calibrateEase(store));
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `finds the planted churn effect, as DuckDB does${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    () => {
      const v = results.get(engine.name) as Validation;
      // Planted: each failed job adds a 10% (with a complaint 25%) chance of leaving within 90 days.
      expect(v.jobs.relativeRisk).toBeGreaterThan(2);
      // Its interval excludes 1, with enough jobs: a relation is claimed.
      const [lo, hi] = v.jobs.relativeRiskCi as [number, number];
      expect(lo).toBeGreaterThan(1);
      expect(lo).toBeLessThan(v.jobs.relativeRisk as number);
      expect(hi).toBeGreaterThan(v.jobs.relativeRisk as number);
      expect(v.jobs.relation).toBe("more-leaving");
      // NPS: on 3000 customers the detractors' excess may not be shown; it is never the other way round.
      expect(["more-leaving", "none-shown"]).toContain(v.nps.relation);
      // Follow-up ends on the last day leaving is observable, not before the last contact.
      expect((v.observedUntil as string) >= (v.dataEnd as string)).toBe(true);
      // The KEI against NPS on the same answers: an equal share flagged, and the planted effect runs through jobs.
      const same = v.sameCustomers;
      if (!same) throw new Error("no same-customer comparison");
      expect(Math.abs(same.keiShareFlagged - same.npsShareFlagged)).toBeLessThan(0.02);
      expect(same.kei.relativeRisk as number).toBeGreaterThan(same.nps.relativeRisk as number);
      // Complete months only, at the declared lags; no month ends after leaving is observable.
      expect(v.months.lags).toEqual([0, 1]);
      expect(v.months.keiLeadsChurn).toHaveLength(2);
      expect(v.months.dropped.length).toBeGreaterThan(0);
      for (const m of v.months.dropped) expect(v.months.month).not.toContain(m);
      expect(v.verdict.join(" ")).not.toContain("strongest");
      expect(v.jobs.notEffective.rate - v.jobs.effective.rate).toBeGreaterThan(0.05);
      expect(v.jobs.easeCorrelation).toBeLessThan(0);
      expect(v.nps.relativeRisk).toBeGreaterThan(1);
      expect(v.reach.withContact).toBeGreaterThan(v.reach.withNpsAnswer);
      expect(v.verdict.length).toBeGreaterThanOrEqual(4);
      // Churn was planted on failed jobs, so Effectiveness carries the most weight in explaining it.
      const w = v.fittedWeights;
      if (!w) throw new Error("no fitted weights");
      expect(w.effectiveness + w.ease + w.emotion).toBeCloseTo(1, 12);
      expect(w.effectiveness).toBeGreaterThan(w.ease);
      // Bootstrap intervals by customer hold the fitted weights; the out-of-sample check against equal weights ran.
      if (!w.intervals) throw new Error("no bootstrap intervals");
      for (const k of ["effectiveness", "ease", "emotion"] as const) {
        const [a, b] = w.intervals[k];
        expect(a).toBeLessThanOrEqual(w[k] + 1e-12);
        expect(b).toBeGreaterThanOrEqual(w[k] - 1e-12);
      }
      expect(w.outOfSample?.testJobs).toBeGreaterThan(100);
      expect(v.verdict.join(" ")).toContain("An offer to test");
      // CES calibration: weights sum to 1 and agree with CES at least as well as the defaults.
      const cal = calibrations.get(engine.name) as EaseCalibration;
      const cw = cal.calibrated;
      if (!cw) throw new Error("no calibration");
      expect(Object.values(cw).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(cal.correlationCalibrated as number).toBeGreaterThanOrEqual(
        (cal.correlationCurrent as number) - 1e-9,
      );
      const refCal = calibrations.get("duckdb") as EaseCalibration;
      expect(cal.n).toBe(refCal.n);
      expect(Math.abs(cw.contacts - (refCal.calibrated?.contacts ?? 0))).toBeLessThan(1e-9);
      const ref = results.get("duckdb") as Validation;
      expect(v.dataEnd).toBe(ref.dataEnd);
      expect(v.jobs.effective).toEqual(ref.jobs.effective);
      expect(v.jobs.notEffective).toEqual(ref.jobs.notEffective);
      expect(v.nps.detractors).toEqual(ref.nps.detractors);
      expect(v.reach).toEqual(ref.reach);
      expect(v.months.month).toEqual(ref.months.month);
      expect(v.observedUntil).toBe(ref.observedUntil);
      expect(v.sameCustomers?.units).toBe(ref.sameCustomers?.units);
      expect(v.sameCustomers?.kei.exposed).toEqual(ref.sameCustomers?.kei.exposed);
      for (const [a, b] of [
        [v.jobs.easeCorrelation, ref.jobs.easeCorrelation],
        [v.jobs.emotionCorrelation, ref.jobs.emotionCorrelation],
        [v.nps.scoreCorrelation, ref.nps.scoreCorrelation],
        ...v.months.kei.map((x, i) => [x, ref.months.kei[i]]),
        ...v.months.churnRate.map((x, i) => [x, ref.months.churnRate[i]]),
        ...(v.jobs.relativeRiskCi ?? []).map((x, i) => [x, ref.jobs.relativeRiskCi?.[i]]),
        ...(v.nps.relativeRiskCi ?? []).map((x, i) => [x, ref.nps.relativeRiskCi?.[i]]),
        ...(v.sameCustomers?.ratioCi ?? []).map((x, i) => [x, ref.sameCustomers?.ratioCi?.[i]]),
        ...v.months.keiLeadsChurn.map((x, i) => [x, ref.months.keiLeadsChurn[i]]),
        ...(["effectiveness", "ease", "emotion"] as const).flatMap((k) =>
          (w.intervals?.[k] ?? []).map((x, i) => [x, ref.fittedWeights?.intervals?.[k][i]]),
        ),
        [w.effectiveness, ref.fittedWeights?.effectiveness],
        [w.ease, ref.fittedWeights?.ease],
      ] as [number, number][]) {
        expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 1e-9 + 1e-12);
      }
    },
  );
});
