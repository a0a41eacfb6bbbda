import { describe, expect, it } from "vitest";
import {
  countInvalidBytes,
  firstInvalidByte,
  hasInvalidBytes,
  StrictUtf8Decoder,
  showInvalidBytes,
} from "./strict-utf8.js";

/** Decodes `bytes` fed in chunks of `size` bytes. */
function decode(bytes: Uint8Array, size: number): { text: string; invalid: number } {
  const d = new StrictUtf8Decoder();
  let text = "";
  for (let i = 0; i < bytes.length; i += size) text += d.write(bytes.subarray(i, i + size));
  text += d.end();
  return { text, invalid: d.markers };
}

const SIZES = [1, 2, 3, 5, 1 << 16];

describe("strict UTF-8 decoding", () => {
  it.each(SIZES)("decodes valid text exactly, whatever the chunk size (%i)", (size) => {
    const text = "\uFEFFid,naam\nZoë,😀 \uFFFD ok,日本\r\n€";
    expect(decode(Buffer.from(text, "utf8"), size)).toEqual({ text, invalid: 0 });
  });

  it.each(SIZES)("turns each bad byte into its own marker, never into U+FFFD (%i)", (size) => {
    const bytes = Buffer.from([0x5a, 0x6f, 0xeb, 0x2c, 0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0x0a]);
    const { text, invalid } = decode(bytes, size);
    expect(invalid).toBe(8);
    expect(text).not.toContain("\uFFFD");
    expect(showInvalidBytes(text)).toBe("Zo\\xEB,\\xE2\\x82A\\xED\\xA0\\x80\\xC0\\xAF\n");
    expect(firstInvalidByte(text)).toBe(0xeb);
    expect(countInvalidBytes(text)).toBe(8);
  });

  it("a character cut off by the end of the file is invalid", () => {
    const { text } = decode(Buffer.from([0x61, 0xf0, 0x9f, 0x98]), 2);
    expect(showInvalidBytes(text)).toBe("a\\xF0\\x9F\\x98");
  });

  it("two ids that differ only in a bad byte stay different", () => {
    const a = decode(Buffer.from([0x58, 0xff, 0x31]), 1).text;
    const b = decode(Buffer.from([0x58, 0xfe, 0x31]), 1).text;
    expect(a).not.toBe(b);
  });

  it("markers are told apart from astral characters, whose low surrogates share the range", () => {
    // U+10C80..: the low surrogate of some astral characters lies in U+DC80..U+DCFF.
    const astral = String.fromCodePoint(0x10c80, 0x1f600);
    expect(hasInvalidBytes(astral)).toBe(false);
    expect(firstInvalidByte(astral)).toBe(-1);
    expect(countInvalidBytes(`${astral}\uDCEB${astral}`)).toBe(1);
    expect(showInvalidBytes(astral)).toBe(astral);
  });
});
