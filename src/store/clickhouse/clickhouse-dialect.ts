/**
 * ClickHouse's SQL for the dialect methods, in the subset that 18.16 (the version Debian ships, and CI
 * tests) and current releases share: no query parameters (values go through `encodeLiteral`), no window
 * functions, no WITH subqueries, one JOIN per SELECT.
 */
import type { Dialect, RenderedSql, SequenceArraySpec, SequenceSpec, TimeGrain } from "../dialect/dialect.js";
import { alias, join, quoteIdentifier, raw, type Sql, sql } from "../sql.js";
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
  periodStartOfDate(grain: TimeGrain, date: Sql): Sql {
    return grain === "day" ? date : sql`${raw(GRAIN_FUNCTION[grain])}(${date})`;
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
  stddevSample(expr: Sql): Sql {
    // stddevSamp gives NaN (not NULL) for a single value; NULL matches DuckDB.
    return sql`if(count(${expr}) < 2, NULL, stddevSamp(${expr}))`;
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
  sequenceGroups(s: SequenceSpec): Sql {
    // No window functions in 18.16: each partition's rows become one array of tuples sorted by (time, id);
    // gaps come from arrayDifference, group numbers from a running sum, and ARRAY JOIN turns the arrays
    // back into rows. Tuple element 1 is the time, 2 the id, then the carried columns in order.
    const fields = [s.time, s.id, ...s.carry];
    const tuple = join(fields.map(alias), ", ");
    const gap = Math.floor(s.gapSeconds);
    const part = join(s.partitionBy.map(alias), ", ");
    const prevArrays = (s.previous ?? []).map((c) => {
      const at = fields.indexOf(c) + 1;
      if (at === 0) throw new Error(`sequenceGroups: previous column ${c} must be carried`);
      return raw(
        `, arrayPushFront(arrayPopBack(arrayMap(x -> toString(tupleElement(x, ${at})), seq_rows)), '') AS "prev_${c}_arr"`,
      );
    });
    const prevJoins = (s.previous ?? []).map((c) => raw(`, "prev_${c}_arr" AS "prev_${c}"`));
    if (s.previousTime) {
      // Times shifted by one, the first element standing in for its own predecessor.
      prevArrays.push(
        raw(
          ", arrayPushFront(arrayPopBack(arrayMap(x -> tupleElement(x, 1), seq_rows)), tupleElement(seq_rows[1], 1)) AS seq_prev_t",
        ),
      );
      prevJoins.push(raw(", seq_prev_t AS seq_prev_time"));
    }
    const outCols = fields.map((f, i) => raw(`tupleElement(seq_row, ${i + 1}) AS "${f}"`));
    const prevOut = (s.previous ?? []).map((c) => raw(`, "prev_${c}"`));
    if (s.previousTime) prevOut.push(raw(", seq_prev_time AS prev_t"));
    return sql`SELECT ${part}, ${join(outCols, ", ")}${join(prevOut, "")}, toInt64(seq_start) AS starts_group, toInt64(seq_grp) AS grp
      FROM (
        SELECT ${part},
          arraySort(x -> (tupleElement(x, 1), tupleElement(x, 2)), groupArray((${tuple}))) AS seq_rows,
          arrayMap((d, i) -> if(i = 1 OR d > ${gap}, 1, 0), arrayDifference(arrayMap(x -> tupleElement(x, 1), seq_rows)), arrayEnumerate(seq_rows)) AS seq_starts,
          arrayCumSum(seq_starts) AS seq_grps${join(prevArrays, "")}
        FROM (${s.from})
        GROUP BY ${part}
      )
      ARRAY JOIN seq_rows AS seq_row, seq_starts AS seq_start, seq_grps AS seq_grp${join(prevJoins, "")}`;
  },
  join(kind: "inner" | "left"): Sql {
    // ALL: every matching row, as in standard SQL (ClickHouse also has ANY). NULLs for a left row without
    // a match come from the join_use_nulls setting kei's client sets.
    return raw(kind === "inner" ? "ALL INNER JOIN" : "ALL LEFT JOIN");
  },
  flag(expr: Sql): Sql {
    return sql`if(ifNull(${expr}, 0) = 1, 1, 0)`;
  },
  sequenceArrays(s: SequenceArraySpec): Sql {
    // No ORDER BY inside aggregates in 18.16: collect (time, id, value) tuples, sort, keep the values.
    const part = join(s.partitionBy.map(alias), ", ");
    return sql`SELECT ${part}, arrayMap(x -> tupleElement(x, 3), arraySort(x -> (tupleElement(x, 1), tupleElement(x, 2)), groupArray((${alias(s.time)}, ${alias(s.id)}, ${alias(s.value)})))) AS ${alias(s.into)}
      FROM (${s.from}) GROUP BY ${part}`;
  },
  withGroupCount(s: { from: Sql; groupBy: string; carry: readonly string[]; into: string }): Sql {
    // No window functions: collect each group's rows into an array beside its count, then ARRAY JOIN.
    const tuple = join(s.carry.map(alias), ", ");
    const out = s.carry.map((c, i) => raw(`, tupleElement(gc_row, ${i + 1}) AS "${c}"`));
    return sql`SELECT ${alias(s.groupBy)}${join(out, "")}, gc_n AS ${alias(s.into)} FROM (
        SELECT ${alias(s.groupBy)}, toInt64(count()) AS gc_n, groupArray(tuple(${tuple})) AS gc_rows FROM (${s.from}) GROUP BY ${alias(s.groupBy)}
      ) ARRAY JOIN gc_rows AS gc_row`;
  },
  daysBetween(from: Sql, to: Sql): Sql {
    return sql`dateDiff('day', ${from}, ${to})`;
  },
  pathPrefix(path: Sql, segments: number): Sql {
    // splitByChar('/', '/a/b/c') is ['', 'a', 'b', 'c']: the leading empty element stands for the root.
    return sql`arrayStringConcat(arraySlice(splitByChar('/', ${path}), 1, ${Math.max(1, Math.floor(segments)) + 1}), '/')`;
  },
  startsWith(expr: Sql, prefix: Sql): Sql {
    return sql`startsWith(${expr}, ${prefix})`;
  },
  wordsPadded(text: Sql): Sql {
    // lowerUTF8: lower() only lowers ASCII. RE2's \p{L} is any letter, accented ones included; a backslash in a
    // ClickHouse string literal is an escape, so it is written twice.
    return sql`concat(' ', replaceRegexpAll(lowerUTF8(${text}), '[^\\\\p{L}]+', ' '), ' ')`;
  },
  toText(expr: Sql): Sql {
    return sql`toString(${expr})`;
  },
};
