/**
 * A test store that runs nothing: it records every query an analytic asks, so a test can look at the SQL
 * itself (e.g. that option numbers reach it as values, never as text). Each query gets no rows, except
 * the last day of contacts, so the follow-up queries of validation and fitted weights are asked too.
 */
import { clickhouseDialect } from "../store/clickhouse/clickhouse-dialect.js";
import { duckdbDialect } from "../store/duckdb/duckdb-dialect.js";
import type { Sql, SqlValue } from "../store/sql.js";
import { type Store, StoreBusyError } from "../store/store.js";

export interface RecordingStore {
  readonly store: Store;
  readonly queries: Sql[];
}

export function recordingStore(engine: "duckdb" | "clickhouse" = "duckdb"): RecordingStore {
  const dialect = engine === "duckdb" ? duckdbDialect : clickhouseDialect;
  const queries: Sql[] = [];
  const store = {
    engine,
    dialect,
    // No derived tables: analytics fall back to their inputs, so every query they could run is recorded.
    async derivedFresh(): Promise<boolean> {
      return false;
    },
    async refreshDerived(): Promise<never> {
      throw new StoreBusyError("a recording store builds no derived tables");
    },
    async query(q: Sql): Promise<Record<string, unknown>[]> {
      queries.push(q);
      return dialect.render(q).text.includes("AS last_day") ? [{ last_day: "2025-12-31" }] : [];
    },
  };
  return { store: store as unknown as Store, queries };
}

/** Where a number occurs in recorded queries: in SQL text (spliced), and as a value (bound or encoded). */
export function whereNumbersGo(
  queries: readonly Sql[],
  numbers: readonly number[],
): { spliced: number[]; asValues: number[]; params: number[] } {
  const text = queries
    .flatMap((q) => q.parts.map((p) => (p.kind === "value" ? " " : p.kind === "ident" ? p.name : p.text)))
    .join(" ");
  const values = new Set<SqlValue>(
    queries.flatMap((q) => q.parts.flatMap((p) => (p.kind === "value" ? [p.value] : []))),
  );
  // What DuckDB receives: the rendered text must not hold the number either; its parameters must.
  const rendered = queries.map((q) => duckdbDialect.render(q));
  // Without the parameters' placeholders ($12), whose digits are no numbers of kei's.
  const renderedText = rendered.map((r) => r.text.replace(/\$\d+/g, "$")).join(" ");
  const params = new Set<SqlValue>(rendered.flatMap((r) => r.params));
  return {
    spliced: numbers.filter((n) => text.includes(String(n)) || renderedText.includes(String(n))),
    asValues: numbers.filter((n) => values.has(n)),
    params: numbers.filter((n) => params.has(n)),
  };
}
