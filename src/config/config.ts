/**
 * `kei.config.json`: the store, the time zone, column mappings and analysis defaults. Every field is
 * optional; unknown fields are an error (a typo should not silently fall back to a default). The
 * ClickHouse password is never read from this file: it comes from KEI_CLICKHOUSE_PASSWORD.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { assertTimeZone } from "../schema/local-time.js";
import { TABLE_NAMES } from "../schema/tables.js";

const mappingSchema = z.record(z.string(), z.string());

export const configSchema = z
  .object({
    /** DuckDB file path or ClickHouse URL (see docs/scaling.md). */
    store: z.string().min(1).optional(),
    /** IANA zone for timestamps without an offset, and for cutting months and quarters. */
    timeZone: z.string().default("Europe/Amsterdam"),
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
    analysis: z
      .object({
        /** A new contact for the same reason within this many days joins the same job. */
        jobWindowDays: z.number().positive().max(90).default(7),
        /** Web or app sessions this many hours before a contact join its job. */
        webWindowHours: z
          .number()
          .positive()
          .max(24 * 14)
          .default(24),
        /** More transfers than this in a job is an escalation loop. */
        escalationTransfers: z.number().int().min(0).default(2),
        /** Cells with fewer jobs are suppressed, not shown. */
        minCellSize: z.number().int().min(1).default(30),
        /** Where each effort component of Ease counts fully (docs/methodology.md). */
        easeAnchors: z
          .object({
            contacts: z.number().min(2),
            switches: z.number().positive(),
            waitSeconds: z.number().positive(),
            transfers: z.number().positive(),
          })
          .strict()
          .optional(),
        /** Weights of the effort components; they must sum to 1 (`kei calibrate` suggests some from CES). */
        easeWeights: z
          .object({
            contacts: z.number().min(0),
            switches: z.number().min(0),
            wait: z.number().min(0),
            transfers: z.number().min(0),
            webToCall: z.number().min(0),
          })
          .strict()
          .refine(
            (w) => Math.abs(Object.values(w).reduce((a, b) => a + b, 0) - 1) < 1e-6,
            "the weights must sum to 1",
          )
          .optional(),
        /** Web pages are grouped by the first this many segments of their path (web-to-call, journeys). */
        pageGroupDepth: z.number().int().min(1).max(10).default(2),
        /** Path prefix -> page group name, over the depth rule (the longest matching prefix wins). */
        pageGroups: z.record(z.string().min(1), z.string().min(1)).default({}),
        /**
         * Per contact reason, the path a job should take (`kei journeys conformance`), or a list of paths
         * accepted equally: activities such as "web:move", or a bare channel ("app") meaning that channel on
         * the reason. E.g. { "meterstand_doorgeven": [["app"], ["web"]], "verhuizen": ["web", "email"] }.
         */
        desiredPaths: z
          .record(
            z.string().min(1),
            z.union([z.array(z.string().min(1)).min(1), z.array(z.array(z.string().min(1)).min(1)).min(1)]),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type KeiConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function parseConfig(value: unknown, source = "kei.config.json"): KeiConfig {
  const r = configSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  ${i.path.join(".") || "(top)"}: ${i.message}`).join("\n");
    throw new ConfigError(`${source} is not a valid kei config:\n${issues}`);
  }
  try {
    assertTimeZone(r.data.timeZone);
  } catch (e) {
    throw new ConfigError(`${source}: timeZone: ${(e as Error).message}`);
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
