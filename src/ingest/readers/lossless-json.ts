/**
 * A small JSON parser for the lines that JSON.parse would round: numbers a JS number cannot hold exactly
 * come out as `JsonDigits` (their literal text), everything else as JSON.parse gives it. Objects have a
 * null prototype, so `__proto__` is an ordinary key, and keep JSON.parse's key order (duplicate keys:
 * the last value at the first key's place). Only used on text JSON.parse has already accepted, and
 * nesting is limited (the caller checks the depth first; this parser refuses deeper input too).
 * `stringifyLossless` writes such a value back the way JSON.stringify would, with the exact digits.
 */

import { emptyRecord } from "./empty-record.js";
import { exactNumber } from "./exact-number.js";

export class JsonDigits {
  constructor(readonly text: string) {}
}

export type LosslessValue =
  | string
  | number
  | boolean
  | null
  | JsonDigits
  | LosslessValue[]
  | { [key: string]: LosslessValue };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseLossless(text: string, maxDepth: number): LosslessValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) fail(`expected ${ch}`);
    i++;
  };
  const string = (): string => {
    let end = i + 1;
    for (;;) {
      end = text.indexOf('"', end);
      if (end < 0) return fail("unterminated string");
      let backslashes = 0;
      while (text.charCodeAt(end - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) break;
      end++;
    }
    const s = JSON.parse(text.slice(i, end + 1)) as string;
    i = end + 1;
    return s;
  };
  const value = (depth: number): LosslessValue => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
      i++;
      ws();
      const close = c === "{" ? "}" : "]";
      const out: LosslessValue[] | { [key: string]: LosslessValue } =
        c === "{" ? emptyRecord<LosslessValue>() : [];
      if (text[i] === close) {
        i++;
        return out;
      }
      for (;;) {
        if (Array.isArray(out)) out.push(value(depth + 1));
        else {
          ws();
          if (text[i] !== '"') fail("expected a key");
          const key = string();
          expect(":");
          out[key] = value(depth + 1);
        }
        ws();
        if (text[i] === ",") i++;
        else {
          expect(close);
          return out;
        }
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("unexpected character");
    i += m[0].length;
    const n = exactNumber(m[0]);
    return typeof n === "number" ? n : new JsonDigits(n);
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail("unexpected text after the value");
  return result;
}

/** JSON text of a parsed value, as JSON.stringify would write it but with exact digits kept. */
export function stringifyLossless(v: LosslessValue): string {
  if (v instanceof JsonDigits) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringifyLossless).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const parts = Object.keys(v).map(
      (k) => `${JSON.stringify(k)}:${stringifyLossless(v[k] as LosslessValue)}`,
    );
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(v);
}
