/**
 * The one demo organisation whose figures docs/methodology.md quotes: `kei demo --customers 5000 --seed 42`,
 * generated into a temporary folder, ingested into a DuckDB store there, handed to `use`, and removed after.
 * The draw is seeded, so every run sees the same data and the same figures.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateOrganisation } from "../generate/generate-organisation.js";
import type { Truth } from "../generate/truth.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { analysisOptions } from "../options/analysis-options.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";

/** The demo the methodology's figures are of: small enough to compute in seconds, large enough to show effects. */
export const DOC_DEMO = { customers: 5_000, seed: 42 } as const;

export async function withDemoStore<T>(use: (store: Store, truth: Truth) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "kei-doc-figures-"));
  try {
    const generated = await generateOrganisation({ outDir: join(dir, "data"), ...DOC_DEMO });
    const truth = JSON.parse(await readFile(generated.truthFile, "utf8")) as Truth;
    const store = await openStore({ engine: "duckdb", path: join(dir, "kei.duckdb") });
    try {
      // As `kei demo`: every generated table, times without an offset read in the default zone.
      await ingestFiles(
        store,
        generated.files.map((f) => f.file),
        { timeZone: analysisOptions().timeZone, rejectsPath: join(dir, "rejects.csv") },
      );
      return await use(store, truth);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
