/**
 * Where the store is, from `--db` or the config file: a DuckDB file path, or a ClickHouse URL
 * `clickhouse://HOST:PORT/DATABASE` (one node) or `clickhouse://H1:P1,H2:P2/DATABASE?cluster=NAME`
 * (a sharded cluster; every node's HTTP address). The password never comes from here: it is read from
 * the environment variable KEI_CLICKHOUSE_PASSWORD.
 */

export type StoreLocation =
  | { readonly engine: "duckdb"; readonly path: string }
  | {
      readonly engine: "clickhouse";
      /** HTTP base URLs, e.g. http://127.0.0.1:8123 */
      readonly nodes: readonly string[];
      readonly database: string;
      readonly cluster?: string;
      readonly user: string;
      readonly password: string;
    };

export const DEFAULT_DUCKDB_PATH = "./kei.duckdb";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The address as it may appear in a message: any user part (`user:password@`, or a user name that may be a
 * password typed in the wrong place) is replaced by `***@`, so no credential reaches an error or a log.
 */
export function redactAddress(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
}

export function parseStoreLocation(
  db: string | undefined,
  env: Record<string, string | undefined> = process.env,
): StoreLocation {
  const value = (db ?? DEFAULT_DUCKDB_PATH).trim();
  const shown = redactAddress(value);
  if (!/^clickhouse:\/\//i.test(value)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw new Error(
        `unsupported store "${shown}": use a DuckDB file path or clickhouse://HOST:PORT/DATABASE`,
      );
    }
    return { engine: "duckdb", path: value };
  }
  const m = /^clickhouse:\/\/(?:([^@/]*)@)?([^/?]+)\/([^/?]+)(?:\?(.*))?$/i.exec(value);
  if (!m) {
    throw new Error(
      `bad ClickHouse address "${shown}": expected clickhouse://HOST:PORT/DATABASE or clickhouse://H1:P1,H2:P2/DATABASE?cluster=NAME`,
    );
  }
  const [, userPart, hosts = "", database = "", query] = m;
  if (userPart !== undefined && safeDecode(userPart).includes(":")) {
    throw new Error("put no password in the store address; set KEI_CLICKHOUSE_PASSWORD instead");
  }
  if (!IDENT.test(database)) throw new Error(`bad ClickHouse database name "${database}"`);
  const nodes = hosts.split(",").map((h) => {
    const hm = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(h.trim());
    if (!hm) throw new Error(`bad ClickHouse node "${h}" in "${shown}": expected HOST:PORT`);
    return `http://${hm[1]}:${hm[2] ?? "8123"}`;
  });
  const params = new URLSearchParams(query ?? "");
  for (const k of params.keys()) {
    if (k !== "cluster")
      throw new Error(`unknown option "${k}" in "${shown}"; the only option is cluster=NAME`);
  }
  const cluster = params.get("cluster") ?? undefined;
  if (cluster !== undefined && !IDENT.test(cluster)) throw new Error(`bad cluster name "${cluster}"`);
  if (nodes.length > 1 && !cluster) {
    throw new Error(`several ClickHouse nodes given in "${shown}" but no ?cluster=NAME`);
  }
  return {
    engine: "clickhouse",
    nodes,
    database,
    ...(cluster ? { cluster } : {}),
    user: userPart || env.KEI_CLICKHOUSE_USER || "default",
    password: env.KEI_CLICKHOUSE_PASSWORD ?? "",
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
