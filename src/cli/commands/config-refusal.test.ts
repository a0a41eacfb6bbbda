/**
 * A command reads the config before it opens a store: a value that breaks an analysis option's rule stops
 * every command there as bad usage (exit 2), with the field's path, and a good config becomes the options
 * the analytics get, through the options module (src/options), not through a mapping of the CLI's own.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../ingest/ingest-fixtures.js";
import { analysisOptionsFromConfig, DEFAULT_ANALYSIS_OPTIONS } from "../../options/analysis-options.js";
import { UsageError } from "../cli-error.js";
import { loadContext } from "../context.js";

async function configFile(json: string): Promise<string> {
  const file = join(await tempDir(), "kei.config.json");
  await writeFile(file, json);
  return file;
}

describe("the CLI's config", () => {
  it("is refused when read, naming each field that breaks a rule", async () => {
    // As a user's file holds them: JSON text (1e400 reads as Infinity).
    const cases: [string, string][] = [
      [
        '{"analysis": {"easeAnchors": {"contacts": 4, "switches": 2, "waitSeconds": -5, "transfers": 3}}}',
        "analysis.easeAnchors.waitSeconds: must be a positive number, got -5",
      ],
      ['{"analysis": {"jobWindowDays": 0}}', "analysis.jobWindowDays: must be a positive number of days"],
      [
        '{"analysis": {"weights": {"effectiveness": 0.5, "ease": 0.5, "emotion": 0.5}}}',
        "analysis.weights: the weights must sum to 1, they sum to 1.5",
      ],
      [
        '{"analysis": {"minCellSize": 1e400}}',
        "analysis.minCellSize: must be a whole number of 1 or more, got Infinity",
      ],
      [
        '{"analysis": {"jobWindow": 7}}',
        'unknown analysis option "jobWindow"; the analysis options are: jobWindowDays,',
      ],
    ];
    for (const [json, message] of cases) {
      const refused = loadContext({ config: await configFile(json) });
      await expect(refused).rejects.toThrow(UsageError);
      await expect(refused).rejects.toThrow(message);
    }
  });

  it("becomes the analysis options, the defaults where it is silent", async () => {
    const file = await configFile(
      '{"timeZone": "UTC", "analysis": {"jobWindowDays": 3, "pageGroupDepth": 1}}',
    );
    const ctx = await loadContext({ config: file });
    expect(analysisOptionsFromConfig(ctx.config)).toEqual({
      ...DEFAULT_ANALYSIS_OPTIONS,
      jobWindowDays: 3,
      pageGroupDepth: 1,
      timeZone: "UTC",
    });
  });
});
