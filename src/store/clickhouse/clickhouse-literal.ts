/**
 * The one place a value becomes ClickHouse SQL text. ClickHouse 18.16 has no server-side query
 * parameters, so every value kei sends is written here as a typed literal: strings quoted with every
 * backslash, quote and control character escaped by ClickHouse's rules, numbers checked finite, times as
 * `toDateTime(epoch, 'UTC')`, arrays element by element. Nothing else in kei puts a value into SQL.
 */
import type { SqlValue } from "../sql.js";

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
  "\r": "\\r",
  "\n": "\\n",
  "\t": "\\t",
};

/** A string literal; other control characters are written as \xHH so the SQL stays printable. */
export function encodeString(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is escaped here.
  return `'${s.replace(/[\\'\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`;
}

export function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot send ${n} to ClickHouse: numbers must be finite`);
  // String() gives the shortest text that reads back as the same double; -0 becomes 0.
  return Object.is(n, -0) ? "0" : String(n);
}

export function encodeLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "number") return encodeNumber(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new Error("cannot send an invalid Date to ClickHouse");
    return `toDateTime(${Math.floor(t / 1000)}, 'UTC')`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => encodeLiteral(v)).join(", ")}]`;
  throw new Error(`cannot send a ${typeof value} to ClickHouse`);
}
