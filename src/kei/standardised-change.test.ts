/**
 * The standardised KEI's change and its interval against the formula applied job by job in TypeScript (docs and
 * standardised-change.ts): on a small demo, every month's change and interval as the delta method gives them,
 * with the customers shared between months and reasons counted.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { analysisOptions } from "../options/analysis-options.js";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { testEngines } from "../store/engine-fixtures.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, dataCoverage } from "./data-coverage.js";
import { previousPeriod } from "./kei-change.js";
import { keiStandardised } from "./mix-standardised.js";
import { standardisedChanges } from "./standardised-change.js";

const OPTIONS = { minCellSize: 1, minEmotionSignals: 1, maxKeiInterval: 100 };
let store: DuckDBStore;
let dataDir = "";

beforeAll(async () => {
  const dir = await tempDir();
  dataDir = join(dir, "data");
  await generateOrganisation({ outDir: join(dir, "data"), customers: 300, seed: 3 });
  store = await DuckDBStore.open(join(dir, "kei.duckdb"));
  await store.ensureSchema();
  await ingestFiles(store, [join(dir, "data")], {
    timeZone: "Europe/Amsterdam",
    rejectsPath: join(dir, "r.csv"),
  });
}, 120_000);

interface Job {
  customer: string;
  month: string;
  reason: string;
  censored: number;
  effective: number;
  ease: number;
  emotion: number | null;
}

describe("the standardised KEI's change", () => {
  it("equals the delta method applied job by job", async () => {
    const o = analysisOptions(OPTIONS);
    const q = { by: ["month" as const], options: OPTIONS };
    const { rows, cells } = await keiStandardised(store, q);
    const changes = await standardisedChanges(store, q, rows, cells);
    const coverage = await dataCoverage(store, o);
    const jobs = (
      await store.query<Record<string, unknown>>(
        sql`SELECT customer_id, strftime(first_month, '%Y-%m-%d') AS month, reason, ${censoredSql(coverage, o)} AS censored,
          effective, ease, emotion FROM jobs`,
      )
    ).map(
      (r): Job => ({
        customer: String(r.customer_id),
        month: String(r.month),
        reason: String(r.reason),
        censored: Number(r.censored),
        effective: Number(r.effective),
        ease: Number(r.ease),
        emotion: r.emotion === null ? null : Number(r.emotion),
      }),
    );
    // The fixed mix and each cell's means, by hand.
    const mix = new Map<string, number>();
    for (const j of jobs) mix.set(j.reason, (mix.get(j.reason) ?? 0) + 1 / jobs.length);
    const cell = new Map<
      string,
      { se: number; ne: number; sa: number; na: number; sm: number; nm: number }
    >();
    for (const j of jobs) {
      const k = `${j.month}|${j.reason}`;
      const c = cell.get(k) ?? { se: 0, ne: 0, sa: 0, na: 0, sm: 0, nm: 0 };
      if (j.censored === 0) {
        c.se += 100 * j.effective;
        c.ne += 1;
      }
      c.sa += j.ease;
      c.na += 1;
      if (j.emotion !== null) {
        c.sm += j.emotion;
        c.nm += 1;
      }
      cell.set(k, c);
    }
    const months = [...new Set(jobs.map((j) => j.month))].sort();
    const w = o.weights;
    const standardised = new Map<string, { kei: number; coef: Map<string, number[]> } | null>();
    for (const m of months) {
      const inMonth = [...cell.entries()].filter(([k]) => k.startsWith(`${m}|`));
      const covered = (pick: (c: { ne: number; na: number; nm: number }) => number) =>
        inMonth
          .filter(([, c]) => pick(c) > 0)
          .reduce((s, [k]) => s + (mix.get(k.split("|")[1] as string) ?? 0), 0);
      const ce = covered((c) => c.ne);
      const ca = covered((c) => c.na);
      const cm = covered((c) => c.nm);
      if (ce < 0.5 || ca < 0.5) {
        standardised.set(m, null);
        continue;
      }
      const withEmotion = cm >= 0.5;
      const total = w.effectiveness + w.ease + (withEmotion ? w.emotion : 0);
      let kei = 0;
      const coef = new Map<string, number[]>();
      for (const [k, c] of inMonth) {
        const wr = mix.get(k.split("|")[1] as string) ?? 0;
        const ae = c.ne > 0 ? ((w.effectiveness / total) * (wr / ce)) / c.ne : 0;
        const aa = ((w.ease / total) * (wr / ca)) / c.na;
        const am = withEmotion && c.nm > 0 ? ((w.emotion / total) * (wr / cm)) / c.nm : 0;
        kei += ae * c.se + aa * c.sa + am * c.sm;
        coef.set(k, [ae, c.ne > 0 ? c.se / c.ne : 0, aa, c.sa / c.na, am, c.nm > 0 ? c.sm / c.nm : 0]);
      }
      standardised.set(m, { kei, coef });
    }
    const psi = new Map<string, Map<string, number>>();
    for (const j of jobs) {
      const s = standardised.get(j.month);
      if (!s) continue;
      const [ae, me, aa, ma, am, mm] = s.coef.get(`${j.month}|${j.reason}`) as number[];
      const v =
        (j.censored === 0 ? (ae as number) * (100 * j.effective - (me as number)) : 0) +
        (aa as number) * (j.ease - (ma as number)) +
        (j.emotion === null ? 0 : (am as number) * (j.emotion - (mm as number)));
      const byCustomer = psi.get(j.month) ?? new Map<string, number>();
      byCustomer.set(j.customer, (byCustomer.get(j.customer) ?? 0) + v);
      psi.set(j.month, byCustomer);
    }
    let compared = 0;
    for (const m of months) {
      const p = standardised.get(m);
      const prevMonth = previousPeriod("month", m);
      const qq = standardised.get(prevMonth);
      const got = changes.find((c) => c.key.month === m)?.change;
      const row = rows.find((r) => r.key.month === m);
      expect(row?.kei ?? null).toBeCloseTo(p?.kei ?? Number.NaN, 6);
      if (!p || !qq) {
        expect(got ?? null).toBeNull();
        continue;
      }
      const pp = psi.get(m) as Map<string, number>;
      const pq = psi.get(prevMonth) as Map<string, number>;
      const f = (x: Map<string, number>) => x.size / (x.size - 1);
      const ss = (x: Map<string, number>) => [...x.values()].reduce((s, v) => s + v * v, 0);
      let cross = 0;
      for (const [c, v] of pp) cross += v * (pq.get(c) ?? 0);
      const variance = f(pp) * ss(pp) + f(pq) * ss(pq) - 2 * Math.sqrt(f(pp) * f(pq)) * cross;
      const half = 1.959964 * Math.sqrt(variance);
      expect(got?.change).toBeCloseTo(p.kei - qq.kei, 6);
      expect(got?.interval?.[0]).toBeCloseTo(p.kei - qq.kei - half, 6);
      expect(got?.interval?.[1]).toBeCloseTo(p.kei - qq.kei + half, 6);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);
});

const engines = await testEngines();

describe.each(engines)("the standardised change on $name", (engine) => {
  it.skipIf(engine.skip !== undefined)(
    `equals DuckDB's${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const q = { by: ["month" as const], options: OPTIONS };
      const run = async (s: Store) => {
        const { rows, cells } = await keiStandardised(s, q);
        return (await standardisedChanges(s, q, rows, cells)).map((c) => ({
          month: c.key.month,
          change: c.change === null ? null : Number(c.change.change.toFixed(9)),
          lo: c.change?.interval ? Number(c.change.interval[0].toFixed(9)) : null,
          hi: c.change?.interval ? Number(c.change.interval[1].toFixed(9)) : null,
        }));
      };
      const other = await engine.open();
      try {
        await ingestFiles(other, [dataDir], {
          timeZone: "Europe/Amsterdam",
          rejectsPath: join(await tempDir(), "r.csv"),
        });
        expect(await run(other)).toEqual(await run(store));
      } finally {
        await other.close();
        await engine.cleanup();
      }
    },
    180_000,
  );
});
