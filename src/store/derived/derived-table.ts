/**
 * Derived tables: facts that are expensive to derive from the input tables (jobs, journey events, text
 * scores) computed once per data version and read by every analytic. A declaration says what the table
 * holds and how to build it from dialect methods; each engine materialises it (DuckDB: a table built beside
 * the old one and swapped in one transaction; ClickHouse: a MergeTree, on a cluster one per shard built from
 * that shard's rows and a Distributed table over them, swapped by rename). A derived table is a cache: it is
 * fresh when it was built for the store's current data version with the same build query (options change
 * the query, so changed options rebuild it); an analytic that finds it stale still answers, from its inputs.
 */
import { createHash } from "node:crypto";
import type { ColumnType, TableName } from "../../schema/tables.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, type Sql, sql } from "../sql.js";

export interface DerivedColumn {
  readonly name: string;
  readonly type: Exclude<ColumnType, "enum">;
  /** May hold NULL. */
  readonly nullable?: boolean;
}

export interface DerivedTableSpec {
  /** Table name, lower-case letters, digits and `_`. */
  readonly name: string;
  readonly columns: readonly DerivedColumn[];
  /** Columns that identify a row. */
  readonly key: readonly string[];
  /**
   * The customer column: on a ClickHouse cluster rows are sharded by it, and the build runs on each shard
   * over that shard's input rows (every input it reads is sharded by customer too).
   */
  readonly customerColumn: string;
  /**
   * Input tables the build reads. On a cluster each shard's build sees its own rows of the tables kept per
   * customer (contacts, web events, feedback, customers) and all rows of the others (reasons, costs, kpis).
   */
  readonly reads: readonly TableName[];
  /**
   * The SELECT yielding `columns` in order, reading each input table through `inputs.from(table)` (the whole
   * table, or for an incremental build only some customers' rows).
   */
  build(d: Dialect, inputs?: DerivedInputs): Sql;
}

/** The input tables as a build reads them: each `from(table)` is a relation to put after FROM. */
export interface DerivedInputs {
  from(table: TableName): Sql;
}

/** Every row of every input table. */
export const WHOLE_INPUTS: DerivedInputs = { from: (table) => ident(table) };

/** The input tables whose rows belong to one customer: a build over some customers reads only theirs. */
export const PER_CUSTOMER_TABLES: readonly TableName[] = ["customers", "contacts", "web_events", "feedback"];

/**
 * Only the rows of the customers for whom `inScope(customer_id)` holds, in the tables kept per customer; the other
 * tables (reasons, costs, kpis) whole. Feedback without a customer id belongs to the customer of its contact.
 */
export function scopedInputs(inScope: (customer: Sql) => Sql): DerivedInputs {
  const scope = inScope(sql`customer_id`);
  return {
    from(table) {
      switch (table) {
        case "customers":
        case "contacts":
        case "web_events":
          return sql`(SELECT * FROM ${ident(table)} WHERE ${scope}) AS ${ident(table)}`;
        case "feedback":
          return sql`(SELECT * FROM feedback WHERE ${scope}
            OR (customer_id IS NULL AND contact_id IN (SELECT contact_id FROM contacts WHERE ${scope}))) AS feedback`;
        default:
          return ident(table);
      }
    },
  };
}

/** Only the rows of the customers that `customers` (a SELECT of one column of customer ids) yields. */
export function customerInputs(customers: Sql): DerivedInputs {
  return scopedInputs((customer) => sql`${customer} IN (${customers})`);
}

/** What a refresh did to one derived table. */
export interface DerivedBuild {
  readonly name: string;
  readonly rows: number;
  /** False when the table was already fresh. */
  readonly built: boolean;
  readonly seconds: number;
  /**
   * How: `full` (from all input rows), `incremental` (only the customers whose rows changed since the table's
   * version were rebuilt, `customers` of them), `kept` (no input it reads changed, only its version moved on).
   * Absent when the table was fresh.
   */
  readonly mode?: "full" | "incremental" | "kept";
  readonly customers?: number;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** Checks a declaration once, so engines can quote its names without further thought. */
export function checkDerivedSpec(spec: DerivedTableSpec): void {
  const names = new Set(spec.columns.map((c) => c.name));
  for (const n of [spec.name, ...names]) {
    if (!NAME.test(n)) throw new Error(`derived table ${spec.name}: bad name "${n}"`);
  }
  for (const k of [...spec.key, spec.customerColumn]) {
    if (!names.has(k)) throw new Error(`derived table ${spec.name}: "${k}" is not one of its columns`);
  }
}

/**
 * A fingerprint of the build query as an engine renders it (text and values): a table built by another
 * query (other options, another kei version) is stale.
 */
export function buildFingerprint(text: string, params: readonly unknown[]): string {
  return createHash("sha256")
    .update(text)
    .update("\u0000")
    .update(JSON.stringify(params, (_k, v) => (typeof v === "bigint" ? String(v) : v)))
    .digest("hex")
    .slice(0, 16);
}
