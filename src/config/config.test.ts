import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analysisOptionsFromConfig, DEFAULT_ANALYSIS_OPTIONS } from "../options/analysis-options.js";
import { loadConfig, parseConfig } from "./config.js";

describe("config", () => {
  it("fills the documented defaults", () => {
    const c = parseConfig({});
    expect(c.timeZone).toBe("Europe/Amsterdam");
    // The analysis section holds what the file sets; the defaults come from the options module.
    expect(c.analysis).toEqual({});
    expect(analysisOptionsFromConfig(c)).toEqual(DEFAULT_ANALYSIS_OPTIONS);
    expect(c.ingest.mappings).toEqual({});
  });
  it("accepts the example in the README, desired paths included", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const example = /## Configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    const config = parseConfig(JSON.parse(example ?? "null"), "README.md");
    expect(config.analysis.desiredPaths).toEqual({
      meterstand_doorgeven: [["visit:app"], ["visit:web"]],
      verhuizen: ["visit:web", "email"],
    });
    expect(() => parseConfig({ analysis: { desiredPaths: { verhuizen: [] } } })).toThrow(/desiredPaths/);
  });

  it("names the field and the problem", () => {
    expect(() => parseConfig({ analysis: { jobWindowDays: -1 } }, "my.json")).toThrow(
      "my.json is not a valid kei config:\n  analysis.jobWindowDays: must be a positive number of days, at most 90, got -1",
    );
    expect(() =>
      parseConfig({ analysis: { easeAnchors: { contacts: 4, switches: 2, waitSeconds: -5, transfers: 3 } } }),
    ).toThrow("analysis.easeAnchors.waitSeconds: must be a positive number, got -5");
    expect(() => parseConfig({ timezone: "UTC" })).toThrow(/Unrecognized key/);
    expect(() => parseConfig({ timeZone: "Mars/Olympus" })).toThrow(
      'timeZone: unknown time zone "Mars/Olympus"',
    );
    expect(() => parseConfig({ ingest: { mappings: { calls: {} } } })).toThrow(/ingest\.mappings/);
    expect(() =>
      parseConfig({
        analysis: { easeWeights: { contacts: 0.5, switches: 0.5, wait: 0.5, transfers: 0, webToCall: 0 } },
      }),
    ).toThrow("the weights must sum to 1");
  });
  it("reads a file, refuses a password in it, and needs a named file to exist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kei-config-"));
    const good = join(dir, "kei.config.json");
    await writeFile(
      good,
      JSON.stringify({ store: "x.duckdb", ingest: { mappings: { contacts: { Klant: "customer_id" } } } }),
    );
    const { config } = await loadConfig(good);
    expect(config.store).toBe("x.duckdb");
    expect(config.ingest.mappings.contacts).toEqual({ Klant: "customer_id" });
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ password: "x" }));
    await expect(loadConfig(bad)).rejects.toThrow("do not put a password in the config");
    await expect(loadConfig(join(dir, "missing.json"))).rejects.toThrow(/cannot read config/);
  });
});
