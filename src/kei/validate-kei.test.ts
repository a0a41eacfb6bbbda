/**
 * kei validate: its arithmetic by hand, the planted churn effect found on the demo organisation, and the same
 * figures on every engine.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { solve } from "../stats/solve-linear.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { calibrateEase, type EaseCalibration } from "./calibrate-ease.js";
import { correlationFromSums, pearson, type Validation, validateKei } from "./validate-kei.js";

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

const engines = await testEngines();
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
      for (const [a, b] of [
        [v.jobs.easeCorrelation, ref.jobs.easeCorrelation],
        [v.jobs.emotionCorrelation, ref.jobs.emotionCorrelation],
        [v.nps.scoreCorrelation, ref.nps.scoreCorrelation],
        ...v.months.kei.map((x, i) => [x, ref.months.kei[i]]),
        ...v.months.churnRate.map((x, i) => [x, ref.months.churnRate[i]]),
        [w.effectiveness, ref.fittedWeights?.effectiveness],
        [w.ease, ref.fittedWeights?.ease],
      ] as [number, number][]) {
        expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 1e-9 + 1e-12);
      }
    },
  );
});
