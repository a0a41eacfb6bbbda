/** The library's entry point (package.json "main") carries a whole run: store, ingest, the KEI and journeys. */
import { join } from "node:path";
import { expect, it } from "vitest";
import * as kei from "./index.js";
import { tempDir } from "./ingest/ingest-fixtures.js";

it("runs the demo organisation end to end through the package's public API", async () => {
  const dir = await tempDir();
  await kei.generateOrganisation({ outDir: join(dir, "data"), customers: 300, seed: 5 });
  const store = await kei.openStore(kei.parseStoreLocation(join(dir, "kei.duckdb")));
  try {
    const report = await kei.ingestFiles(store, [join(dir, "data")], {
      timeZone: "Europe/Amsterdam",
      rejectsPath: join(dir, "rejects.csv"),
    });
    const contacts = report.files.find((f) => f.table === "contacts");
    expect(contacts?.stored).toBeGreaterThan(1000);
    expect((await store.tableCounts()).contacts).toBe(contacts?.stored);
    const cells = await kei.keiIndex(store, { by: ["reason"] });
    expect(cells.reduce((a, c) => a + c.jobs, 0)).toBeGreaterThan(500);
    const log = await kei.storedJourneyLog(store, { cases: "job" });
    const dfg = await kei.storedDfg(store, { cases: "job" });
    expect(dfg.edges.reduce((a, e) => a + e.count, 0)).toBe(kei.eventCount(log) - log.cases.size);
  } finally {
    await store.close();
  }
}, 60_000);
