/**
 * Derived tables on ClickHouse, built under the store's write lock.
 * - One node: the table is built beside the old one (`<name>__build`, a MergeTree) by one INSERT ... SELECT,
 *   then swapped in by one RENAME of both tables, and the old one dropped.
 * - A cluster: rows are per customer, so every shard builds its part from its own rows: on each node a
 *   database `<db>_shard` holds views named like the input tables over that node's local tables, and the build
 *   query runs there unchanged into a new local table; then the Distributed table `<name>` is swapped for one
 *   over the new local tables (see `buildOnShards`).
 * A build killed half-way leaves the previous table readable; the next refresh drops the leftover and builds
 * again. Incremental (as on DuckDB, see duckdb-derived.ts): when only tables kept per customer changed since the
 * table's version and the customers touched are at most `INCREMENTAL_SHARE` of its customers, the new table is
 * the old one's rows of the other customers plus the touched customers' rows built again, swapped in the same way;
 * the touched ids are put in `kei_touched_now` where the build runs (on a cluster, on every node). Bookkeeping (fingerprint of the build query, data version, rows) goes to `kei_derived` after the swap:
 * a build that died before it counts as stale.
 */

import { TABLES } from "../../schema/tables.js";
import {
  buildFingerprint,
  checkDerivedSpec,
  customerInputs,
  type DerivedBuild,
  type DerivedColumn,
  type DerivedInputs,
  type DerivedTableSpec,
  PER_CUSTOMER_TABLES,
  scopedInputs,
} from "../derived/derived-table.js";
import type { Dialect } from "../dialect/dialect.js";
import { quoteIdentifier as q, raw, sql } from "../sql.js";
import type { ClickHouseLayout } from "./clickhouse-layout.js";
import { encodeLiteral } from "./clickhouse-literal.js";
import { ClickHouseNode } from "./clickhouse-nodes.js";

const TYPES: Record<DerivedColumn["type"], string> = {
  string: "String",
  integer: "Int64",
  number: "Float64",
  boolean: "UInt8",
  timestamp: "DateTime('UTC')",
  date: "Date",
};

export function derivedMetaDdl(db: string): string {
  return `CREATE TABLE IF NOT EXISTS ${q(db)}."kei_derived" ("name" String, "fingerprint" String, "data_version" UInt64, "rows" UInt64, "build" UInt64) ENGINE = MergeTree() ORDER BY "name"`;
}

function columnsDdl(spec: DerivedTableSpec): string {
  return spec.columns
    .map((c) => `${q(c.name)} ${c.nullable ? `Nullable(${TYPES[c.type]})` : TYPES[c.type]}`)
    .join(", ");
}

function mergeTree(db: string, name: string, spec: DerivedTableSpec): string {
  const key = spec.key.map((k) =>
    spec.columns.find((c) => c.name === k)?.nullable ? `ifNull(${q(k)}, '')` : q(k),
  );
  return `CREATE TABLE ${q(db)}.${q(name)} (${columnsDdl(spec)}) ENGINE = MergeTree() ORDER BY (${key.join(", ")})`;
}

/**
 * The SELECT the build inserts: the declared columns in order (an INSERT ... SELECT casts them to the
 * table's types by position; a `CAST(x) AS x` would be a cyclic alias on 18.16).
 */
function buildSelect(dialect: Dialect, spec: DerivedTableSpec): { text: string; fingerprint: string } {
  const { text } = dialect.render(spec.build(dialect));
  const cols = spec.columns.map((c) => q(c.name));
  return { text: `SELECT ${cols.join(", ")} FROM (${text})`, fingerprint: buildFingerprint(text, []) };
}

async function exists(node: ClickHouseNode, db: string, name: string): Promise<boolean> {
  const r = await node.query<{ n: number }>(
    `SELECT toInt64(count()) AS n FROM system.tables WHERE database = ${encodeLiteral(db)} AND name = ${encodeLiteral(name)}`,
  );
  return Number(r[0]?.n) > 0;
}

