/**
 * DuckDB tables for the data model. No PRIMARY KEY constraints: DuckDB keeps an in-memory index per key,
 * which on tens of millions of rows costs more memory than the ingest budget allows; keys are enforced by
 * the load session's anti-join instead (the only writer).
 */
import { type ColumnSpec, type ColumnType, storedColumns, type TableSpec } from "../../schema/tables.js";
import { quoteIdentifier } from "../sql.js";

const TARGET_TYPES: Record<ColumnType, string> = {
  string: "VARCHAR",
  enum: "VARCHAR",
  integer: "BIGINT",
  number: "DOUBLE",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMPTZ",
  date: "DATE",
};

/** Staging holds values as parsed in JS: timestamps as epoch seconds, dates as text. */
const STAGE_TYPES: Record<ColumnType, string> = {
  ...TARGET_TYPES,
  timestamp: "BIGINT",
  date: "VARCHAR",
};

export function duckdbTableDdl(table: TableSpec): string {
  const cols = storedColumns(table).map((c) => `${quoteIdentifier(c.name)} ${TARGET_TYPES[c.type]}`);
  // `derived`: the reason was not in an ingested reasons file but found in contacts or web events.
  if (table.name === "reasons") cols.push(`"derived" BOOLEAN DEFAULT false`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table.name)} (${cols.join(", ")})`;
}

export function duckdbStageDdl(table: TableSpec, stageName: string): string {
  const cols = storedColumns(table).map((c) => `${quoteIdentifier(c.name)} ${STAGE_TYPES[c.type]}`);
  return `CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(stageName)} ("_file" INTEGER, "_row" BIGINT, ${cols.join(", ")})`;
}

/** Expression converting a staged column to its stored type. */
export function duckdbFromStage(c: ColumnSpec, alias: string): string {
  const ref = `${alias}.${quoteIdentifier(c.name)}`;
  if (c.type === "timestamp") return `to_timestamp(${ref})`;
  if (c.type === "date") return `CAST(${ref} AS DATE)`;
  return ref;
}

/** The store's data version: one row, counted up in the commit of every run that stores rows. */
export const DATA_VERSION_DDL = `CREATE TABLE IF NOT EXISTS "kei_data_version" ("version" BIGINT NOT NULL)`;

/**
 * What each data version changed, for incremental derived builds: the input tables that stored rows
 * (`kei_changes`), and the customers whose rows they were (`kei_touched`; feedback without a customer id counts
 * for the customer of its contact). Kept for the last `CHANGES_KEPT` versions.
 */
export const CHANGES_DDL = [
  `CREATE TABLE IF NOT EXISTS "kei_changes" ("version" BIGINT NOT NULL, "tbl" VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS "kei_touched" ("version" BIGINT NOT NULL, "customer_id" VARCHAR NOT NULL)`,
];
export const CHANGES_KEPT = 50;
