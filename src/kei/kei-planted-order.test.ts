/**
 * The demo organisation's planted order: per reason, the KEI's parts rank the reasons as the generator planted them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import type { Truth } from "../generate/truth.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { analysisOptions } from "../options/analysis-options.js";
import { spearman } from "../stats/spearman.js";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { sql } from "../store/sql.js";
import { keiIndex } from "./kei-index.js";

describe("the demo organisation's planted order", () => {
  it("per reason, effectiveness, ease and emotion rank the reasons as planted (Spearman >= 0.95)", async () => {
    const dir = await tempDir();
    await generateOrganisation({ outDir: join(dir, "data"), customers: 10_000, seed: 11 });
    const truth = JSON.parse(await readFile(join(dir, "data", "truth.json"), "utf8")) as Truth;
    const store = await DuckDBStore.open(join(dir, "kei.duckdb"));
    try {
      await store.ensureSchema();
      const files = ["customers", "contacts", "web_events", "feedback", "reasons", "costs"].map((t) =>
        join(dir, "data", `${t}.csv`),
      );
      await ingestFiles(store, files, { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") });
      const cells = await keiIndex(store, { by: ["reason"] });
      const codes = cells.map((c) => c.key.reason as string);
      const planted = (f: "fcr" | "ease" | "emotion") => codes.map((c) => truth.reasons[c]?.[f] as number);
      const eff = spearman(
        cells.map((c) => c.effectiveness as number),
        planted("fcr"),
      );
      // The planted ease drives waits, transfers and switches; the failing online flows are planted apart
      // (web_to_call), so the planted ease is compared with Ease's contact effort: Ease without its web-to-call
      // component. The full Ease puts meterstand_doorgeven and termijnbedrag_aanpassen lower by design.
      const webWeight = analysisOptions().easeWeights.webToCall;
      const effort = await store.query<{ reason: string; effort: number }>(
        sql`SELECT reason, avg(ease + ${100 * webWeight} * c_web) AS effort FROM jobs GROUP BY reason`,
      );
      const effortOf = new Map(effort.map((r) => [r.reason, Number(r.effort)]));
      const ease = spearman(
        codes.map((c) => effortOf.get(c) as number),
        planted("ease"),
      );
      const fullEase = spearman(
        cells.map((c) => c.ease as number),
        planted("ease"),
      );
      const emotion = spearman(
        cells.map((c) => c.emotion as number),
        planted("emotion"),
      );
      console.log(
        `Spearman vs planted: effectiveness ${eff.toFixed(3)}, ease (contact effort) ${ease.toFixed(3)} (full Ease ${fullEase.toFixed(3)}), emotion ${emotion.toFixed(3)}`,
      );
      expect(codes).toHaveLength(11);
      expect(eff).toBeGreaterThanOrEqual(0.95);
      expect(ease).toBeGreaterThanOrEqual(0.95);
      expect(emotion).toBeGreaterThanOrEqual(0.95);
    } finally {
      await store.close();
    }
  }, 120_000);
});