/** Puts `next` in the place of `target` with one RENAME (the old table is dropped after). */
async function swapIn(node: ClickHouseNode, db: string, target: string, next: string): Promise<void> {
  const [t, n, old] = [target, next, `${target}__old`].map((x) => `${q(db)}.${q(x)}`);
  if (await exists(node, db, target)) {
    await node.command(`DROP TABLE IF EXISTS ${old}`);
    await node.command(`RENAME TABLE ${t} TO ${old}, ${n} TO ${t}`);
    await node.command(`DROP TABLE IF EXISTS ${old}`);
  } else {
    await node.command(`RENAME TABLE ${n} TO ${t}`);
  }
}

/**
 * Rows per bucket of a full build, counted on the larger of contacts and web events (a setting object, so a test
 * can make buckets small). A derived table is per customer, so a big build runs as several INSERTs, each
 * over the customers of one hash bucket, and no query holds more than a bucket's jobs in memory (at 1,000,000
 * customers one INSERT of the whole jobs table passes 18.16's default per-query limit of 3.73 GiB).
 */
export const BUILD_BUCKETS = { rows: 2_000_000 };

/** The input tables restricted to the customers of hash bucket `i` of `n`; the other tables whole. */
export function bucketInputs(n: number, i: number): DerivedInputs {
  return scopedInputs((customer) => sql`cityHash64(${customer}) % ${n} = ${i}`);
}

/** The SELECTs of a full build, one per bucket of customers, for `rows` input rows (contacts or web events). */
function bucketSelects(dialect: Dialect, spec: DerivedTableSpec, rows: number): string[] {
  const n = Math.max(1, Math.ceil(rows / BUILD_BUCKETS.rows));
  const cols = spec.columns.map((c) => q(c.name)).join(", ");
  if (n === 1) return [`SELECT ${cols} FROM (${dialect.render(spec.build(dialect)).text})`];
  return Array.from(
    { length: n },
    (_, i) => `SELECT ${cols} FROM (${dialect.render(spec.build(dialect, bucketInputs(n, i))).text})`,
  );
}

async function countRows(node: ClickHouseNode, table: string): Promise<number> {
  const r = await node.query<{ n: number }>(`SELECT toInt64(count()) AS n FROM ${table}`);
  return Number(r[0]?.n ?? 0);
}

/** Rebuild only the touched customers while they are at most this share of the table's customers. */
export const INCREMENTAL_SHARE = 0.25;

/** What an incremental build needs: the customers to rebuild, and the build of only theirs. */
interface Increment {
  readonly customers: readonly string[];
  readonly select: string;
}

/** The touched ids as a table `kei_touched_now` in `db` on `node`, for the build that runs there. */
async function putTouched(node: ClickHouseNode, db: string, customers: readonly string[]): Promise<void> {
  const t = `${q(db)}."kei_touched_now"`;
  await node.command(`DROP TABLE IF EXISTS ${t}`);
  await node.command(`CREATE TABLE ${t} ("customer_id" String) ENGINE = MergeTree() ORDER BY "customer_id"`);
  for (let i = 0; i < customers.length; i += 100_000) {
    await node.insert(
      `${q(db)}."kei_touched_now"`,
      customers.slice(i, i + 100_000).map((c) => ({ customer_id: c })),
    );
  }
}

/** The old table's rows of the customers not touched, into `target`. */
function keptRows(spec: DerivedTableSpec, source: string, target: string): string {
  const cols = spec.columns.map((c) => q(c.name)).join(", ");
  return `INSERT INTO ${target} SELECT ${cols} FROM ${source} WHERE ${q(spec.customerColumn)} NOT IN (SELECT "customer_id" FROM "kei_touched_now")`;
}

/**
 * Fills `target` on `node` through `runner` (whose database holds the inputs by their plain names): incrementally
 * (the `current` table's other customers, then the touched customers built again, their ids put in `touchedDb`),
 * or in full, in buckets sized by the larger of the `inputs`' contacts and web events.
 */
