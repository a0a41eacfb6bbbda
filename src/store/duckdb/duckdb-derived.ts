/**
 * Derived tables on DuckDB. A stale table is built beside the old one (`<name>__build`, one CREATE TABLE AS,
 * which DuckDB commits whole or not at all), then swapped in with its bookkeeping row in one transaction:
 * a query sees the old table or the new one, never a half-built one, and a kill -9 during a build leaves the
 * previous version readable; the next refresh replaces the leftover build table.
 *
 * Incremental: when the table was built by the same query for an earlier version and every version since
 * changed only tables kept per customer (or tables it does not read), only the customers whose rows changed are
 * rebuilt: their rows deleted and built again from their input rows, in one transaction. Worth it while they are
 * at most `INCREMENTAL_SHARE` of the table's customers; beyond that a full build is cheaper. When nothing it reads
 * changed, the table is kept and only its version moves on.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  buildFingerprint,
  checkDerivedSpec,
  customerInputs,
  type DerivedBuild,
  type DerivedColumn,
  type DerivedTableSpec,
  PER_CUSTOMER_TABLES,
} from "../derived/derived-table.js";
import type { Dialect } from "../dialect/dialect.js";
import { quoteIdentifier as q, sql } from "../sql.js";

const TYPES: Record<DerivedColumn["type"], string> = {
  string: "VARCHAR",
  integer: "BIGINT",
  number: "DOUBLE",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMPTZ",
  date: "DATE",
};

/** One row per derived table: the build query's fingerprint and the data version it was built for. */
export const DERIVED_META_DDL = `CREATE TABLE IF NOT EXISTS "kei_derived" ("name" VARCHAR NOT NULL, "fingerprint" VARCHAR NOT NULL, "data_version" BIGINT NOT NULL, "rows" BIGINT NOT NULL, "built_at" TIMESTAMPTZ NOT NULL)`;

interface Meta {
  fingerprint: string;
  data_version: number;
}

async function meta(conn: DuckDBConnection, name: string): Promise<Meta | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT "fingerprint", "data_version" FROM "kei_derived" WHERE "name" = $1`,
    [name],
  );
  const row = r.getRowObjectsJS()[0];
  return row ? { fingerprint: String(row.fingerprint), data_version: Number(row.data_version) } : undefined;
}

async function tableExists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = $1`,
    [name],
  );
  return Number(r.getRowObjectsJS()[0]?.n) > 0;
}

/** True when `spec` was built for `version` by the same query. */
export async function duckdbDerivedFresh(
  conn: DuckDBConnection,
  dialect: Dialect,
  spec: DerivedTableSpec,
  version: number,
): Promise<boolean> {
  const { text, params } = dialect.render(spec.build(dialect));
  const m = await meta(conn, spec.name);
  return (
    m !== undefined &&
    m.data_version === version &&
    m.fingerprint === buildFingerprint(text, params) &&
    (await tableExists(conn, spec.name))
  );
}

/** Rebuild only the changed customers while they are at most this share of the table's customers. */
export const INCREMENTAL_SHARE = 0.25;

type Plan = { kind: "full" } | { kind: "kept" } | { kind: "incremental"; from: number; customers: number };

/** How to bring a stale table built by the same query for version `built` up to `version`. */
async function planRefresh(
  conn: DuckDBConnection,
  spec: DerivedTableSpec,
  built: number,
  version: number,
): Promise<Plan> {
  if (!(await tableExists(conn, "kei_changes")) || !(await tableExists(conn, "kei_touched"))) {
    return { kind: "full" };
  }
  const r = await conn.runAndReadAll(
    `SELECT "version", "tbl" FROM "kei_changes" WHERE "version" > $1 AND "version" <= $2`,
    [built, version],
  );
  const changes = r.getRowObjectsJS().map((x) => ({ version: Number(x.version), tbl: String(x.tbl) }));
  // Every version since must have been recorded, or what changed is unknown.
  if (new Set(changes.map((c) => c.version)).size !== version - built) return { kind: "full" };
  const read = changes.filter((c) => (spec.reads as readonly string[]).includes(c.tbl));
  if (read.length === 0) return { kind: "kept" };
  if (read.some((c) => !(PER_CUSTOMER_TABLES as readonly string[]).includes(c.tbl))) return { kind: "full" };
  const counts = await conn.runAndReadAll(
    `SELECT (SELECT count(DISTINCT "customer_id") FROM "kei_touched" WHERE "version" > $1 AND "version" <= $2) AS touched,
       (SELECT count(DISTINCT ${q(spec.customerColumn)}) FROM ${q(spec.name)}) AS total`,
    [built, version],
  );
  const row = counts.getRowObjectsJS()[0];
  const touched = Number(row?.touched ?? 0);
  const total = Number(row?.total ?? 0);
  if (total === 0 || touched > INCREMENTAL_SHARE * total) return { kind: "full" };
  return { kind: "incremental", from: built, customers: touched };
}

