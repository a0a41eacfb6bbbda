/**
 * A small streaming XML tokenizer over bytes: feed() it chunks as they come (a token may span chunks), then end().
 * It calls the handler for each element opened and closed, and checks well-formedness as it goes.
 *
 * Rules:
 * - Markup: start tags, end tags, empty-element tags (xml-start-tag.ts), comments, CDATA sections, processing
 *   instructions (the XML declaration only first, where its encoding is read), a DOCTYPE before the root (skipped,
 *   internal subset included). Character data inside elements is skipped unread: XES keeps its data in attributes.
 * - One root element; outside it only whitespace, comments and processing instructions. Every element is
 *   closed by an end tag of the same name; the document may not end inside an element or a token.
 * - A UTF-8 byte order mark is skipped; UTF-16 is refused.
 * - Limits: elements nest at most maxDepth deep; one token (a tag with its attributes, a comment, ...) is at most
 *   maxTokenBytes long. Each byte is looked at a bounded number of times, so time is linear in the input.
 */
import { ByteInterner, decoderFor, findByte, XmlError } from "./xml-bytes.js";
import { XmlScanner } from "./xml-scanner.js";
import { isSpace, StartTag } from "./xml-start-tag.js";

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxTokenBytes: number;
}

export interface XmlHandler {
  /** An element starts; `tag` is valid only during the call. An empty-element tag is followed by close(). */
  open(tag: StartTag): void;
  close(): void;
}

const KIND = "a start tag|an end tag|a comment|a CDATA section|a processing instruction|a DOCTYPE".split("|");

export class XmlTokenizer {
  private readonly interner = new ByteInterner();
  private readonly tag = new StartTag(this.interner);
  private readonly scanner = new XmlScanner();
  private readonly names: string[] = [];
  private readonly offsets: number[] = [];
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  private rootSeen = false;
  /** Bytes of an unfinished token (or of the document's first bytes, to look for a byte order mark). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingStart = 0;
  private bodyStart = -1;

  /** `words`: the handler's names and values to compare with (see ByteInterner.seed). */
  constructor(
    private readonly handler: XmlHandler,
    private readonly limits: XmlLimits,
    words: readonly string[] = [],
  ) {
    this.interner.seed(words);
  }

  feed(chunk: Buffer): void {
    let buf = chunk;
    let pos = 0;
    if (this.pendingBytes > 0) {
      if (this.scanner.kind < 0) {
        // Too few bytes to tell what the token is: start over on the joined bytes (a handful of them).
        buf = Buffer.concat([...this.pending, chunk]);
        this.base = this.pendingStart;
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        const end = this.scanner.scan(chunk, 0, this.pendingStart + this.pendingBytes);
        if (end < 0) {
          this.keep(chunk, 0);
          this.base += chunk.length;
          return;
        }
        const token = Buffer.concat([...this.pending, chunk.subarray(0, end + 1)]);
        this.pending = [];
        this.pendingBytes = 0;
        this.token(this.scanner.kind, token, 0, token.length - 1, this.pendingStart);
        pos = end + 1;
      }
    }
    if (this.bodyStart < 0) {
      if (buf.length < 3) {
        this.keepAll(buf, 0);
        return;
      }
      pos = this.prologue(buf);
    }
    this.run(buf, pos);
    this.base += buf.length;
  }

  end(): void {
    if (this.bodyStart < 0) throw new XmlError("no root element: not an XML document", 0);
    if (this.pendingBytes > 0) {
      const kind = KIND[this.scanner.kind] ?? "markup";
      throw new XmlError(`the document ends inside ${kind} (truncated?)`, this.pendingStart);
    }
    const top = this.names.length - 1;
    if (top >= 0) {
      const opened = { name: this.names[top] as string, offset: this.offsets[top] as number };
      throw new XmlError(`the document ends before </${opened.name}> (truncated?)`, this.base, opened);
    }
    if (!this.rootSeen) throw new XmlError("no root element: not an XML document", this.base);
  }

  private prologue(buf: Buffer): number {
    const [a, b, c] = buf;
    if ((a === 0xfe && b === 0xff) || (a === 0xff && b === 0xfe))
      throw new XmlError("UTF-16 is not supported", 0);
    this.bodyStart = a === 0xef && b === 0xbb && c === 0xbf ? 3 : 0;
    return this.bodyStart;
  }

  /** Keeps buf[from..] (a few bytes) to be joined with the next chunk and looked at again. */
  private keepAll(buf: Buffer, from: number): void {
    this.scanner.kind = -1;
    this.pending = [Buffer.from(buf.subarray(from))];
    this.pendingBytes = buf.length - from;
    this.pendingStart = this.base + from;
  }

  private keep(buf: Buffer, from: number): void {
    this.pending.push(buf.subarray(from));
    this.pendingBytes += buf.length - from;
    if (this.pendingBytes > this.limits.maxTokenBytes) {
      const kind = KIND[this.scanner.kind] ?? "markup";
      throw new XmlError(`${kind} longer than ${this.limits.maxTokenBytes} bytes`, this.pendingStart);
    }
  }