async function fillTable(o: {
  node: ClickHouseNode;
  runner: ClickHouseNode;
  dialect: Dialect;
  spec: DerivedTableSpec;
  target: string;
  inputs: { contacts: string; webEvents: string };
  increment?: Increment | undefined;
  current?: string | undefined;
  touchedDb: string;
}): Promise<void> {
  if (o.increment) {
    if (!o.current)
      throw new Error(`derived table ${o.spec.name}: no table to keep rows from on ${o.node.options.url}`);
    await putTouched(o.node, o.touchedDb, o.increment.customers);
    await o.runner.command(keptRows(o.spec, o.current, o.target));
    await o.runner.command(`INSERT INTO ${o.target} ${o.increment.select}`);
    return;
  }
  const rows = Math.max(
    await countRows(o.node, o.inputs.contacts),
    await countRows(o.node, o.inputs.webEvents),
  );
  for (const select of bucketSelects(o.dialect, o.spec, rows)) {
    await o.runner.command(`INSERT INTO ${o.target} ${select}`);
  }
}

/** One node: the table is built beside the old one (`<name>__build`), then swapped in by one RENAME. */
async function buildOnNode(
  L: ClickHouseLayout,
  dialect: Dialect,
  spec: DerivedTableSpec,
  beforeSwap: () => Promise<void>,
  increment?: Increment,
): Promise<void> {
  const build = `${spec.name}__build`;
  await L.first.command(`DROP TABLE IF EXISTS ${L.name(build)}`);
  await L.first.command(mergeTree(L.db, build, spec));
  const runner = new ClickHouseNode({ ...L.first.options, database: L.db });
  try {
    await fillTable({
      node: L.first,
      runner,
      dialect,
      spec,
      target: L.name(build),
      inputs: { contacts: L.readable("contacts"), webEvents: L.readable("web_events") },
      increment,
      current: L.name(spec.name),
      touchedDb: L.db,
    });
  } finally {
    await runner.close();
  }
  await beforeSwap();
  await swapIn(L.first, L.db, spec.name, build);
}

/**
 * A cluster: every node builds its shard into `<name>_local_b<id>`; then each node's Distributed table
 * `<name>` is replaced, by one RENAME, with one over the new local tables. kei reads through the first node,
 * whose rename is the commit point: before it every query sees the previous version on every shard, after it
 * the new one. Local tables of earlier builds are dropped once every node has switched.
 */
async function buildOnShards(
  L: ClickHouseLayout,
  dialect: Dialect,
  spec: DerivedTableSpec,
  beforeSwap: () => Promise<void>,
  increment?: Increment,
): Promise<void> {
  const local = `${spec.name}_local_b${Date.now()}`;
  const next = `${spec.name}__next`;
  for (const node of L.nodes) {
    const shardDb = await shardViews(L, node, spec);
    const runner = new ClickHouseNode({ ...node.options, database: shardDb });
    try {
      await node.command(mergeTree(L.db, local, spec));
      const current = increment ? await currentLocal(L, node, spec.name, local) : undefined;
      await fillTable({
        node,
        runner,
        dialect,
        spec,
        target: L.name(local),
        inputs: { contacts: L.partitionTable("contacts"), webEvents: L.partitionTable("web_events") },
        increment,
        current: current === undefined ? undefined : L.name(current),
        touchedDb: shardDb,
      });
    } finally {
      await runner.close();
    }
  }
  await beforeSwap();
  for (const node of L.nodes) {
    await node.command(`DROP TABLE IF EXISTS ${L.name(next)}`);
    await node.command(
      `CREATE TABLE ${L.name(next)} (${columnsDdl(spec)}) ENGINE = Distributed(${q(L.cluster as string)}, ${q(L.db)}, ${q(local)}, cityHash64(${q(spec.customerColumn)}))`,
    );
    await swapIn(node, L.db, spec.name, next);
  }
  for (const node of L.nodes) {
    const old = await node.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = ${encodeLiteral(L.db)} AND startsWith(name, ${encodeLiteral(`${spec.name}_local_b`)}) AND name != ${encodeLiteral(local)}`,
    );
    for (const t of old) await node.command(`DROP TABLE IF EXISTS ${L.name(t.name)}`);
  }
}

/** The local table the node's Distributed table reads now: the newest `<name>_local_b<id>` other than `building`. */
async function currentLocal(
  L: ClickHouseLayout,
  node: ClickHouseNode,
  name: string,
  building: string,
): Promise<string | undefined> {
  const rows = await node.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = ${encodeLiteral(L.db)} AND startsWith(name, ${encodeLiteral(`${name}_local_b`)}) AND name != ${encodeLiteral(building)}`,
  );
  return rows
    .map((r) => r.name)
    .sort((a, b) => Number(b.slice(b.lastIndexOf("_b") + 2)) - Number(a.slice(a.lastIndexOf("_b") + 2)))[0];
}

