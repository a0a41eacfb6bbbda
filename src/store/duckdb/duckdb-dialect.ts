/**
 * DuckDB's SQL for the dialect methods. Values are bound as `$n` parameters; timestamps are TIMESTAMPTZ
 * and periods are cut in the requested zone with `AT TIME ZONE` (ICU ships inside the node bindings).
 */
import type { Dialect, RenderedSql, SequenceArraySpec, SequenceSpec, TimeGrain } from "../dialect/dialect.js";
import { alias, join, quoteIdentifier, raw, type Sql, type SqlValue, sql } from "../sql.js";

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
  periodStartOfDate(grain: TimeGrain, date: Sql): Sql {
    return sql`CAST(date_trunc(${raw(`'${grain}'`)}, ${date}) AS DATE)`;
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
  stddevSample(expr: Sql): Sql {
    return sql`stddev_samp(${expr})`;
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
  sequenceGroups(s: SequenceSpec): Sql {
    const part = join(s.partitionBy.map(alias), ", ");
    const window = sql`OVER (PARTITION BY ${part} ORDER BY ${alias(s.time)}, ${alias(s.id)})`;
    const prevs = (s.previous ?? []).map(
      (c) => sql`, coalesce(lag(${alias(c)}) ${window}, '') AS ${raw(`"prev_${c}"`)}`,
    );
    const cols = join([...s.partitionBy, s.time, s.id, ...s.carry].map(alias), ", ");
    const prevNames = (s.previous ?? []).map((c) => raw(`, "prev_${c}"`));
    if (s.previousTime) {
      prevs.push(sql`, coalesce(lag(${alias(s.time)}) ${window}, ${alias(s.time)}) AS prev_t`);
      prevNames.push(raw(", prev_t"));
    }
    return sql`SELECT ${cols}${join(prevNames, "")}, starts_group,
        CAST(sum(starts_group) ${raw("OVER (PARTITION BY ")}${part} ORDER BY ${alias(s.time)}, ${alias(s.id)} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS grp
      FROM (
        SELECT ${cols}${join(prevs, "")},
          CASE WHEN lag(${alias(s.time)}) ${window} IS NULL OR ${alias(s.time)} - lag(${alias(s.time)}) ${window} > ${Math.floor(s.gapSeconds)} THEN 1 ELSE 0 END AS starts_group
        FROM (${s.from}) AS seq_source
      ) AS seq_marked`;
  },
  join(kind: "inner" | "left"): Sql {
    return raw(kind === "inner" ? "INNER JOIN" : "LEFT JOIN");
  },
  flag(expr: Sql): Sql {
    return sql`(CASE WHEN ${expr} THEN 1 ELSE 0 END)`;
  },
  sequenceArrays(s: SequenceArraySpec): Sql {
    // Not list(value ORDER BY time, id): DuckDB's ordered aggregates ran out of a 2 GB memory limit on 15
    // million events (bench/journeys). A window sort spills to disk; the lists are then sorted by row number.
    const part = join(s.partitionBy.map(alias), ", ");
    return sql`SELECT ${part}, list_transform(list_sort(list(struct_pack(r := seq_rn, v := ${alias(s.value)}))), x -> x.v) AS ${alias(s.into)}
      FROM (
        SELECT ${part}, ${alias(s.value)}, row_number() OVER (PARTITION BY ${part} ORDER BY ${alias(s.time)}, ${alias(s.id)}) AS seq_rn
        FROM (${s.from}) AS seq_source
      ) AS seq_numbered
      GROUP BY ${part}`;
  },
  withGroupCount(s: { from: Sql; groupBy: string; carry: readonly string[]; into: string }): Sql {
    const cols = join([s.groupBy, ...s.carry].map(alias), ", ");
    return sql`SELECT ${cols}, count(*) OVER (PARTITION BY ${alias(s.groupBy)}) AS ${alias(s.into)} FROM (${s.from}) AS gc_source`;
  },
  daysBetween(from: Sql, to: Sql): Sql {
    return sql`date_diff('day', ${from}, ${to})`;
  },
  pathPrefix(path: Sql, segments: number): Sql {
    // string_split('/a/b/c', '/') is ['', 'a', 'b', 'c']: the leading empty element stands for the root.
    return sql`array_to_string(list_slice(string_split(${path}, '/'), 1, ${Math.max(1, Math.floor(segments)) + 1}), '/')`;
  },
  startsWith(expr: Sql, prefix: Sql): Sql {
    return sql`starts_with(${expr}, ${prefix})`;
  },
  wordsPadded(text: Sql): Sql {
    // RE2 in both engines: \p{L} is any letter, accented ones included.
    return sql`(' ' || regexp_replace(lower(${text}), '[^\\p{L}]+', ' ', 'g') || ' ')`;
  },
  toText(expr: Sql): Sql {
    return sql`CAST(${expr} AS VARCHAR)`;
  },
};
