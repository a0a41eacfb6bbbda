/**
 * The stored journeys' DFG computed in SQL equals the DFG computed in TypeScript from the same events, on every
 * engine, and every engine gives the same graph.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { type Dfg, discoverDfg, discoverVariants } from "./discover-dfg.js";
import { eventCount } from "./event-log.js";
import { storedDfg, storedJourneyLog, storedVariants } from "./stored-journeys.js";

const engines = await testEngines();
const results = new Map<string, Dfg>();
let dataDir = "";

beforeAll(async () => {
  dataDir = join(await tempDir(), "data");
  await generateOrganisation({ outDir: dataDir, customers: 400, seed: 3 });
}, 60_000);

const counts = (dfg: Dfg) => dfg.edges.map(({ from, to, count }) => `${from}>${to}:${count}`).sort();

describe.each(engines)("stored journeys on $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    await ingestFiles(store, [dataDir], {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dataDir, "..", `r-${engine.name}.csv`),
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `DFG in SQL = DFG of the same events in TypeScript${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      const sqlDfg = await storedDfg(s);
      const log = await storedJourneyLog(s);
      const tsDfg = discoverDfg(log);
      expect(eventCount(log)).toBeGreaterThan(1000);
      expect(counts(sqlDfg)).toEqual(counts(tsDfg));
      expect(sqlDfg.start).toEqual(tsDfg.start);
      expect(sqlDfg.end).toEqual(tsDfg.end);
      expect(Object.keys(sqlDfg.start)).toContain("web:meterstand_doorgeven");
      // Variants counted in the database equal those of the same events counted in TypeScript.
      expect(await storedVariants(s)).toEqual(discoverVariants(log));
      results.set(engine.name, sqlDfg);
      const ref = results.get("duckdb") as Dfg;
      expect(sqlDfg).toEqual(ref);
    },
  );
});
