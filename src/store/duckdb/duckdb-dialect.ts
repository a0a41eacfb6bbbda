/**
 * DuckDB's SQL for the dialect methods. Values are bound as `$n` parameters; timestamps are TIMESTAMPTZ
 * and periods are cut in the requested zone with `AT TIME ZONE` (ICU ships inside the node bindings).
 */
import type { Dialect, RenderedSql, TimeGrain } from "../dialect/dialect.js";
import { quoteIdentifier, raw, type Sql, type SqlValue, sql } from "../sql.js";

export const duckdbDialect: Dialect = {
  engine: "duckdb",
  render(q: Sql): RenderedSql {
    let text = "";
    const params: SqlValue[] = [];
    for (const p of q.parts) {
      if (p.kind === "text") text += p.text;
      else if (p.kind === "ident") text += quoteIdentifier(p.name);
      else if (p.value instanceof Date) {
        params.push(Math.floor(p.value.getTime() / 1000));
        text += `to_timestamp($${params.length})`;
      } else {
        params.push(p.value);
        text += `$${params.length}`;
      }
    }
    return { text, params };
  },
  periodStart(grain: TimeGrain, ts: Sql, zone: string): Sql {
    return sql`CAST(date_trunc(${raw(`'${grain}'`)}, timezone(${zone}, ${ts})) AS DATE)`;
  },
  epochSeconds(ts: Sql): Sql {
    return sql`CAST(epoch(${ts}) AS BIGINT)`;
  },
  secondsBetween(from: Sql, to: Sql): Sql {
    return sql`(epoch(${to}) - epoch(${from}))`;
  },
  quantile(p: number, expr: Sql): Sql {
    if (!(p >= 0 && p <= 1)) throw new Error(`quantile must be within 0..1, got ${p}`);
    return sql`quantile_disc(${expr}, ${raw(String(p))})`;
  },
  countDistinct(expr: Sql): Sql {
    return sql`CAST(count(DISTINCT ${expr}) AS BIGINT)`;
  },
  safeDivide(numerator: Sql, denominator: Sql): Sql {
    return sql`(CAST(${numerator} AS DOUBLE) / NULLIF(${denominator}, 0))`;
  },
  count(expr?: Sql): Sql {
    return expr ? sql`CAST(count(${expr}) AS BIGINT)` : raw("CAST(count(*) AS BIGINT)");
  },
};
