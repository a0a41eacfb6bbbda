/**
 * Derived tables on DuckDB. A stale table is built beside the old one (`<name>__build`, one CREATE TABLE AS,
 * which DuckDB commits whole or not at all), then swapped in with its bookkeeping row in one transaction:
 * a query sees the old table or the new one, never a half-built one, and a kill -9 during a build leaves the
 * previous version readable; the next refresh replaces the leftover build table.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  buildFingerprint,
  checkDerivedSpec,
  type DerivedBuild,
  type DerivedColumn,
  type DerivedTableSpec,
} from "../derived/derived-table.js";
import type { Dialect } from "../dialect/dialect.js";
import { quoteIdentifier as q } from "../sql.js";

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
    const build = q(`${spec.name}__build`);
    const cols = spec.columns.map((c) => `CAST(b.${q(c.name)} AS ${TYPES[c.type]}) AS ${q(c.name)}`);
    await conn.run(
      `CREATE OR REPLACE TABLE ${build} AS SELECT ${cols.join(", ")} FROM (${text}) AS b`,
      params as never,
    );
    const counted = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${build}`);
    const rows = Number(counted.getRowObjectsJS()[0]?.n);
    await conn.run("BEGIN TRANSACTION");
    try {
      await conn.run(`DROP TABLE IF EXISTS ${name}`);
      await conn.run(`ALTER TABLE ${build} RENAME TO ${name}`);
      await conn.run(`DELETE FROM "kei_derived" WHERE "name" = $1`, [spec.name]);
      await conn.run(`INSERT INTO "kei_derived" VALUES ($1, $2, $3, $4, now())`, [
        spec.name,
        fingerprint,
        version,
        rows,
      ]);
      await conn.run("COMMIT");
    } catch (e) {
      await conn.run("ROLLBACK").catch(() => undefined);
      throw e;
    }
    out.push({ name: spec.name, rows, built: true, seconds: (performance.now() - started) / 1000 });
  }
  return out;
}

/** Rows of every derived table built so far, by name. */
export async function duckdbDerivedCounts(conn: DuckDBConnection): Promise<Record<string, number>> {
  const r = await conn.runAndReadAll(`SELECT "name", "rows" FROM "kei_derived" ORDER BY "name"`);
  return Object.fromEntries(r.getRowObjectsJS().map((x) => [String(x.name), Number(x.rows)]));
}
