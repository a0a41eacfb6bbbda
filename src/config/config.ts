/**
 * `kei.config.json`: the store, the time zone, column mappings and the analysis options. Every field is
 * optional; unknown fields are an error (a typo should not silently fall back to a default), and so is a
 * value outside its range, with the field's path. The analysis options' rules and defaults live in
 * src/options/ (`analysisOptionsFromConfig` turns a config into them). The ClickHouse password is never read
 * from this file: it comes from KEI_CLICKHOUSE_PASSWORD.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UsageError } from "../errors/kei-error.js";
import { DEFAULT_ANALYSIS_OPTIONS } from "../options/analysis-options.js";
import { analysisSectionSchema, timeZoneSchema } from "../options/analysis-options-schema.js";
import { TABLE_NAMES } from "../schema/tables.js";

const mappingSchema = z.record(z.string(), z.string());

export const configSchema = z
  .object({
    /** DuckDB file path or ClickHouse URL (see docs/scaling.md). */
    store: z.string().min(1).optional(),
    /** IANA zone for timestamps without an offset, and for cutting days, months and quarters. */
    timeZone: timeZoneSchema.default(DEFAULT_ANALYSIS_OPTIONS.timeZone),
    /** Language of labels in human output. */
    language: z.enum(["nl", "en"]).default("en"),
    ingest: z
      .object({
        /** Per table, input column name -> contract column name. */
        mappings: z.partialRecord(z.enum(TABLE_NAMES), mappingSchema).default({}),
        /** Folder for rejects files; default: beside the store (DuckDB) or the working folder. */
        rejectsDir: z.string().optional(),
        batchSize: z.number().int().min(100).max(1_000_000).default(5000),
      })
      .strict()
      .prefault({}),
    duckdb: z
      .object({
        /** DuckDB's memory limit, e.g. "8GB"; default half the machine's memory, at least 2 GB. */
        memoryLimit: z
          .string()
          .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i)
          .optional(),
        threads: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    /**
     * The analysis options but the time zone (src/options/analysis-options.ts gives each one's meaning, unit
     * and default); checked here, so a bad value stops kei when the config is read.
     */
    analysis: analysisSectionSchema.default({}),
  })
  .strict();

export type KeiConfig = z.infer<typeof configSchema>;

/** A config file kei cannot read or use; the message names the file and each field. */
export class ConfigError extends UsageError {}

export function parseConfig(value: unknown, source = "kei.config.json"): KeiConfig {
  const r = configSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  ${i.path.join(".") || "(top)"}: ${i.message}`).join("\n");
    throw new ConfigError(`${source} is not a valid kei config:\n${issues}`);
  }
  return r.data;
}

/**
 * Reads the config: the file named by `--config` (which must exist), else `./kei.config.json` when
 * present, else the defaults.
 */
export async function loadConfig(path?: string): Promise<{ config: KeiConfig; path: string | null }> {
  const file = path ?? "kei.config.json";
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (path === undefined && (e as NodeJS.ErrnoException).code === "ENOENT") {
      return { config: parseConfig({}), path: null };
    }
    throw new ConfigError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (json && typeof json === "object" && "password" in json) {
    throw new ConfigError(`${file}: do not put a password in the config; set KEI_CLICKHOUSE_PASSWORD`);
  }
  return { config: parseConfig(json, file), path: file };
}
