/**
 * Parsing one raw input value into kei's canonical form for a column type. A parser returns the value,
 * or a `ValueError` whose `reason` is the message users see (after "file row N, column C: ").
 *
 * Canonical forms: string (trimmed), integer and number (finite JS numbers), boolean, timestamp (UTC epoch
 * seconds, whole; fractions of a second are dropped because every engine kei supports stores seconds),
 * date (`YYYY-MM-DD`). Empty strings and null mean "missing".
 */
import { zonedWallTimeToEpoch } from "./local-time.js";
import type { ColumnSpec } from "./tables.js";

export type RawValue = string | number | boolean | bigint | Date | null | undefined;
export type CanonicalValue = string | number | boolean | null;

export class ValueError {
  constructor(readonly reason: string) {}
}

const TRUE = new Set(["true", "1", "ja", "yes", "j", "y", "waar"]);
const FALSE = new Set(["false", "0", "nee", "no", "n", "onwaar"]);

const show = (raw: RawValue): string => {
  const s = typeof raw === "string" ? raw : String(raw);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
};

/** True when the raw value counts as missing. */
export function isMissing(raw: RawValue): boolean {
  return raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "");
}

// 1234.5, -3, 1e3; decimal comma 12,5; Dutch grouping 1.234,56; English grouping 1,234.56 is refused
// because "1,234" alone is ambiguous and Dutch files use the comma as decimal mark.
const DOT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?\d*,\d+$/;
const DUTCH_GROUPED = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;

export function parseNumber(raw: RawValue): number | ValueError {
  if (typeof raw === "number") {
    return Number.isFinite(raw) ? raw : new ValueError(`bad number ${show(raw)} (not finite)`);
  }
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw !== "string") return new ValueError(`bad number ${show(raw)}`);
  const s = raw.trim().replace(/^€\s*/, "");
  let n = Number.NaN;
  if (DOT_NUMBER.test(s)) n = Number(s);
  else if (COMMA_NUMBER.test(s)) n = Number(s.replace(",", "."));
  else if (DUTCH_GROUPED.test(s)) n = Number(s.replaceAll(".", "").replace(",", "."));
  if (!Number.isFinite(n)) {
    return new ValueError(`bad number ${show(raw)} (expected e.g. 12.5 or 12,5)`);
  }
  return n;
}

export function parseBoolean(raw: RawValue): boolean | ValueError {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "number" || typeof raw === "bigint") {
    if (Number(raw) === 1) return true;
    if (Number(raw) === 0) return false;
  }
  const s = String(raw).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return new ValueError(`bad boolean ${show(raw)} (expected true/false, 1/0, ja/nee or yes/no)`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date, optional time (T or space), optional fraction, optional Z or ±hh[:]mm.
const TS_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export function parseDate(raw: RawValue): string | ValueError {
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? new ValueError("bad date") : raw.toISOString().slice(0, 10);
  }
  const s = String(raw).trim();
  const m = DATE_RE.exec(s) ?? TS_RE.exec(s);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return new ValueError(`bad date ${show(raw)} (expected YYYY-MM-DD)`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function parseTimestamp(raw: RawValue, zone: string): number | ValueError {
  if (raw instanceof Date) {
    const t = raw.getTime();
    return Number.isNaN(t) ? new ValueError("bad timestamp") : Math.floor(t / 1000);
  }
  const s = String(raw).trim();
  const m = TS_RE.exec(s);
  const bad = () =>
    new ValueError(`bad timestamp ${show(raw)} (expected ISO 8601, e.g. 2025-03-01T09:30:00)`);
  if (!m) return bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, se] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || se > 59) return bad();
  const wall = Date.UTC(y, mo - 1, d, h, mi, se) / 1000;
  const tz = m[8];
  if (tz === undefined) return zonedWallTimeToEpoch(wall, zone);
  if (tz === "Z" || tz === "z") return wall;
  const sign = tz.startsWith("-") ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  const oh = Number(digits.slice(0, 2));
  const om = Number(digits.slice(2) || "0");
  if (oh > 14 || om > 59) return bad();
  return wall - sign * (oh * 3600 + om * 60);
}

/** Parses a present (non-missing) raw value for a column, checking enums, bounds and patterns. */
export function parseValue(raw: RawValue, column: ColumnSpec, zone: string): CanonicalValue | ValueError {
  switch (column.type) {
    case "string": {
      const s = (raw instanceof Date ? raw.toISOString() : String(raw)).trim();
      if (column.pattern && !column.pattern.re.test(s)) {
        return new ValueError(`bad value ${show(raw)} (expected ${column.pattern.description})`);
      }
      return s;
    }
    case "enum": {
      const s = String(raw).trim().toLowerCase();
      if (!column.values?.includes(s)) {
        return new ValueError(`bad value ${show(raw)} (expected one of ${column.values?.join(", ")})`);
      }
      return s;
    }
    case "boolean":
      return parseBoolean(raw);
    case "date":
      return parseDate(raw);
    case "timestamp":
      return parseTimestamp(raw, zone);
    case "integer":
    case "number": {
      const n = parseNumber(raw);
      if (n instanceof ValueError) {
        return column.type === "integer" ? new ValueError(n.reason.replace("bad number", "bad integer")) : n;
      }
      if (column.type === "integer" && !Number.isSafeInteger(n)) {
        return new ValueError(`bad integer ${show(raw)} (expected a whole number)`);
      }
      if (column.min !== undefined && n < column.min) {
        return new ValueError(`value ${n} below the minimum ${column.min}`);
      }
      if (column.max !== undefined && n > column.max) {
        return new ValueError(`value ${n} above the maximum ${column.max}`);
      }
      return n;
    }
  }
}
