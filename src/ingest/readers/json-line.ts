/**
 * One NDJSON line into one record. The rules:
 * - a line must hold one JSON object; otherwise the record carries an `error` (the row is rejected);
 * - nesting deeper than MAX_DEPTH levels is rejected before parsing (deep input would overflow the stack);
 * - a number a JS number cannot hold exactly reaches the coercer as its exact digits (a string); only
 *   lines with a run of 16+ digits or a 3-digit exponent take this slower lossless path;
 * - a string or key that is not well-formed Unicode (a lone surrogate such as "\ud800") is rejected;
 * - nested values are kept as JSON text; `values` has a null prototype so `__proto__` is a normal key;
 * - any other failure for the line rejects that line; it never aborts the run.
 */
import type { RawValue } from "../../schema/parse-value.js";
import { emptyRecord } from "./empty-record.js";
import { JsonDigits, type LosslessValue, parseLossless, stringifyLossless } from "./lossless-json.js";
import type { SourceRecord } from "./record-source.js";

export const MAX_DEPTH = 64;

/** At least MAX_DEPTH + 1 opening brackets (ignoring strings): only then is the exact count worth it. */
const MANY_OPENERS = new RegExp(`^(?:[^[{]*[[{]){${MAX_DEPTH + 1}}`);
/**
 * A number that may not fit a double exactly: 16+ digits in a row (a dot may sit among them), or an
 * exponent of 3+ digits (1e400 overflows to Infinity, 1e-400 underflows to 0).
 */
const LONG_DIGITS = /\d[\d.]{15,}|\d[eE][+-]?\d{3}/;

type Fields = { [key: string]: unknown };

export function parseJsonLine(line: string, row: number): SourceRecord {
  try {
    return parse(line, row);
  } catch (e) {
    return rejectLine(line, row, `could not read this line (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function rejectLine(raw: string, row: number, error: string): SourceRecord {
  return { row, values: emptyRecord<RawValue>(), raw, error };
}

function parse(line: string, row: number): SourceRecord {
  if (mayNest(line) && MANY_OPENERS.test(line) && nestingDepth(line) > MAX_DEPTH) {
    return rejectLine(line, row, `nesting deeper than ${MAX_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const msg = e.message.split("\n")[0] ?? "";
    return rejectLine(line, row, `invalid JSON: ${msg.length > 80 ? `${msg.slice(0, 77)}...` : msg}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return rejectLine(line, row, "invalid JSON: a line must hold one object");
  }
  const lossless = LONG_DIGITS.test(line);
  const fields = (lossless ? parseLossless(line, MAX_DEPTH) : parsed) as Fields;
  const values = emptyRecord<RawValue>();
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (!wellFormed(key)) {
      return rejectLine(line, row, `column name ${JSON.stringify(key)}: not valid Unicode (lone surrogate)`);
    }
    if (typeof v === "string") {
      if (!wellFormed(v)) return rejectLine(line, row, `column ${key}: not valid Unicode (lone surrogate)`);
      values[key] = v;
    } else if (v instanceof JsonDigits) {
      values[key] = v.text;
    } else if (v === null || typeof v !== "object") {
      values[key] = v as number | boolean | null;
    } else {
      values[key] = lossless ? stringifyLossless(v as LosslessValue) : JSON.stringify(v);
    }
  }
  return { row, values, raw: line };
}

function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** False when the line has no "[" and no "{" after its first: a flat object (fast native scans). */
function mayNest(line: string): boolean {
  return line.includes("[") || line.indexOf("{", line.indexOf("{") + 1) >= 0;
}

/** The deepest bracket nesting of JSON text, brackets inside strings not counted. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
