/**
 * A start tag (`<name a="1" b='2'>` or `<name .../>`) parsed in place from bytes, for xml-tokenizer.ts.
 *
 * Rules: the name follows `<` at once; attributes are separated by whitespace, written `name = "value"` or
 * `name = 'value'` in any order, each name at most once; no `<` in the tag, values included; a reference in a
 * value must be well-formed. Values are decoded (see xml-bytes.ts) only when asked for, so a reader pays only for
 * the attributes it uses. The parsed tag is valid until the next tag is parsed.
 * Speed: one pass over the tag's bytes; attribute names are first tried as the ones the last tag had at their
 * place; a value's characters are decoded only when asked for; the next `<` is found on the way out, for the
 * tokenizer.
 */

import { isoMillis, timeOf } from "./log-time.js";
import { type ByteInterner, decodeValue, findByte, MAX_INTERNED_LENGTH, XmlError } from "./xml-bytes.js";

export const isSpace = (c: number) => c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
/** Bytes that end a name: whitespace / = > < " ' (and `!`, `?`, which start no name). */
const ENDS_NAME = new Uint8Array(256);
for (const c of [0x20, 0xa, 0x9, 0xd, 0x2f, 0x3d, 0x3e, 0x3c, 0x22, 0x27, 0x21, 0x3f]) ENDS_NAME[c] = 1;
/** Bytes a value's scan stops at: quotes, < and & and control characters. */
const STOPS_VALUE = new Uint8Array(256);
for (const c of [0x22, 0x27, 0x3c, 0x26]) STOPS_VALUE[c] = 1;
STOPS_VALUE.fill(1, 0, 0x20);

/** Per attribute: value start, value end, whether the value holds a reference (`&`) or a control character. */
const SPAN = 3;

export class StartTag {
  name = "";
  selfClosing = false;
  /** Absolute offset of the `<`. */
  offset = 0;
  count = 0;
  /** Index of the first `<` after the tag in the buffer it was parsed from, or -1 if there is none. */
  next = -1;
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private spans = new Int32Array(SPAN * 8);
  private names: string[] = [];
  /** Per attribute place, the bytes and text of the name the last tag had there. */
  private readonly lastNames: Buffer[] = [];
  private readonly lastTexts: string[] = [];

  constructor(private readonly interner: ByteInterner) {}

  /** Index of the attribute with this name, or -1. */
  indexOf(name: string): number {
    for (let i = 0; i < this.count; i++) if (this.names[i] === name) return i;
    return -1;
  }

  /** The decoded value of attribute i; short plain values are interned (one string per distinct value). */
  value(i: number, intern = true): string {
    const s = this.spans;
    const at = i * SPAN;
    const start = s[at] as number;
    const end = s[at + 1] as number;
    if (intern && s[at + 2] === 0 && end - start <= MAX_INTERNED_LENGTH)
      return this.interner.text(this.buf, start, end);
    return decodeValue(this.buf, start, end, this.interner.decode, this.offset - this.start);
  }

  /** The time of attribute i's value as log-time.ts reads it, without decoding it when it has the common form. */
  time(i: number): number {
    const at = i * SPAN;
    const t =
      this.spans[at + 2] !== 0
        ? Number.NaN
        : isoMillis(this.buf, this.spans[at] as number, this.spans[at + 1] as number);
    return Number.isNaN(t) ? timeOf(this.value(i, false)) : t;
  }

  /** Whether the value of attribute i is `ascii` (an ASCII string), found without decoding it. */
  valueIs(i: number, ascii: string): boolean {
    const at = i * SPAN;
    const start = this.spans[at] as number;
    if (this.spans[at + 2] !== 0) return this.value(i) === ascii;
    if ((this.spans[at + 1] as number) - start !== ascii.length) return false;
    for (let k = 0; k < ascii.length; k++) if (this.buf[start + k] !== ascii.charCodeAt(k)) return false;
    return true;
  }

  /** The value of the attribute with this name, if the tag has it. */
  get(name: string, intern = true): string | undefined {
    const i = this.indexOf(name);
    return i < 0 ? undefined : this.value(i, intern);
  }

