/**
 * ClickHouse's SQL for the dialect methods, in the subset that 18.16 (the version Debian ships, and CI
 * tests) and current releases share: no query parameters (values go through `encodeLiteral`), no window
 * functions, no WITH subqueries, one JOIN per SELECT.
 */
import type { Dialect, RenderedSql, TimeGrain } from "../dialect/dialect.js";
import { quoteIdentifier, raw, type Sql, sql } from "../sql.js";
import { encodeLiteral, encodeNumber } from "./clickhouse-literal.js";

const GRAIN_FUNCTION: Record<TimeGrain, string> = {
  day: "toDate",
  week: "toMonday",
  month: "toStartOfMonth",
  quarter: "toStartOfQuarter",
  year: "toStartOfYear",
};

export const clickhouseDialect: Dialect = {
  engine: "clickhouse",
  render(q: Sql): RenderedSql {
    let text = "";
    for (const p of q.parts) {
      if (p.kind === "text") text += p.text;
      else if (p.kind === "ident") text += quoteIdentifier(p.name);
      else text += encodeLiteral(p.value);
    }
    return { text, params: [] };
  },
  periodStart(grain: TimeGrain, ts: Sql, zone: string): Sql {
    // The zone argument makes the function cut the period in that zone; the result is a Date.
    // toStartOfQuarter takes no zone argument in 18.16, so the timestamp is moved into the zone first.
    if (grain === "quarter") return sql`toStartOfQuarter(toTimeZone(${ts}, ${zone}))`;
    return sql`${raw(GRAIN_FUNCTION[grain])}(${ts}, ${zone})`;
  },
  epochSeconds(ts: Sql): Sql {
    return sql`toInt64(${ts})`;
  },
  secondsBetween(from: Sql, to: Sql): Sql {
    return sql`(toInt64(${to}) - toInt64(${from}))`;
  },
  quantile(p: number, expr: Sql): Sql {
    if (!(p >= 0 && p <= 1)) throw new Error(`quantile must be within 0..1, got ${p}`);
    // Nearest rank, as DuckDB's quantile_disc: the value at rank ceil(n * p), at least 1. ClickHouse's
    // quantileExact takes floor(n * p) (0-based) instead, which differs, so sort the group's values.
    // groupArray skips NULLs, as quantile_disc does; an empty group gives NULL.
    const rank = sql`toUInt64(greatest(1, ceil(count(${expr}) * ${raw(encodeNumber(p))})))`;
    return sql`if(count(${expr}) = 0, NULL, arrayElement(arraySort(groupArray(${expr})), ${rank}))`;
  },
  countDistinct(expr: Sql): Sql {
    return sql`toInt64(uniqExact(${expr}))`;
  },
  safeDivide(numerator: Sql, denominator: Sql): Sql {
    return sql`if((${denominator}) = 0, NULL, toFloat64(${numerator}) / (${denominator}))`;
  },
  count(expr?: Sql): Sql {
    return expr ? sql`toInt64(count(${expr}))` : raw("toInt64(count())");
  },
};
