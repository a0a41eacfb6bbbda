/**
 * The stored journeys computed in SQL equal the same computations in TypeScript on the same events, on every
 * engine, and every engine gives the same answers: the DFG, variants, the frequency filters, one case per job,
 * the first-order Markov counts and the jobs' sequences for conformance.
 *
 * Jobs by hand (job window 7 days; UTC): customer A visits web on "move" on 3 March 08:00, calls at 10:00 and
 * again on 6 March (3 days later: the same job), then calls on 20 March (14 days on: a new job); A also calls on
 * "bill" on 4 March (its own job), and leaves a survey (feedback has no reason: not in a job). Customer B does
 * "meter" in the app on 5 March and nothing else. Jobs: web>phone>phone (move), phone (move), phone (bill),
 * app (meter).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { type Dfg, discoverDfg, discoverVariants } from "./discover-dfg.js";
import { eventCount } from "./event-log.js";
import { filterLog } from "./filter-log.js";
import { markovModel } from "./markov-model.js";
import { storedConformance, storedJobVariants } from "./stored-conformance.js";
import { type JourneyOptions, storedDfg, storedJourneyLog, storedVariants } from "./stored-journeys.js";
import { storedMarkov } from "./stored-markov.js";

const FIXTURE = {
  customers: "customer_id\nA\nB",
  contacts: [
    "contact_id,customer_id,ts,channel,reason",
    "K1,A,2025-03-03T10:00:00Z,phone,move",
    "K2,A,2025-03-06T10:00:00Z,phone,move",
    "K3,A,2025-03-20T10:00:00Z,phone,move",
    "K4,A,2025-03-04T09:00:00Z,phone,bill",
  ].join("\n"),
  web_events: [
    "event_id,session_id,customer_id,ts,channel,page,reason",
    "W1,S1,A,2025-03-03T08:00:00Z,web,/verhuizen,move",
    "W2,S1,A,2025-03-03T08:03:00Z,web,/verhuizen/datum,move",
    "W3,S2,B,2025-03-05T18:00:00Z,app,/meterstand,meter",
    // Seven days after K2 and seven before K3: grouped on its own it would join the two move jobs into one; it
    // follows job 1 (within its window after the last contact) and the KEI's two jobs stay two.
    "W4,S3,A,2025-03-13T10:00:00Z,web,/verhuizen,move",
  ].join("\n"),
  feedback: "feedback_id,customer_id,ts,source,csat\nF1,A,2025-03-06T12:00:00Z,survey,2",
};

const engines = await testEngines();
const results = new Map<string, unknown>();
let dataDir = "";

beforeAll(async () => {
  dataDir = join(await tempDir(), "data");
  await generateOrganisation({ outDir: dataDir, customers: 400, seed: 3 });
}, 60_000);

const counts = (dfg: Dfg) => dfg.edges.map(({ from, to, count }) => `${from}>${to}:${count}`).sort();
const FILTERED: JourneyOptions = { cases: "job", activityCoverage: 0.9, variantCoverage: 0.8 };

describe.each(engines)("stored journeys on $name", (engine) => {
  let store: Store | undefined;
  let fixture: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    await ingestFiles(store, [dataDir], {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dataDir, "..", `r-${engine.name}.csv`),
    });
    fixture = await engine.open();
    const dir = await tempDir();
    await writeCsvFiles(dir, FIXTURE);
    await ingestFiles(fixture, [dir], { timeZone: "UTC", rejectsPath: join(dir, "r.csv") });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await fixture?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `DFG, variants, filters, jobs and Markov in SQL = TypeScript on the same events${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      const sqlDfg = await storedDfg(s);
      const log = await storedJourneyLog(s);
      const tsDfg = discoverDfg(log);
      expect(eventCount(log)).toBeGreaterThan(1000);
      expect(counts(sqlDfg)).toEqual(counts(tsDfg));
      expect(sqlDfg.start).toEqual(tsDfg.start);
      // Mean and 90th percentile the same in SQL as in kei (the median differs by definition: nearest rank).
      const perf = (dfg: Dfg) =>
        Object.fromEntries(dfg.edges.map((e) => [`${e.from}>${e.to}`, [e.meanSeconds, e.p90Seconds]]));
      expect(perf(sqlDfg)).toEqual(perf(tsDfg));
      expect(sqlDfg.end).toEqual(tsDfg.end);
      expect(Object.keys(sqlDfg.start)).toContain("visit:web:meterstand_doorgeven");
      // Variants counted in the database equal those of the same events counted in TypeScript.
      expect(await storedVariants(s)).toEqual(discoverVariants(log));

      // One case per job, and the frequency filters applied in SQL, against the same in TypeScript.
      const jobLog = await storedJourneyLog(s, { cases: "job" });
      expect(jobLog.cases.size).toBeGreaterThan(log.cases.size);
      expect(counts(await storedDfg(s, { cases: "job" }))).toEqual(counts(discoverDfg(jobLog)));
      const filteredTs = filterLog(jobLog, FILTERED);
      expect(filteredTs.cases.size).toBeLessThan(jobLog.cases.size);
      expect(filteredTs.cases.size).toBeGreaterThanOrEqual(0.8 * 0.9 * jobLog.cases.size);
      const filteredVariants = await storedVariants(s, FILTERED);
      expect(filteredVariants).toEqual(discoverVariants(filteredTs));
      const filteredDfg = await storedDfg(s, FILTERED);
      expect(counts(filteredDfg)).toEqual(counts(discoverDfg(filteredTs)));
      expect(filteredDfg.end).toEqual(discoverDfg(filteredTs).end);

      // The first-order Markov model counted in SQL = counted in kei from the log.
      const markov = await storedMarkov(s, 24);
      expect(markov).toEqual(markovModel(log, 24));

      const reasonJobs = await storedJobVariants(s, { reason: "meterstand_doorgeven" });
      expect(new Set(reasonJobs.map((j) => j.reason))).toEqual(new Set(["meterstand_doorgeven"]));

      const groupVariants = await storedVariants(s, { cases: "job", webActivity: "group" });
      expect(groupVariants.some((v) => v.variant.includes("visit:web:/mijn/meterstand"))).toBe(true);
      results.set(engine.name, { sqlDfg, filteredDfg, filteredVariants, markov, reasonJobs, groupVariants });
      expect(results.get(engine.name)).toEqual(results.get("duckdb"));
    },
  );

  it.skipIf(engine.skip !== undefined)(
    `jobs as cases, by hand${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const f = fixture as Store;
      const jobs = await storedJobVariants(f);
      const byKey = (j: { reason: string; variant: readonly string[] }) =>
        `${j.reason}:${j.variant.join(">")}`;
      expect(jobs.map((j) => `${byKey(j)}=${j.count}`).sort()).toEqual([
        "bill:phone:bill=1",
        "meter:visit:app:meter=1",
        "move:phone:move=1",
        "move:visit:web:move>phone:move>phone:move>visit:web:move=1",
      ]);
      const log = await storedJourneyLog(f, { cases: "job" });
      // B's visit without a contact is a self-service episode (-1), not one of the KEI's jobs.
      expect([...log.cases.keys()].sort()).toEqual(["A|bill|1", "A|move|1", "A|move|2", "B|meter|-1"]);
      // Per customer, the survey is in A's journey; the move job's web visit counts once (one session).
      const byCustomer = await storedJourneyLog(f);
      expect(byCustomer.cases.get("A")?.map((e) => e.activity)).toEqual([
        "visit:web:move",
        "phone:move",
        "phone:bill",
        "phone:move",
        "feedback:survey",
        "visit:web:move",
        "phone:move",
      ]);
      expect(byCustomer.cases.get("A")?.[0]?.attributes).toEqual({
        "kei:source": "visit",
        "kei:id": "W1",
        channel: "web",
        reason: "move",
      });
      expect(byCustomer.cases.get("A")?.[4]?.attributes).toEqual({
        "kei:source": "feedback",
        "kei:id": "F1",
        channel: "feedback",
      });
      // Visits by page group (one segment): S1's two pages are one visit to /verhuizen.
      const groups = await storedJourneyLog(f, { webActivity: "group", options: { pageGroupDepth: 1 } });
      expect(groups.cases.get("A")?.[0]?.activity).toBe("visit:web:/verhuizen");
      expect(groups.cases.get("A")).toHaveLength(7);
      expect(groups.cases.get("B")?.map((e) => e.activity)).toEqual(["visit:app:/meterstand"]);
      const groupJobs = await storedJourneyLog(f, {
        cases: "job",
        webActivity: "group",
        options: { pageGroupDepth: 2, pageGroups: { "/verhuizen": "Verhuizen" } },
      });
      expect(groupJobs.cases.get("A|move|1")?.map((e) => e.activity)).toEqual([
        "visit:web:Verhuizen",
        "phone:move",
        "phone:move",
        "visit:web:Verhuizen",
      ]);
      // The move jobs are the KEI's two jobs (kei index counts the same).
      const [move] = await storedConformance(f, { move: ["visit:web", "phone"] });
      expect(move).toMatchObject({ cases: 2, jobs: 2, selfService: 0, following: 0, withDetours: 1 });
      expect(move?.deviations).toEqual([
        { kind: "extra", step: "phone:move", jobs: 1, share: 0.5 },
        { kind: "extra", step: "visit:web:move", jobs: 1, share: 0.5 },
        { kind: "skipped", step: "visit:web:move", jobs: 1, share: 0.5 },
      ]);
      const [meter] = await storedConformance(f, { meter: [["visit:web"], ["visit:app"]] });
      expect(meter).toMatchObject({ cases: 1, jobs: 0, selfService: 1, following: 1, share: 1 });
      // A bare channel is a contact on it: B's meter episode is an app visit, not an app contact.
      const [asContact] = await storedConformance(f, { meter: [["app"]] });
      expect(asContact).toMatchObject({ cases: 1, jobs: 0, selfService: 1, following: 0, share: 0 });
    },
  );
});
