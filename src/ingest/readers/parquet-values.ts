/**
 * Parquet values into raw values, one converter per top-level column. The rules:
 * - integers a JS number holds exactly are numbers; larger INT64/UINT64 are their exact digits (text);
 * - DECIMAL is read from its unscaled integer (hyparquet would round it through a double): a number when
 *   a double holds it exactly, else its exact digits;
 * - INTERVAL becomes an ISO 8601 duration (P1Y2M3DT4H5M6.789S), TIME a time of day (12:34:56.789);
 * - text must be valid UTF-8 (never replaced with U+FFFD); BYTE_ARRAY without annotation is read as text;
 * - a TIMESTAMP not adjusted to UTC is wall-clock time: ISO text without offset, read in the run's zone;
 * - nested values (struct, list, map) become JSON text, their leaves converted by the same rules;
 * - what cannot be converted (invalid UTF-8, BSON) is a `BadValue`: the row is rejected naming the column.
 * hyparquet must read with the annotations `rawElement` strips and with `PARSERS`, so the raw data
 * reaches these converters.
 */
import type { ParquetParsers, SchemaElement, SchemaTree } from "hyparquet";
import type { RawValue } from "../../schema/parse-value.js";
import { emptyRecord } from "./empty-record.js";
import { decimalText, exactNumber, signedBigEndian } from "./exact-number.js";
import { firstInvalidUtf8 } from "./utf8-lines.js";

export class BadValue {
  constructor(
    readonly reason: string,
    /** The value as far as it can be shown, for the rejects file. */
    readonly shown: string,
  ) {}
}

export type Converter = (v: unknown) => RawValue | BadValue;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

function text(bytes: Uint8Array | undefined): string | BadValue | undefined {
  if (bytes === undefined || bytes === null) return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    const byte = (bytes[firstInvalidUtf8(bytes)] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    return new BadValue(`not valid UTF-8 (byte 0x${byte})`, lossy.decode(bytes));
  }
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Decoding hooks for hyparquet: strict text, JSON kept as its text, timestamps rounded down. */
export const PARSERS: Partial<ParquetParsers> = {
  stringFromBytes: text,
  jsonFromBytes: text,
  timestampFromMicroseconds: (us: bigint) => new Date(Number(floorDiv(us, 1000n))),
  timestampFromNanoseconds: (ns: bigint) => new Date(Number(floorDiv(ns, 1_000_000n))),
};

const isDecimal = (e: SchemaElement) => e.converted_type === "DECIMAL" || e.logical_type?.type === "DECIMAL";
const isRawBinary = (e: SchemaElement) =>
  e.converted_type === "INTERVAL" || e.converted_type === "BSON" || e.logical_type?.type === "BSON";

/** The schema element as hyparquet should read it: DECIMAL, INTERVAL and BSON left undecoded. */
export function rawElement(e: SchemaElement): SchemaElement {
  if (!isDecimal(e) && !isRawBinary(e) && e.logical_type?.type !== "INTERVAL") return e;
  return { ...e, converted_type: undefined, logical_type: undefined };
}

/** Any value hyparquet gives, as a raw value (no annotation-specific handling). */
function plain(v: unknown): RawValue | BadValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return text(v) ?? null;
  if (v instanceof BadValue || v instanceof Date) return v;
  if (typeof v === "object") return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? plain(x) : x));
  return v as string | number | boolean;
}

function leaf(e: SchemaElement): Converter {
  if (isDecimal(e)) {
    const scale = e.scale ?? (e.logical_type?.type === "DECIMAL" ? e.logical_type.scale : 0);
    const precision = e.precision ?? (e.logical_type?.type === "DECIMAL" ? e.logical_type.precision : 99);
    const unscaled = (v: unknown) =>
      v instanceof Uint8Array
        ? signedBigEndian(v)
        : typeof v === "bigint" || typeof v === "number"
          ? v
          : undefined;
    // Up to 15 digits: the unscaled integer and 10^scale are exact doubles, and the division is
    // correctly rounded, so it gives the double nearest the decimal: the same number as its text.
    if (precision <= 15 && scale >= 0 && scale <= 22) {
      const divisor = 10 ** scale;
      return (v) => {
        const u = unscaled(v);
        return u === undefined ? plain(v) : Number(u) / divisor;
      };
    }
    return (v) => {
      const u = unscaled(v);
      return u === undefined ? plain(v) : exactNumber(decimalText(BigInt(u), scale));
    };
  }
  if (e.converted_type === "INTERVAL" || e.logical_type?.type === "INTERVAL") {
    return (v) => (v instanceof Uint8Array && v.length === 12 ? isoDuration(v) : plain(v));
  }
  if (isRawBinary(e))
    return (v) => (v == null ? null : new BadValue("BSON values are not supported", "(BSON)"));
  const t = e.logical_type;
  const timeUnit =
    t?.type === "TIME"
      ? t.unit
      : e.converted_type === "TIME_MILLIS"
        ? "MILLIS"
        : e.converted_type === "TIME_MICROS"
          ? "MICROS"
          : undefined;
  if (timeUnit)
    return (v) =>
      typeof v === "number" || typeof v === "bigint" ? timeOfDay(BigInt(v), timeUnit) : plain(v);
  if (t?.type === "TIMESTAMP" && !t.isAdjustedToUTC) {
    return (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 19) : plain(v));
  }
  return plain;
}