/** On a cluster: `<db>_shard` on each node, with views named like the inputs over that node's own rows. */
async function shardViews(
  L: ClickHouseLayout,
  node: ClickHouseNode,
  spec: DerivedTableSpec,
): Promise<string> {
  const shardDb = `${L.db}_shard`;
  await node.command(`CREATE DATABASE IF NOT EXISTS ${q(shardDb)}`);
  for (const t of spec.reads) {
    // A table sharded by customer is read from this node's own rows; a small one sharded otherwise
    // (reasons, costs, kpis) whole, through its Distributed table.
    const source = TABLES[t].customerColumn ? L.partitionTable(t) : L.readable(t);
    await node.command(`CREATE VIEW IF NOT EXISTS ${q(shardDb)}.${q(t)} AS SELECT * FROM ${source}`);
  }
  return shardDb;
}

export async function clickhouseDerivedFresh(
  L: ClickHouseLayout,
  dialect: Dialect,
  spec: DerivedTableSpec,
  version: number,
): Promise<boolean> {
  const { fingerprint } = buildSelect(dialect, spec);
  const r = await L.first.query<{ f: string; v: number }>(
    `SELECT argMax("fingerprint", "build") AS f, toUInt64(argMax("data_version", "build")) AS v
     FROM ${L.name("kei_derived")} WHERE "name" = ${encodeLiteral(spec.name)} HAVING count() > 0`,
  );
  const m = r[0];
  return (
    m !== undefined &&
    m.f === fingerprint &&
    Number(m.v) === version &&
    (await exists(L.first, L.db, spec.name))
  );
}

type Plan =
  | { kind: "full" }
  | { kind: "kept" }
  | { kind: "incremental"; runs: number[]; customers: string[] };

/** How to bring a stale table built by the same query for version (run) `built` up to `version`. */
async function planRefresh(
  L: ClickHouseLayout,
  spec: DerivedTableSpec,
  built: number,
  version: number,
): Promise<Plan> {
  if (!(await exists(L.first, L.db, "kei_changes")) || !(await exists(L.first, L.db, "kei_touched"))) {
    return { kind: "full" };
  }
  const runs = (
    await L.first.query<{ run: number }>(
      `SELECT toUInt64("run") AS run FROM ${L.name("kei_runs")} WHERE "state" = 'committed' AND "run" > ${built} AND "run" <= ${version} GROUP BY "run"`,
    )
  ).map((r) => Number(r.run));
  if (runs.length === 0) return { kind: "full" };
  const inRuns = `(${runs.join(", ")})`;
  const changes = await L.first.query<{ run: number; tbl: string }>(
    `SELECT toUInt64("run") AS run, "tbl" FROM ${L.name("kei_changes")} WHERE "run" IN ${inRuns}`,
  );
  // Every run since must have recorded its changes (runs from before this record are unknown).
  if (new Set(changes.map((c) => Number(c.run))).size !== runs.length) return { kind: "full" };
  const read = changes.filter((c) => (spec.reads as readonly string[]).includes(c.tbl));
  if (read.length === 0) return { kind: "kept" };
  if (read.some((c) => !(PER_CUSTOMER_TABLES as readonly string[]).includes(c.tbl))) return { kind: "full" };
  const total = await L.first.query<{ n: number }>(
    `SELECT toInt64(uniqExact(${q(spec.customerColumn)})) AS n FROM ${L.name(spec.name)}`,
  );
  const customers = (
    await L.first.query<{ id: string }>(
      `SELECT "customer_id" AS id FROM ${L.name("kei_touched")} WHERE "run" IN ${inRuns} GROUP BY "customer_id"`,
    )
  ).map((r) => r.id);
  const n = Number(total[0]?.n ?? 0);
  if (n === 0 || customers.length > INCREMENTAL_SHARE * n) return { kind: "full" };
  return { kind: "incremental", runs, customers };
}

