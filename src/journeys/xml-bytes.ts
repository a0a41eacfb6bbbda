/**
 * Byte-level helpers of the streaming XML tokenizer (xml-tokenizer.ts).
 *
 * Rules:
 * - Text is decoded only when asked for, from a byte range, with the document's decoder (UTF-8 unless its XML
 *   declaration names another ASCII-compatible encoding).
 * - Short byte strings that recur (element and attribute names, XES keys, activities) are interned: one string
 *   per distinct byte sequence, found by a cheap hash of a few of its bytes and a byte comparison, up to
 *   MAX_INTERNED of them. Values with a reference or a control character are decoded apart, never interned.
 * - Attribute values are normalised as XML 1.0 says: a literal tab, line feed, carriage return or CR LF becomes
 *   one space; the references &lt; &gt; &amp; &quot; &apos; &#N; and &#xN; are replaced by their character
 *   (which must be an XML Char); any other `&` is an error, since DTD entities are not read.
 */

/** A well-formedness or XES error at an absolute byte offset of the (decompressed) document. */
export class XmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** The open element the error concerns, when that is elsewhere (an unclosed or mismatched element). */
    readonly opened?: { readonly name: string; readonly offset: number },
  ) {
    super(message);
  }
}

export type Decoder = (buf: Buffer, start: number, end: number) => string;

export const utf8: Decoder = (buf, start, end) => buf.toString("utf8", start, end);

/** A decoder for an encoding an XML declaration names, or undefined if the encoding is not supported. */
export function decoderFor(label: string): Decoder | undefined {
  const l = label.toLowerCase();
  if (l === "utf-8" || l === "utf8" || l === "us-ascii" || l === "ascii") return utf8;
  if (l.startsWith("utf-16") || l.startsWith("utf-32") || l.startsWith("ucs")) return undefined;
  try {
    const d = new TextDecoder(l);
    return (buf, start, end) => d.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * Index of the first `byte` in buf from `from` on, or -1. Looks at the first bytes itself, as most searches end
 * within a few bytes and a call of Buffer.indexOf costs more than that; then lets indexOf look further.
 */
export function findByte(buf: Buffer, byte: number, from: number): number {
  const n = buf.length;
  const near = Math.min(n, from + 32);
  for (let p = from; p < near; p++) if (buf[p] === byte) return p;
  return near < n ? buf.indexOf(byte, near) : -1;
}

const MAX_INTERNED = 50_000;
export const MAX_INTERNED_LENGTH = 64;
const BUCKETS = 1 << 16;

interface Interned {
  readonly bytes: Buffer;
  readonly text: string;
  readonly next: Interned | undefined;
}

/** A bucket for buf[start, end), from its length and five of its bytes: cheap, and the chain is short. */
function bucket(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  let h = Math.imul(n, 0x9e3779b1);
  if (n > 0) h = Math.imul(h ^ (buf[start] as number) ^ ((buf[end - 1] as number) << 8), 0x01000193);
  if (n > 1) h = Math.imul(h ^ (buf[start + 1] as number) ^ ((buf[end - 2] as number) << 8), 0x01000193);
  if (n > 2) h = Math.imul(h ^ (buf[start + (n >> 1)] as number), 0x01000193);
  return (h ^ (h >>> 16)) & (BUCKETS - 1);
}

/** One string per distinct short byte sequence (given no `&` nor control characters: see decodeValue). */
export class ByteInterner {
  private readonly buckets: (Interned | undefined)[] = new Array(BUCKETS).fill(undefined);
  private size = 0;
  decode: Decoder = utf8;

  /**
   * Makes these the strings given for their bytes: a reader's own string constants, so that comparing with them
   * and using them as property keys takes no look at their characters.
   */
  seed(words: readonly string[]): void {
    for (const text of words) {
      const bytes = Buffer.from(text, "utf8");
      const at = bucket(bytes, 0, bytes.length);
      this.buckets[at] = { bytes, text, next: this.buckets[at] };
      this.size++;
    }
  }

  /** The text of buf[start, end). */
  text(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_INTERNED_LENGTH) return this.decode(buf, start, end);
    const at = bucket(buf, start, end);
    const first = this.buckets[at];
    for (let e = first; e !== undefined; e = e.next) {
      const b = e.bytes;
      if (b.length !== length) continue;
      let i = 0;
      while (i < length && b[i] === buf[start + i]) i++;
      if (i === length) return e.text;
    }
    const text = this.decode(buf, start, end);
    if (this.size < MAX_INTERNED) {
      this.buckets[at] = { bytes: Buffer.from(buf.subarray(start, end)), text, next: first };
      this.size++;
    }
    return text;
  }
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

const isXmlChar = (c: number) =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

/** The character an entity or character reference (the text between `&` and `;`) stands for. */
function reference(name: string, offset: number): string {
  const named = NAMED[name];
  if (named !== undefined) return named;
  if (name.charCodeAt(0) === 0x23 /* # */) {
    const hex = name.charCodeAt(1) === 0x78; /* x */
    const radix = hex ? 16 : 10;
    let code = name.length > (hex ? 2 : 1) ? 0 : Number.NaN;
    for (let i = hex ? 2 : 1; i < name.length; i++)
      code = code * radix + Number.parseInt(name.charAt(i), radix);
    if (isXmlChar(code)) return String.fromCodePoint(code);
    throw new XmlError(`&${name}; is not a character an XML document may hold`, offset);
  }
  throw new XmlError(
    `unknown entity &${name}; (only &lt; &gt; &amp; &quot; &apos; and &#...; are read)`,
    offset,
  );
}

/** An attribute value with references replaced and whitespace normalised (see the header). */
export function decodeValue(buf: Buffer, start: number, end: number, decode: Decoder, base: number): string {
  let out = "";
  let segment = start;
  for (let p = start; p < end; p++) {
    const c = buf[p] as number;
    if (c === 0x26 /* & */) {
      let semi = p + 1;
      while (semi < end && semi - p <= 10 && buf[semi] !== 0x3b) semi++;
      if (semi >= end || buf[semi] !== 0x3b) throw new XmlError("an '&' that starts no reference", base + p);
      out += decode(buf, segment, p) + reference(buf.toString("latin1", p + 1, semi), base + p);
      p = semi;
      segment = semi + 1;
    } else if (c === 0x9 || c === 0xa || c === 0xd) {
      out += `${decode(buf, segment, p)} `;
      if (c === 0xd && p + 1 < end && buf[p + 1] === 0xa) p++;
      segment = p + 1;
    }
  }
  return segment === start ? decode(buf, start, end) : out + decode(buf, segment, end);
}
