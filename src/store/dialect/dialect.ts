/**
 * What analytics may ask of an engine's SQL, by meaning rather than by syntax (after Evidence's
 * `SqlDialect`). Each engine implements it in its own folder (`store/duckdb/duckdb-dialect.ts`,
 * `store/clickhouse/clickhouse-dialect.ts`) and explains its quirks there. A method returns a fragment
 * that composes into `sql` templates; values inside stay values until `render`.
 */
import type { Sql, SqlValue } from "../sql.js";

export type TimeGrain = "day" | "week" | "month" | "quarter" | "year";
export const TIME_GRAINS: readonly TimeGrain[] = ["day", "week", "month", "quarter", "year"];

export interface RenderedSql {
  readonly text: string;
  /** Bound parameters in order (DuckDB `$1…`); empty when the engine inlines literals. */
  readonly params: readonly SqlValue[];
}

/**
 * Rows of a relation grouped into runs along time, per partition (e.g. one customer's contacts on one
 * reason grouped into jobs). `from` must yield the partition columns, `time` (whole epoch seconds),
 * `id` (a unique tie-breaker) and the `carry` columns.
 */
export interface SequenceSpec {
  readonly from: Sql;
  readonly partitionBy: readonly string[];
  readonly time: string;
  readonly id: string;
  readonly carry: readonly string[];
  /** A row more than this many seconds after the previous row of its partition starts a new group. */
  readonly gapSeconds: number;
  /** Carried string columns whose previous row's value is returned as `prev_<name>` ('' on a partition's first row). */
  readonly previous?: readonly string[];
  /** Also return `prev_t`: the previous row's time in the partition (the row's own time on the first row). */
  readonly previousTime?: boolean;
}

/** Rows of a relation collected per partition into one array ordered along time (see `sequenceArrays`). */
export interface SequenceArraySpec {
  readonly from: Sql;
  readonly partitionBy: readonly string[];
  readonly time: string;
  readonly id: string;
  readonly value: string;
  readonly into: string;
}

export interface Dialect {
  readonly engine: "duckdb" | "clickhouse";
  /** Turns a fragment into engine text (and parameters, where the engine binds them). */
  render(q: Sql): RenderedSql;
  /** First day (as a DATE) of the period holding timestamp `ts`, in the IANA time zone `zone`. */
  periodStart(grain: TimeGrain, ts: Sql, zone: string): Sql;
  /** First day of the period holding a DATE (no time zone: a date is a calendar day). */
  periodStartOfDate(grain: TimeGrain, date: Sql): Sql;
  /** A timestamp as whole UTC epoch seconds (Int64). */
  epochSeconds(ts: Sql): Sql;
  /** Seconds from `from` to `to` (both timestamps). */
  secondsBetween(from: Sql, to: Sql): Sql;
  /** Exact quantile `p` (0..1) of `expr` within a group, by nearest rank on the sorted values. */
  quantile(p: number, expr: Sql): Sql;
  /** Sample standard deviation (n - 1) of `expr` within a group; NULL below two values. */
  stddevSample(expr: Sql): Sql;
  /** Number of distinct non-null values of `expr` within a group. */
  countDistinct(expr: Sql): Sql;
  /** Division that yields NULL instead of an error or infinity when the divisor is 0. */
  safeDivide(numerator: Sql, denominator: Sql): Sql;
  /** A 64-bit integer count as a JS number (engines differ in how counts come back). */
  count(expr?: Sql): Sql;
  /**
   * The rows of `spec.from` with `grp` (1-based group number within the partition), `starts_group`
   * (1 on a group's first row, else 0) and `prev_<c>` for the `previous` columns. DuckDB uses window
   * functions; ClickHouse 18.16 has none and sorts each partition's rows into an array instead.
   */
  sequenceGroups(spec: SequenceSpec): Sql;
  /** The keyword for an inner or left join with SQL semantics (every match; NULLs where a left row has none). */
  join(kind: "inner" | "left"): Sql;
  /** 1 when a boolean column is true, else 0 (also for NULL). */
  flag(expr: Sql): Sql;
  /**
   * One row per partition of `spec.from`: the partition columns and `spec.into`, the array of the `value`
   * column's values ordered by `time`, then `id` (e.g. a case's variant).
   */
  sequenceArrays(spec: SequenceArraySpec): Sql;
  /**
   * The `carry` columns and `groupBy` of every row of `from`, with `into`: how many rows share the row's
   * `groupBy` value (e.g. how many cases share a case's variant), in one pass.
   */
  withGroupCount(spec: { from: Sql; groupBy: string; carry: readonly string[]; into: string }): Sql;
  /** Whole days from date `from` to date `to` (NULL when either is NULL). */
  daysBetween(from: Sql, to: Sql): Sql;
  /** The first `segments` segments of a URL path: `/mijn/meterstand/invoeren` with 2 is `/mijn/meterstand`. */
  pathPrefix(path: Sql, segments: number): Sql;
  /** True when text `expr` starts with `prefix`. */
  startsWith(expr: Sql, prefix: Sql): Sql;
  /**
   * Text as its words: lower-cased, every run of characters that are not letters replaced by one space, and a
   * space at both ends, so that `LIKE '% word %'` finds whole words only (`stop` not in `storing`).
   */
  wordsPadded(text: Sql): Sql;
  /** A number as text, e.g. to build a case id from a group number (`42` -> `'42'`). */
  toText(expr: Sql): Sql;
}