/** The last build's fingerprint and data version of a derived table, if any. */
async function lastBuild(L: ClickHouseLayout, name: string): Promise<{ f: string; v: number } | undefined> {
  const r = await L.first.query<{ f: string; v: number }>(
    `SELECT argMax("fingerprint", "build") AS f, toUInt64(argMax("data_version", "build")) AS v
     FROM ${L.name("kei_derived")} WHERE "name" = ${encodeLiteral(name)} HAVING count() > 0`,
  );
  const m = r[0];
  return m ? { f: m.f, v: Number(m.v) } : undefined;
}

export async function refreshClickHouseDerived(
  L: ClickHouseLayout,
  dialect: Dialect,
  specs: readonly DerivedTableSpec[],
  version: number,
  /** Called before a new version is swapped in: the build stops if it no longer holds the write lock. */
  beforeSwap: () => Promise<void> = async () => undefined,
): Promise<DerivedBuild[]> {
  const out: DerivedBuild[] = [];
  for (const spec of specs) {
    checkDerivedSpec(spec);
    const started = performance.now();
    const { fingerprint } = buildSelect(dialect, spec);
    const stale = !(await clickhouseDerivedFresh(L, dialect, spec, version));
    let plan: Plan = { kind: "full" };
    if (stale) {
      const m = await lastBuild(L, spec.name);
      if (m && m.f === fingerprint && m.v < version && (await exists(L.first, L.db, spec.name))) {
        plan = await planRefresh(L, spec, m.v, version);
      }
      if (plan.kind === "incremental") {
        const scoped = dialect.render(
          spec.build(dialect, customerInputs(raw(`SELECT "customer_id" FROM "kei_touched_now"`))),
        ).text;
        const cols = spec.columns.map((c) => q(c.name));
        const increment = { customers: plan.customers, select: `SELECT ${cols.join(", ")} FROM (${scoped})` };
        await (L.cluster ? buildOnShards : buildOnNode)(L, dialect, spec, beforeSwap, increment);
      } else if (plan.kind === "full") {
        await (L.cluster ? buildOnShards : buildOnNode)(L, dialect, spec, beforeSwap);
      }
    }
    const counted = await L.first.query<{ n: number }>(
      `SELECT toInt64(count()) AS n FROM ${L.name(spec.name)}`,
    );
    const rows = Number(counted[0]?.n ?? 0);
    if (stale) {
      await L.first.command(
        `INSERT INTO ${L.name("kei_derived")} ("name", "fingerprint", "data_version", "rows", "build")
         VALUES (${encodeLiteral(spec.name)}, ${encodeLiteral(fingerprint)}, ${version}, ${rows}, ${Date.now()})`,
      );
    }
    out.push({
      name: spec.name,
      rows,
      built: stale,
      seconds: stale ? (performance.now() - started) / 1000 : 0,
      ...(stale ? { mode: plan.kind } : {}),
      ...(plan.kind === "incremental" ? { customers: plan.customers.length } : {}),
    });
  }
  return out;
}

/** Rows of every derived table built so far, by name (from the last build of each). */
export async function clickhouseDerivedCounts(L: ClickHouseLayout): Promise<Record<string, number>> {
  const r = await L.first.query<{ name: string; n: number }>(
    `SELECT "name", toInt64(argMax("rows", "build")) AS n FROM ${L.name("kei_derived")} GROUP BY "name" ORDER BY "name"`,
  );
  return Object.fromEntries(r.map((x) => [x.name, Number(x.n)]));
}
