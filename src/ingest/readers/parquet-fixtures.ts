/**
 * Parquet files for the reader tests, written by DuckDB from a SELECT, so that the tests read what a
 * real writer produces (types, encodings, row groups) rather than what we think it produces.
 */
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { tempDir } from "../ingest-fixtures.js";

let connection: Promise<DuckDBConnection> | undefined;

function duckdb(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(":memory:").then((db) => db.connect());
  return connection;
}

let count = 0;

/** Writes the rows of `select` to a new Parquet file (in `dir`, or a new temp folder); returns its path. */
export async function writeParquet(
  select: string,
  options: { dir?: string; name?: string; rowGroupSize?: number } = {},
): Promise<string> {
  const path = join(options.dir ?? (await tempDir()), options.name ?? `t${count++}.parquet`);
  const groups = options.rowGroupSize ? `, ROW_GROUP_SIZE ${options.rowGroupSize}` : "";
  const c = await duckdb();
  await c.run(`COPY (${select}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet${groups})`);
  return path;
}

/** Quotes a string as a DuckDB SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
