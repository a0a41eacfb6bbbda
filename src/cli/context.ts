/**
 * What every command shares: the config file, the store location (`--db` over the config's `store`
 * over the default), and opening the store with clear, typed errors (src/errors).
 */
import { type KeiConfig, loadConfig } from "../config/config.js";
import { KeiError, UnreachableError } from "../errors/kei-error.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { parseStoreLocation, type StoreLocation } from "../store/store-location.js";
import { UsageError } from "./cli-error.js";

export interface GlobalOptions {
  db?: string;
  config?: string;
  json?: boolean;
}

export interface Context {
  readonly config: KeiConfig;
  readonly location: StoreLocation;
  readonly json: boolean;
}

export async function loadContext(options: GlobalOptions, defaultDb?: string): Promise<Context> {
  // A bad config is a ConfigError, a usage error of its own.
  const { config } = await loadConfig(options.config);
  let location: StoreLocation;
  try {
    location = parseStoreLocation(options.db ?? config.store ?? defaultDb);
  } catch (e) {
    throw new UsageError((e as Error).message, { cause: e });
  }
  return { config, location, json: options.json === true };
}

/**
 * DuckDB's memory limit while ingesting, unless the config sets one: staging spills to disk beyond it, which
 * keeps an ingest of a million customers under 4 GiB (bench/ingest). Analyses get the store's default (half
 * the machine's memory): their per-case lists cannot spill.
 */
export const INGEST_MEMORY_LIMIT = "2GB";

export async function withStore<T>(
  ctx: Context,
  fn: (store: Store) => Promise<T>,
  defaults: { memoryLimit?: string } = {},
): Promise<T> {
  const memoryLimit = ctx.config.duckdb.memoryLimit ?? defaults.memoryLimit;
  let store: Store;
  try {
    store = await openStore(ctx.location, {
      ...(memoryLimit ? { memoryLimit } : {}),
      ...(ctx.config.duckdb.threads ? { threads: ctx.config.duckdb.threads } : {}),
    });
  } catch (e) {
    // The engines type most of their errors (busy, wrong login, refused connection); what they leave untyped
    // when opening (DuckDB cannot open the file, ClickHouse's ping fails, no such cluster) is a store kei
    // cannot reach or open. The message is the engine layer's own.
    if (e instanceof KeiError || !(e instanceof Error)) throw e;
    throw new UnreachableError(e.message, { cause: e });
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Writes the one JSON document of `--json` to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Human output goes to stdout; with --json, notes go to stderr so stdout holds only the JSON. */
export function say(ctx: Pick<Context, "json">, line: string): void {
  (ctx.json ? process.stderr : process.stdout).write(`${line}\n`);
}
