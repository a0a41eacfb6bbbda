/**
 * Numbers that must not be rounded on the way in. A reader hands a number on as a JS number only when
 * the number holds it exactly: an integer within ±(2^53-1), or a decimal whose shortest round-trip form
 * is the same decimal value. Anything else (98765432109876543210, 0.12345678901234567, a DECIMAL(38,18))
 * goes on as its exact digits, a string, so that ids stay distinct and numeric columns can refuse it.
 */

/** The number for a JSON-style numeric literal when a JS number holds it exactly, else the literal. */
export function exactNumber(literal: string): number | string {
  const n = Number(literal);
  if (!Number.isFinite(n)) return literal;
  if (/^-?\d+$/.test(literal)) return Number.isSafeInteger(n) ? n : literal;
  const a = normalize(literal);
  // Up to 15 significant digits survive a double in its normal range (not 0 or subnormal from
  // underflow); otherwise compare with what the number became.
  if (a && a.digits.length <= 15 && Math.abs(n) >= 2.2250738585072014e-308) return n;
  const b = normalize(String(n));
  return a && b && a.sign === b.sign && a.digits === b.digits && a.point === b.point ? n : literal;
}

interface Decimal {
  readonly sign: string;
  /** Significant digits, no leading or trailing zeros ("" for zero). */
  readonly digits: string;
  /** Position of the decimal point relative to the first significant digit. */
  readonly point: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function normalize(text: string): Decimal | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const int = m[2] ?? "";
  const all = int + (m[3] ?? "");
  let point = int.length + Number(m[4] ?? 0);
  let start = 0;
  while (start < all.length && all[start] === "0") start++;
  point -= start;
  let end = all.length;
  while (end > start && all[end - 1] === "0") end--;
  const digits = all.slice(start, end);
  return digits === "" ? { sign: "", digits, point: 0 } : { sign: m[1] === "-" ? "-" : "", digits, point };
}

/** `unscaled × 10^-scale` as exact decimal text: (12345n, 2) -> "123.45", (-5n, 3) -> "-0.005". */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  } else if (scale < 0) {
    digits += "0".repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

/** A big-endian two's-complement integer (Parquet DECIMAL in a byte array). */
export function signedBigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  if (bytes.length > 0 && (bytes[0] as number) >= 0x80) value -= 1n << bits;
  return value;
}
