/**
 * Lines of a UTF-8 text file, streamed from its bytes. Lines end at \n (a \r before it is dropped); a
 * byte-order mark at the start of the file is dropped. A line whose bytes are not valid UTF-8 is not
 * decoded with replacement characters (that would silently merge different values): it comes out as a
 * `BadUtf8Line` naming the first bad byte, so the reader can reject that one line.
 */
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";

export class BadUtf8Line {
  constructor(
    /** The line decoded with U+FFFD for the bad bytes: for showing in the rejects file only. */
    readonly shown: string,
    /** The first byte that is not valid UTF-8 at its place. */
    readonly byte: number,
  ) {}

  get reason(): string {
    const hex = this.byte.toString(16).toUpperCase().padStart(2, "0");
    return `not valid UTF-8 (byte 0x${hex}); the file may be latin-1 or windows-1252`;
  }
}

export type Line = string | BadUtf8Line;

/** Lines of `file` in order, in groups (one per chunk read); `onBytes` is told of each chunk's size. */
export async function* utf8Lines(
  file: string,
  onBytes: (n: number) => void,
  highWaterMark = 1 << 20,
): AsyncGenerator<Line[]> {
  const stream = createReadStream(file, { highWaterMark });
  let carry: Buffer | undefined;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        carry = carry ? Buffer.concat([carry, chunk]) : chunk;
        continue;
      }
      const head = chunk.subarray(0, last);
      let block = carry ? Buffer.concat([carry, head]) : head;
      carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : undefined;
      if (first) block = dropBom(block);
      first = false;
      yield decodeLines(block);
    }
    if (carry) yield decodeLines(first ? dropBom(carry) : carry);
  } finally {
    stream.destroy();
  }
}

function dropBom(b: Buffer): Buffer {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}

/** The lines of a block of whole lines (joined by \n, no final \n). */
function decodeLines(block: Buffer): Line[] {
  if (isUtf8(block)) return block.toString("utf8").split("\n").map(dropCr);
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = block.indexOf(0x0a, start);
    const line = block.subarray(start, nl < 0 ? block.length : nl);
    const bad = firstInvalidUtf8(line);
    const text = dropCr(line.toString("utf8"));
    lines.push(bad < 0 ? text : new BadUtf8Line(text, line[bad] as number));
    if (nl < 0) return lines;
    start = nl + 1;
  }
}

function dropCr(s: string): string {
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

/** Index of the first byte that starts an invalid UTF-8 sequence, or -1 (RFC 3629). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    const second = b[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= n; k++) {
      const next = b[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += n + 1;
  }
  return -1;
}
