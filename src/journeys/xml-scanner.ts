/**
 * Tells which markup token starts at a `<` and finds where it ends, resumably: scan() may be called on one chunk
 * after another and keeps its state (open quote, run of `-` or `]`, DOCTYPE bracket depth) in between, so no byte
 * is looked at twice however many chunks a token spans.
 *
 * Kinds: 0 start tag (ends at a `>` outside quotes), 1 end tag (`>`), 2 comment (`-->`), 3 CDATA section (`]]>`),
 * 4 processing instruction (`?>`), 5 DOCTYPE (`>` outside quotes and brackets). A `<` inside a start or end tag,
 * quoted or not, is an error at once, so an unclosed tag or quote fails where it is, not at the end of the file.
 */
import { XmlError } from "./xml-bytes.js";

const OPENINGS: readonly (readonly [number, number[]])[] = [
  [2, [0x21, 0x2d, 0x2d]], // !--
  [3, [0x21, 0x5b, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5b]], // ![CDATA[
  [5, [0x21, 0x44, 0x4f, 0x43, 0x54, 0x59, 0x50, 0x45]], // !DOCTYPE
];

export class XmlScanner {
  /** The kind of the current token, -1 while unknown. */
  kind = -1;
  /** Length of the current token's opening (`<`, `</`, `<!--`, ...). */
  skip = 0;
  private quote = 0;
  private run = 0;
  private depth = 0;

  /** The kind of token at buf[pos] (a `<`) at absolute `offset`; -1 when buf ends too soon to tell. */
  start(buf: Buffer, pos: number, offset: number): number {
    this.quote = 0;
    this.run = 0;
    this.depth = 0;
    this.kind = -1;
    if (pos + 1 >= buf.length) return -1;
    const c = buf[pos + 1];
    if (c === 0x2f) return this.is(1, 2);
    if (c === 0x3f) return this.is(4, 2);
    if (c !== 0x21) return this.is(0, 1);
    let incomplete = false;
    for (const [kind, bytes] of OPENINGS) {
      let i = 0;
      while (i < bytes.length && pos + 1 + i < buf.length && buf[pos + 1 + i] === bytes[i]) i++;
      if (i === bytes.length) return this.is(kind, bytes.length + 1);
      if (pos + 1 + i >= buf.length) incomplete = true;
    }
    if (incomplete) return -1;
    throw new XmlError("markup '<!' that is no comment, CDATA section or DOCTYPE", offset);
  }

  private is(kind: number, skip: number): number {
    this.kind = kind;
    this.skip = skip;
    return kind;
  }

  /** Index of the current token's last byte (its `>`) in buf, looking from `from` (at absolute `offset`); or -1. */
  scan(buf: Buffer, from: number, offset: number): number {
    const n = buf.length;
    const kind = this.kind;
    for (let p = from; p < n; p++) {
      const c = buf[p] as number;
      if (kind <= 1 || kind === 5) {
        if (this.quote !== 0) {
          if (c === this.quote) this.quote = 0;
          else if (c === 0x3c && kind <= 1) throw new XmlError("'<' inside a tag", offset + p - from);
        } else if (c === 0x3e && this.depth === 0) return p;
        else if (c === 0x3c && kind <= 1) throw new XmlError("'<' inside a tag", offset + p - from);
        else if (kind !== 1 && (c === 0x22 || c === 0x27)) this.quote = c;
        else if (kind === 5 && c === 0x5b) this.depth++;
        else if (kind === 5 && c === 0x5d && this.depth > 0) this.depth--;
      } else if (kind === 4) {
        if (c === 0x3e && this.run === 1) return p;
        this.run = c === 0x3f ? 1 : 0;
      } else {
        const mark = kind === 2 ? 0x2d : 0x5d;
        if (c === mark) this.run++;
        else if (c === 0x3e && this.run >= 2) return p;
        else this.run = 0;
      }
    }
    return -1;
  }
}