async function writeMeta(
  conn: DuckDBConnection,
  spec: DerivedTableSpec,
  fingerprint: string,
  version: number,
  rows: number,
): Promise<void> {
  await conn.run(`DELETE FROM "kei_derived" WHERE "name" = $1`, [spec.name]);
  await conn.run(`INSERT INTO "kei_derived" VALUES ($1, $2, $3, $4, now())`, [
    spec.name,
    fingerprint,
    version,
    rows,
  ]);
}

/** In one transaction, so a kill -9 leaves the previous version. */
async function inTransaction(conn: DuckDBConnection, work: () => Promise<void>): Promise<void> {
  await conn.run("BEGIN TRANSACTION");
  try {
    await work();
    await conn.run("COMMIT");
  } catch (e) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw e;
  }
}

export async function refreshDuckDBDerived(
  conn: DuckDBConnection,
  dialect: Dialect,
  specs: readonly DerivedTableSpec[],
  version: number,
): Promise<DerivedBuild[]> {
  const out: DerivedBuild[] = [];
  for (const spec of specs) {
    checkDerivedSpec(spec);
    const started = performance.now();
    const { text, params } = dialect.render(spec.build(dialect));
    const fingerprint = buildFingerprint(text, params);
    const name = q(spec.name);
    if (await duckdbDerivedFresh(conn, dialect, spec, version)) {
      const r = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${name}`);
      out.push({ name: spec.name, rows: Number(r.getRowObjectsJS()[0]?.n), built: false, seconds: 0 });
      continue;
    }
    const cols = spec.columns.map((c) => `CAST(b.${q(c.name)} AS ${TYPES[c.type]}) AS ${q(c.name)}`);
    const m = await meta(conn, spec.name);
    const plan =
      m && m.fingerprint === fingerprint && m.data_version < version && (await tableExists(conn, spec.name))
        ? await planRefresh(conn, spec, m.data_version, version)
        : ({ kind: "full" } as Plan);
    if (plan.kind !== "full") {
      let rows = 0;
      await inTransaction(conn, async () => {
        if (plan.kind === "incremental") {
          const changed = sql`SELECT customer_id FROM kei_touched WHERE version > ${plan.from} AND version <= ${version}`;
          const scoped = dialect.render(spec.build(dialect, customerInputs(changed)));
          const touched = dialect.render(changed);
          await conn.run(
            `DELETE FROM ${name} WHERE ${q(spec.customerColumn)} IN (${touched.text})`,
            touched.params as never,
          );
          await conn.run(
            `INSERT INTO ${name} SELECT ${cols.join(", ")} FROM (${scoped.text}) AS b`,
            scoped.params as never,
          );
        }
        const counted = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${name}`);
        rows = Number(counted.getRowObjectsJS()[0]?.n);
        await writeMeta(conn, spec, fingerprint, version, rows);
      });
      out.push({
        name: spec.name,
        rows,
        built: true,
        seconds: (performance.now() - started) / 1000,
        mode: plan.kind,
        ...(plan.kind === "incremental" ? { customers: plan.customers } : {}),
      });
      continue;
    }
    const build = q(`${spec.name}__build`);
    await conn.run(
      `CREATE OR REPLACE TABLE ${build} AS SELECT ${cols.join(", ")} FROM (${text}) AS b`,
      params as never,
    );
    const counted = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${build}`);
    const rows = Number(counted.getRowObjectsJS()[0]?.n);
    await inTransaction(conn, async () => {
      await conn.run(`DROP TABLE IF EXISTS ${name}`);
      await conn.run(`ALTER TABLE ${build} RENAME TO ${name}`);
      await writeMeta(conn, spec, fingerprint, version, rows);
    });
    out.push({
      name: spec.name,
      rows,
      built: true,
      seconds: (performance.now() - started) / 1000,
      mode: "full",
    });
  }
  return out;
}

/** Rows of every derived table built so far, by name. */
export async function duckdbDerivedCounts(conn: DuckDBConnection): Promise<Record<string, number>> {
  const r = await conn.runAndReadAll(`SELECT "name", "rows" FROM "kei_derived" ORDER BY "name"`);
  return Object.fromEntries(r.getRowObjectsJS().map((x) => [String(x.name), Number(x.rows)]));
}
