/**
 * The library's entry point (package.json "main") carries a whole run: store, ingest, the KEI and journeys; it
 * exports the faces and typed errors, never a SQL builder.
 */
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

it("exports the faces, options and typed errors, and no SQL builder", async () => {
  const names = Object.keys(kei);
  expect(names.filter((n) => /sql$/i.test(n) || ["raw", "ident", "join"].includes(n))).toEqual([]);
  for (const n of ["keiIndex", "storedDfg", "analysisOptions", "KeiError", "ConfigError", "StoreBusyError"])
    expect(names).toContain(n);
  // A library caller's mistake is typed like the CLI's: a KeiError of kind "usage".
  const store = await kei.openStore(kei.parseStoreLocation(join(await tempDir(), "kei.duckdb")));
  try {
    const refused = await kei.keiIndex(store, { by: ["week" as never] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(kei.KeiError);
    expect((refused as InstanceType<typeof kei.KeiError>).kind).toBe("usage");
    expect(kei.analysisOptionsFromConfig).toBeTypeOf("function");
    expect(() => kei.analysisOptions({ jobWindowDays: -1 })).toThrow(kei.UsageError);
  } finally {
    await store.close();
  }
});
