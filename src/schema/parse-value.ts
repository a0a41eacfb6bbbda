/**
 * Parsing one raw input value into kei's canonical form for a column type. A parser returns the value,
 * or a `ValueError` whose `reason` is the message users see (after "file row N, column C: ").
 *
 * Canonical forms: string (trimmed), integer and number (finite JS numbers), boolean, timestamp (UTC epoch
 * seconds, whole; fractions of a second are dropped because every engine kei supports stores seconds),
 * date (`YYYY-MM-DD`). Empty strings and null mean "missing".
 *
 * kei's range of dates and times is 1970-01-02 to 2105-12-31 (timestamps from 00:00:00 UTC on the first day
 * to 23:59:59 UTC on the last), the range every engine kei supports stores exactly: ClickHouse 18.16's `Date`
 * and `DateTime` end in 2105/2106 and begin in 1970, outside it they wrap around silently
 * (1969-12-31T23:59:59Z became 2106-02-07), and their day 0 (1970-01-01) is the "zero date", which they print as
 * 0000-00-00. A value outside the range is a reject naming its row and column, never a different date.
 */
import { zonedWallTimeToEpoch } from "./local-time.js";
import type { ColumnSpec } from "./tables.js";

export type RawValue = string | number | boolean | bigint | Date | null | undefined;
export type CanonicalValue = string | number | boolean | null;

export class ValueError {
  constructor(readonly reason: string) {}
}

/** In unicode mode `\p{Cs}` matches only a surrogate without its partner: text no encoding can store. */
const LONE_SURROGATE = /\p{Cs}/u;

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

/** First and last day kei stores (see the header). */
export const FIRST_DATE = "1970-01-02";
export const LAST_DATE = "2105-12-31";
const FIRST_EPOCH = 86_400;
const LAST_EPOCH = Date.UTC(2105, 11, 31, 23, 59, 59) / 1000;

// One rule for the dot and the comma:
// - the dot is a decimal mark (1234.5, -3, 1e3, 1.234 is one point two three four);
// - the comma is a decimal mark when it is the only separator (12,5);
// - dots group thousands only in a number that also has a decimal comma (Dutch 1.234,56 and 1.234.567,00).
// Everything else is refused as ambiguous: 1.234.567 (grouping with no decimal comma: 1,234,567 to some,
// an error to others) and English grouping 1,234.56 (in a Dutch file 1,234 means one point two three four).
const DOT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?\d*,\d+$/;
const DUTCH_GROUPED = /^[+-]?\d{1,3}(\.\d{3})+,\d+$/;

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
    return Number.isNaN(raw.getTime()) ? new ValueError("bad date") : inDateRange(isoDay(raw), raw);
  }
  const s = String(raw).trim();
  const m = DATE_RE.exec(s) ?? TS_RE.exec(s);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return new ValueError(`bad date ${show(raw)} (expected YYYY-MM-DD)`);
  }
  return inDateRange(`${m[1]}-${m[2]}-${m[3]}`, raw);
}

function inDateRange(date: string, raw: RawValue): string | ValueError {
  if (date < FIRST_DATE || date > LAST_DATE) {
    return new ValueError(`date ${show(raw)} outside kei's range ${FIRST_DATE} to ${LAST_DATE}`);
  }
  return date;
}

function inTimeRange(epoch: number, raw: RawValue): number | ValueError {
  if (epoch < FIRST_EPOCH || epoch > LAST_EPOCH) {
    return new ValueError(
      `timestamp ${show(raw)} outside kei's range ${FIRST_DATE}T00:00:00Z to ${LAST_DATE}T23:59:59Z`,
    );
  }
  return epoch;
}

export function parseTimestamp(raw: RawValue, zone: string): number | ValueError {
  if (raw instanceof Date) {
    const t = raw.getTime();
    return Number.isNaN(t) ? new ValueError("bad timestamp") : inTimeRange(Math.floor(t / 1000), raw);
  }
  const s = String(raw).trim();
  const m = TS_RE.exec(s);
  const bad = () =>
    new ValueError(`bad timestamp ${show(raw)} (expected ISO 8601, e.g. 2025-03-01T09:30:00)`);
  if (!m) return bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, se] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || se > 59) return bad();
  // Date.UTC reads the years 0-99 as 1900-1999; setUTCFullYear keeps the year as written.
  const at = new Date(Date.UTC(2000, mo - 1, d, h, mi, se));
  at.setUTCFullYear(y);
  const wall = at.getTime() / 1000;
  const tz = m[8];
  if (tz === undefined) return inTimeRange(zonedWallTimeToEpoch(wall, zone), raw);
  if (tz === "Z" || tz === "z") return inTimeRange(wall, raw);
  const sign = tz.startsWith("-") ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  const oh = Number(digits.slice(0, 2));
  const om = Number(digits.slice(2) || "0");
  if (oh > 14 || om > 59) return bad();
  return inTimeRange(wall - sign * (oh * 3600 + om * 60), raw);
}

/** `YYYY-MM-DD` of a Date in UTC, for any year (toISOString writes years past 9999 as +010000). */
function isoDay(d: Date): string {
  const y = d.getUTCFullYear();
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${y < 0 ? "-" : ""}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Parses a present (non-missing) raw value for a column, checking enums, bounds and patterns. */
export function parseValue(raw: RawValue, column: ColumnSpec, zone: string): CanonicalValue | ValueError {
  switch (column.type) {
    case "string": {
      const s = (raw instanceof Date ? raw.toISOString() : String(raw)).trim();
      if (LONE_SURROGATE.test(s)) {
        return new ValueError(`bad text ${show(raw)} (not valid Unicode: a lone surrogate)`);
      }
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
