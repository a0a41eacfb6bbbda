/**
 * The ClickHouse servers kei talks to: one HTTP client per node, queries returning plain rows typed the
 * same way the DuckDB store returns them, and clear errors for the usual ways a connection fails.
 */
import { type ClickHouseClient, ClickHouseLogLevel, createClient, type Logger } from "@clickhouse/client";
import { EngineError, UnreachableError } from "../../errors/kei-error.js";

export interface NodeOptions {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly database?: string;
}

/** Result columns named like these and typed UInt8 are the data model's booleans. */
const BOOLEAN_COLUMNS = new Set(["resolved", "complaint", "derived"]);

export class ClickHouseNode {
  readonly client: ClickHouseClient;

  constructor(readonly options: NodeOptions) {
    this.client = createClient({
      url: options.url,
      username: options.user,
      password: options.password,
      ...(options.database ? { database: options.database } : {}),
      // Large commits run long; the client's advice on progress headers concerns load balancers,
      // which a direct connection does not have, so its warning is silenced.
      request_timeout: 600_000,
      // The client's own logger prints failed requests with their stack traces to stderr; kei reports every
      // failure itself, once, as a message (see `explain`), so the client stays silent.
      log: { LoggerClass: SilentLogger, level: ClickHouseLogLevel.OFF },
      // A subquery over a Distributed table inside a query over another one (IN, JOIN) is run once and
      // shipped to the shards, instead of being refused: the same SQL then serves one node and a cluster.
      // join_use_nulls: a left join gives NULL, not 0 or '', where the right side has no row, as in DuckDB.
      clickhouse_settings: { distributed_product_mode: "global", join_use_nulls: 1 },
      compression: { request: false, response: false },
    });
  }

  /** Runs a statement that returns no rows. */
  async command(query: string, settings: Record<string, string | number> = {}): Promise<void> {
    try {
      await this.client.command({ query, clickhouse_settings: settings as never });
    } catch (e) {
      throw explain(e, this.options.url, query);
    }
  }

  async query<T = Record<string, unknown>>(query: string): Promise<T[]> {
    let doc: { meta: { name: string; type: string }[]; data: Record<string, unknown>[] };
    try {
      const r = await this.client.query({ query, format: "JSON" });
      doc = (await r.json()) as typeof doc;
    } catch (e) {
      throw explain(e, this.options.url, query);
    }
    const convert = doc.meta.map((m) => ({ name: m.name, fn: converter(m.name, m.type) }));
    return doc.data.map((row) => {
      for (const { name, fn } of convert) if (fn) row[name] = fn(row[name]);
      return row as T;
    });
  }

  async insert(
    table: string,
    values: Record<string, unknown>[],
    settings: Record<string, string | number> = {},
  ) {
    try {
      await this.client.insert({
        table,
        values,
        format: "JSONEachRow",
        clickhouse_settings: settings as never,
      });
    } catch (e) {
      throw explain(e, this.options.url, `INSERT INTO ${table}`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

class SilentLogger implements Logger {
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
}

/** The server refused kei's user or password. */
export class ClickHouseLoginError extends UnreachableError {}

type Convert = ((v: unknown) => unknown) | undefined;

/** How a JSON value of a ClickHouse type becomes the value the DuckDB store would return. */
function converter(name: string, type: string): Convert {
  const inner = /^Nullable\((.*)\)$/.exec(type)?.[1] ?? type;
  const wrap = (f: (v: unknown) => unknown) => (v: unknown) => (v === null ? null : f(v));
  if (/^U?Int(64|128|256)$/.test(inner)) return wrap((v) => Number(v));
  if (inner === "UInt8" && BOOLEAN_COLUMNS.has(name)) return wrap((v) => v === 1 || v === "1");
  if (/^DateTime(\('UTC'\))?$/.test(inner)) return wrap((v) => new Date(`${String(v).replace(" ", "T")}Z`));
  if (/^Array\(U?Int64\)$/.test(inner)) return wrap((v) => (v as unknown[]).map(Number));
  return undefined;
}

function explain(e: unknown, url: string, query: string): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(msg)) {
    return new UnreachableError(
      `cannot reach ClickHouse at ${url}: connection refused (is the server running?)`,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new UnreachableError(`cannot reach ClickHouse at ${url}: unknown host`);
  if (
    /Authentication failed|password is incorrect|Wrong password|Unknown user|Code: (192|193|194|516)\b/.test(
      msg,
    )
  ) {
    // Neither the user name nor the password is repeated: a user name can be a mistyped password.
    return new ClickHouseLoginError(
      `ClickHouse at ${url} refused the login (wrong user or password): check KEI_CLICKHOUSE_USER or the user in the address, and KEI_CLICKHOUSE_PASSWORD`,
    );
  }
  const short = query.length > 200 ? `${query.slice(0, 197)}...` : query;
  return new EngineError(`ClickHouse at ${url}: ${msg.split("\n")[0]} (in: ${short})`, { cause: e });
}
