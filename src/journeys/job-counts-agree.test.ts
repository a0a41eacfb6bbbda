/**
 * One definition of a job: on the demo organisation (with web visits, outbound call-backs and self-service), the
 * jobs per reason are the same in `kei index`, `kei journeys switching` and `kei journeys conformance`, on every
 * engine.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { keiIndex } from "../kei/kei-index.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { channelSwitching } from "./channel-switching.js";
import { storedConformance } from "./stored-conformance.js";

const engines = await testEngines();
let dataDir = "";

beforeAll(async () => {
  dataDir = join(await tempDir(), "data");
  await generateOrganisation({ outDir: dataDir, customers: 800, seed: 5 });
}, 120_000);

describe.each(engines)("job counts on $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    const files = ["customers", "contacts", "web_events", "feedback", "reasons", "costs"].map((t) =>
      join(dataDir, `${t}.csv`),
    );
    await ingestFiles(store, files, {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dataDir, `${engine.name}-rejects.csv`),
    });
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `agree across kei index, switching and conformance${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const s = store as Store;
      const index = await keiIndex(s, { by: ["reason"], options: { minCellSize: 1 } });
      const fromIndex = Object.fromEntries(index.map((c) => [c.key.reason as string, c.jobs]));
      const switching = await channelSwitching(s);
      expect(Object.fromEntries(switching.map((r) => [r.reason, r.jobs]))).toEqual(fromIndex);
      // Any path will do: the counts do not depend on it.
      const desired = Object.fromEntries(Object.keys(fromIndex).map((r) => [r, ["phone"]]));
      const conformance = await storedConformance(s, desired);
      expect(Object.fromEntries(conformance.map((c) => [c.reason, c.jobs]))).toEqual(fromIndex);
      // The demo's successful online attempts are self-service episodes, not jobs.
      expect(conformance.find((c) => c.reason === "meterstand_doorgeven")?.selfService).toBeGreaterThan(0);
      for (const c of conformance) expect(c.cases).toBe(c.jobs + c.selfService);
    },
    120_000,
  );
});