/** The converter for one top-level column of the (unstripped) schema. */
export function columnConverter(node: SchemaTree): Converter {
  if (node.children.length === 0 && node.element.repetition_type !== "REPEATED") return leaf(node.element);
  const walk = nestedWalker(node);
  return (v) => {
    if (v === undefined || v === null) return null;
    const bad: BadValue[] = [];
    const out = walk(v, bad);
    return bad[0] ?? JSON.stringify(out);
  };
}

type Walker = (v: unknown, bad: BadValue[]) => unknown;

/** Follows hyparquet's assembly (schema.js isListLike / isMapLike): list -> array, map/struct -> object. */
function nestedWalker(node: SchemaTree): Walker {
  const e = node.element;
  const kids = node.children;
  let one: Walker;
  if (kids.length === 0 || e.logical_type?.type === "VARIANT") {
    const f = kids.length === 0 ? leaf(e) : plain;
    // JSON has no NaN, Infinity or invalid date: keep the first two as text, refuse the last.
    one = (v, bad) => {
      let r = f(v);
      if (r instanceof Date && Number.isNaN(r.getTime()))
        r = new BadValue("date out of range", "Invalid Date");
      if (r instanceof BadValue) bad.push(r);
      return r instanceof BadValue ? null : typeof r === "number" && !Number.isFinite(r) ? String(r) : r;
    };
  } else if (
    e.converted_type === "LIST" &&
    kids.length === 1 &&
    (kids[0] as SchemaTree).children.length <= 1
  ) {
    const list = kids[0] as SchemaTree;
    const item = nestedWalker(list.children.length === 1 ? (list.children[0] as SchemaTree) : list);
    one = (v, bad) => (Array.isArray(v) ? v.map((x) => item(x, bad)) : plain(v));
  } else if (
    e.converted_type === "MAP" &&
    kids.length === 1 &&
    (kids[0] as SchemaTree).children.length === 2
  ) {
    const value = nestedWalker((kids[0] as SchemaTree).children[1] as SchemaTree);
    one = (v, bad) => mapObject(v, Object.keys(v ?? {}), (x) => value(x, bad));
  } else {
    const fields = kids.map((k) => [k.element.name, nestedWalker(k)] as const);
    one = (v, bad) => {
      if (v === undefined || v === null || typeof v !== "object") return plain(v);
      const out = emptyRecord<unknown>();
      for (const [name, f] of fields) out[name] = f((v as Record<string, unknown>)[name], bad);
      return out;
    };
  }
  if (e.repetition_type !== "REPEATED") return one;
  return (v, bad) => (Array.isArray(v) ? v.map((x) => one(x, bad)) : one(v, bad));
}

function mapObject(v: unknown, keys: string[], f: (x: unknown) => unknown): unknown {
  if (v === undefined || v === null || typeof v !== "object") return plain(v);
  const out = emptyRecord<unknown>();
  for (const k of keys) out[k] = f((v as Record<string, unknown>)[k]);
  return out;
}

/** Parquet INTERVAL (months, days, milliseconds; little-endian uint32) as an ISO 8601 duration. */
export function isoDuration(b: Uint8Array): string {
  const view = new DataView(b.buffer, b.byteOffset, 12);
  const months = view.getUint32(0, true);
  const days = view.getUint32(4, true);
  const ms = view.getUint32(8, true);
  const [y, mo] = [Math.floor(months / 12), months % 12];
  const [h, mi, s] = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, (ms % 60_000) / 1000];
  const date = `${y ? `${y}Y` : ""}${mo ? `${mo}M` : ""}${days ? `${days}D` : ""}`;
  const time = `${h ? `${h}H` : ""}${mi ? `${mi}M` : ""}${s ? `${s}S` : ""}`;
  const iso = `P${date}${time ? `T${time}` : ""}`;
  return iso === "P" ? "PT0S" : iso;
}

/** TIME as hh:mm:ss with the fraction the unit has (trailing zeros dropped). */
export function timeOfDay(v: bigint, unit: "MILLIS" | "MICROS" | "NANOS"): string {
  const per = unit === "MILLIS" ? 1000n : unit === "MICROS" ? 1_000_000n : 1_000_000_000n;
  const secs = v / per;
  const frac = (v % per)
    .toString()
    .padStart(per.toString().length - 1, "0")
    .replace(/0+$/, "");
  const hms = [secs / 3600n, (secs / 60n) % 60n, secs % 60n].map((n) => n.toString().padStart(2, "0"));
  return `${hms.join(":")}${frac ? `.${frac}` : ""}`;
}
