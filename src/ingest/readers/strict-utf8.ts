/**
 * Streamed UTF-8 decoding for the CSV reader that never turns a bad byte into U+FFFD silently, and a
 * marker for the bytes that are not valid UTF-8 so the reader can reject just the records holding them.
 *
 * Rules:
 * - Chunks are cut after their last complete character; the first bytes of a character split by the
 *   chunk boundary are carried to the next chunk (at the end of the file they are invalid).
 * - Fast path: a chunk is decoded by `TextDecoder` with `fatal: true`. Only when that throws is it
 *   decoded byte by byte (the WHATWG/RFC 3629 rules: no overlong forms, no surrogates, nothing above
 *   U+10FFFF), and each byte that does not start a valid sequence becomes the lone surrogate
 *   U+DC80..U+DCFF ("surrogate escape": byte 0xEB -> U+DCEB). Valid UTF-8 never decodes to a lone
 *   surrogate, so the marker cannot be confused with text; the quote, the delimiters and the line ends
 *   are ASCII and never part of a bad sequence, so the CSV parser splits records exactly as it would.
 * - A U+FFFD written in the file (bytes EF BF BD) is valid UTF-8 and decodes as itself.
 * - The byte-order mark is not dropped here (`ignoreBOM`), because every chunk is decoded on its own;
 *   the reader drops it at the start of the file only.
 * - `markers` counts the markers made so far: a reader that counts those it finds in its records knows
 *   when all are accounted for and can stop looking (every marker lands in exactly one record).
 */

/** Markers: lone low surrogates U+DC80..U+DCFF. With the `u` flag a surrogate pair never matches. */
const ESCAPED_ALL = /[\uDC80-\uDCFF]/gu;

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte), and its second byte's range. */
function lead(b: number): [length: number, lo: number, hi: number] {
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf];
  if (b === 0xe0) return [3, 0xa0, 0xbf]; // no overlong forms
  if (b === 0xed) return [3, 0x80, 0x9f]; // no surrogates U+D800..U+DFFF
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf];
  if (b === 0xf0) return [4, 0x90, 0xbf]; // no overlong forms
  if (b === 0xf4) return [4, 0x80, 0x8f]; // nothing above U+10FFFF
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf];
  return [0, 0, 0];
}

/** Length of the valid sequence starting at `i`, or 0 when the byte there does not start one. */
function validAt(bytes: Uint8Array, i: number): number {
  const [length, lo, hi] = lead(bytes[i] as number);
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1] as number;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < length; k++) {
    const c = bytes[i + k] as number;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

/** Where the last, unfinished character of `bytes` starts (bytes.length when the last one is complete). */
function completeEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let p = n - 1; p >= 0 && p >= n - 3; p--) {
    const b = bytes[p] as number;
    if (b < 0x80 || b > 0xbf) return lead(b)[0] > n - p ? p : n; // a lead byte (or ASCII) at p
  }
  return n;
}

export class StrictUtf8Decoder {
  private readonly fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private carry: Uint8Array | undefined;
  /** How many bytes were not valid UTF-8 (each became one marker). */
  markers = 0;

  /** Decodes `chunk`, keeping an unfinished last character for the next call. */
  write(chunk: Uint8Array): string {
    const bytes = this.carry ? concat(this.carry, chunk) : chunk;
    const end = completeEnd(bytes);
    this.carry = end < bytes.length ? new Uint8Array(bytes.subarray(end)) : undefined;
    return this.decode(end < bytes.length ? bytes.subarray(0, end) : bytes);
  }

  /** Decodes what is left at the end of the input. */
  end(): string {
    const rest = this.carry;
    this.carry = undefined;
    return rest ? this.decode(rest) : "";
  }

  private decode(bytes: Uint8Array): string {
    try {
      return this.fatal.decode(bytes);
    } catch {
      return this.escape(bytes);
    }
  }

  /** Valid runs decoded as one piece each; every other byte becomes its marker. */
  private escape(bytes: Uint8Array): string {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let out = "";
    let run = 0;
    let i = 0;
    while (i < buf.length) {
      const b = buf[i] as number;
      if (b < 0x80) i++;
      else {
        const length = validAt(buf, i);
        if (length > 0) i += length;
        else {
          out += buf.toString("utf8", run, i) + String.fromCharCode(0xdc00 + b);
          this.markers++;
          run = ++i;
        }
      }
    }
    return out + buf.toString("utf8", run, buf.length);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Index of the next marker in `text` from `from`, or -1. A low surrogate after a high one is text. */
function nextMarker(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) return i;
  }
  return -1;
}

/** The first byte in `text` that was not valid UTF-8, or -1. */
export function firstInvalidByte(text: string): number {
  const i = nextMarker(text, 0);
  return i < 0 ? -1 : text.charCodeAt(i) - 0xdc00;
}

/** True when `text` holds a byte that was not valid UTF-8. */
export function hasInvalidBytes(text: string): boolean {
  return nextMarker(text, 0) >= 0;
}

/** How many bytes in `text` were not valid UTF-8. */
export function countInvalidBytes(text: string): number {
  let n = 0;
  for (let i = nextMarker(text, 0); i >= 0; i = nextMarker(text, i + 1)) n++;
  return n;
}

/** `text` with each byte that was not valid UTF-8 written as `\xHH`, for the rejects file. */
export function showInvalidBytes(text: string): string {
  return text.replace(ESCAPED_ALL, (c) => `\\x${hex(c.charCodeAt(0) - 0xdc00)}`);
}

/** `EB` for 0xEB. */
export function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