  private run(buf: Buffer, from: number): void {
    const n = buf.length;
    let pos = from;
    /** The next `<` at or after pos when known (a start tag finds it), else less than pos; -1 for none. */
    let next = -2;
    while (pos < n) {
      if (this.names.length > 0) {
        if (next < pos) next = findByte(buf, 0x3c, pos);
        if (next < 0) return;
        pos = next;
      } else if (buf[pos] !== 0x3c) {
        if (isSpace(buf[pos] as number)) {
          pos++;
          continue;
        }
        const where = this.rootSeen ? "after the root element" : "before the root element";
        throw new XmlError(`text ${where}: not an XML document, or garbage`, this.base + pos);
      }
      const kind = this.scanner.start(buf, pos, this.base + pos);
      if (kind < 0) {
        this.keepAll(buf, pos);
        return;
      }
      if (kind === 0) {
        // The common case, a whole start tag in this chunk: parsed once, in place.
        const end = this.tag.parse(buf, pos, this.base + pos);
        if (end >= 0) {
          this.limit(0, end - pos, this.base + pos);
          this.open(this.tag);
          pos = end + 1;
          next = this.tag.next < 0 ? n : this.tag.next;
          continue;
        }
      }
      const end = this.scanner.scan(buf, pos + this.scanner.skip, this.base + pos + this.scanner.skip);
      if (end < 0) {
        this.pendingStart = this.base + pos;
        this.pending = [];
        this.pendingBytes = 0;
        this.keep(buf, pos);
        return;
      }
      this.token(kind, buf, pos, end, this.base + pos);
      pos = end + 1;
    }
  }

  /** A whole token buf[start..end], first byte at absolute offset `offset`. */
  private token(kind: number, buf: Buffer, start: number, end: number, offset: number): void {
    this.limit(kind, end - start, offset);
    if (kind === 0) {
      if (this.tag.parse(buf, start, offset) !== end) throw new XmlError("malformed start tag", offset);
      this.open(this.tag);
    } else if (kind === 1) this.closeTag(buf, start, end, offset);
    else if (kind === 3 && this.names.length === 0) {
      throw new XmlError("a CDATA section outside the root element", offset);
    } else if (kind === 4) this.instruction(buf, start, end, offset);
    else if (kind === 5 && this.rootSeen) throw new XmlError("a DOCTYPE after the root element", offset);
  }

  private limit(kind: number, length: number, offset: number): void {
    if (length >= this.limits.maxTokenBytes) {
      throw new XmlError(`${KIND[kind]} longer than ${this.limits.maxTokenBytes} bytes`, offset);
    }
  }

  private open(tag: StartTag): void {
    if (this.names.length === 0 && this.rootSeen) throw new XmlError("a second root element", tag.offset);
    if (this.names.length >= this.limits.maxDepth) {
      throw new XmlError(`elements nested more than ${this.limits.maxDepth} deep`, tag.offset);
    }
    this.rootSeen = true;
    this.names.push(tag.name);
    this.offsets.push(tag.offset);
    this.handler.open(tag);
    if (tag.selfClosing) this.pop();
  }

  private pop(): void {
    this.names.pop();
    this.offsets.pop();
    this.handler.close();
  }

  private closeTag(buf: Buffer, start: number, end: number, offset: number): void {
    let e = end;
    while (e > start + 2 && isSpace(buf[e - 1] as number)) e--;
    const name = this.interner.text(buf, start + 2, e);
    const top = this.names.length - 1;
    if (top < 0) throw new XmlError(`</${name}> closes no open element`, offset);
    const open = this.names[top] as string;
    if (name !== open) {
      const opened = { name: open, offset: this.offsets[top] as number };
      throw new XmlError(`</${name}> where <${open}> is to be closed`, offset, opened);
    }
    this.pop();
  }

  /** A processing instruction; `<?xml ...?>` is the XML declaration, allowed first only. */
  private instruction(buf: Buffer, start: number, end: number, offset: number): void {
    let t = start + 2;
    while (t < end && !isSpace(buf[t] as number) && buf[t] !== 0x3f) t++;
    if (buf.toString("latin1", start + 2, t).toLowerCase() !== "xml") return;
    if (offset !== this.bodyStart) throw new XmlError("an XML declaration that is not at the start", offset);
    const decl = buf.toString("latin1", t, Math.min(end, t + 1000));
    const at = decl.indexOf("encoding");
    if (at < 0) return;
    let rest = decl.slice(at + 8).trimStart();
    if (rest.charAt(0) !== "=") throw new XmlError("a malformed XML declaration", offset);
    rest = rest.slice(1).trimStart();
    const quote = rest.charAt(0);
    const close = quote === "'" || quote === '"' ? rest.indexOf(quote, 1) : -1;
    if (close < 0) throw new XmlError("a malformed XML declaration", offset);
    const label = rest.slice(1, close);
    const decoder = decoderFor(label);
    if (!decoder) throw new XmlError(`encoding "${label}" is not supported`, offset);
    this.interner.decode = decoder;
  }
}