  /**
   * Parses the start tag at buf[start] (a `<`), whose first byte is at absolute offset `offset`. Returns the
   * index of its closing `>`, or -1 when buf ends first (nothing is wrong so far).
   */
  parse(buf: Buffer, start: number, offset: number): number {
    const n = buf.length;
    this.buf = buf;
    this.start = start;
    this.offset = offset;
    this.count = 0;
    this.selfClosing = false;
    let p = start + 1;
    while (p < n && ENDS_NAME[buf[p] as number] === 0) p++;
    if (p >= n) return -1;
    if (p === start + 1) throw this.fail("'<' must be followed by an element name", p);
    this.name = this.interner.text(buf, start + 1, p);
    for (;;) {
      const spaced = p;
      while (p < n && isSpace(buf[p] as number)) p++;
      if (p >= n) return -1;
      const c = buf[p] as number;
      if (c === 0x3e /* > */) return this.end(buf, p);
      if (c === 0x2f /* / */) {
        if (p + 1 >= n) return -1;
        if (buf[p + 1] !== 0x3e) throw this.fail("'/' in a tag must be followed by '>'", p);
        this.selfClosing = true;
        return this.end(buf, p + 1);
      }
      if (p === spaced)
        throw this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in <${this.name}>`, p);
      const nameStart = p;
      p = this.readName(buf, p);
      if (p >= n) return -1;
      const name = this.names[this.count] as string;
      while (p < n && isSpace(buf[p] as number)) p++;
      if (p >= n) return -1;
      if (buf[p] !== 0x3d /* = */)
        throw this.fail(`attribute ${name} of <${this.name}> has no '=' and value`, p);
      p++;
      while (p < n && isSpace(buf[p] as number)) p++;
      if (p >= n) return -1;
      const quote = buf[p] as number;
      if (quote !== 0x22 && quote !== 0x27)
        throw this.fail(`attribute ${name} of <${this.name}> is not quoted`, p);
      const valueStart = ++p;
      let special = 0;
      for (; p < n; p++) {
        const v = buf[p] as number;
        if (STOPS_VALUE[v] === 0) continue;
        if (v === quote) break;
        if (v === 0x3c) throw this.fail("'<' inside a tag (write &lt; in a value)", p);
        if (v === 0x26 || v < 0x20) special = 1;
      }
      if (p >= n) return -1;
      if (this.indexOf(name) >= 0) throw this.fail(`attribute ${name} twice in <${this.name}>`, nameStart);
      if (special) decodeValue(buf, valueStart, p, this.interner.decode, offset - start);
      this.add(valueStart, p, special);
      p++;
    }
  }

  /**
   * Reads the name of attribute `count` at buf[p] into names[count]; returns the index after it (n if buf ends).
   * Tags of a kind repeat their attribute names in order, so the name the last tag had at this place is tried
   * first, by comparing bytes.
   */
  private readName(buf: Buffer, from: number): number {
    const n = buf.length;
    const i = this.count;
    const last = this.lastNames[i];
    if (last !== undefined) {
      const end = from + last.length;
      let k = 0;
      while (k < last.length && end < n && buf[from + k] === last[k]) k++;
      if (k === last.length && end < n && ENDS_NAME[buf[end] as number] === 1) {
        this.names[i] = this.lastTexts[i] as string;
        return end;
      }
    }
    let p = from;
    while (p < n && ENDS_NAME[buf[p] as number] === 0) p++;
    if (p >= n) return n;
    if (p === from)
      throw this.fail(
        `unexpected ${JSON.stringify(String.fromCharCode(buf[p] as number))} in <${this.name}>`,
        p,
      );
    this.names[i] = this.interner.text(buf, from, p);
    this.lastNames[i] = Buffer.from(buf.subarray(from, p));
    this.lastTexts[i] = this.names[i] as string;
    return p;
  }

  /** The tag ends at buf[end]; notes where the next `<` is, as the tokenizer looks for it next. */
  private end(buf: Buffer, end: number): number {
    this.next = findByte(buf, 0x3c, end + 1);
    return end;
  }

  private fail(message: string, p: number): XmlError {
    return new XmlError(message, this.offset + p - this.start);
  }

  private add(valueStart: number, valueEnd: number, reference: number): void {
    if ((this.count + 1) * SPAN > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    const at = this.count * SPAN;
    this.spans[at] = valueStart;
    this.spans[at + 1] = valueEnd;
    this.spans[at + 2] = reference;
    this.count++;
  }
}
