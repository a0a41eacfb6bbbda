import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../ingest-fixtures.js";
import { BadUtf8Line, firstInvalidUtf8, utf8Lines } from "./utf8-lines.js";

const fatal = new TextDecoder("utf-8", { fatal: true });
const decodes = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe("utf8Lines", () => {
  it("firstInvalidUtf8 agrees with TextDecoder (fatal), and the bytes before it are valid", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.string({ unit: "binary" }).map((s) => new Uint8Array(Buffer.from(s))),
      fc
        .array(
          fc.constantFrom(
            [0xe2, 0x82, 0xac],
            [0xed, 0xa0, 0x80],
            [0xf0, 0x9f, 0x98, 0x80],
            [0xc0, 0xaf],
            [0x41],
          ),
        )
        .map((parts) => new Uint8Array(parts.flat())),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const bad = firstInvalidUtf8(b);
        return bad < 0 ? decodes(b) : !decodes(b) && decodes(b.subarray(0, bad));
      }),
      { seed: 42, numRuns: Number(process.env.KEI_FUZZ_RUNS ?? 200) },
    );
  });

  it("splits on \\n, drops a CR before it and a BOM at the start, marks bad lines", async () => {
    const path = join(await tempDir(), "x.ndjson");
    await writeFile(
      path,
      Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x62, 0xe9, 0x0a, 0xef, 0xbb, 0xbf, 0x63]),
    );
    const lines = [];
    for await (const g of utf8Lines(path, () => undefined, 2)) lines.push(...g);
    expect(lines.slice(0, 1)).toEqual(["a"]);
    expect(lines[1]).toBeInstanceOf(BadUtf8Line);
    expect((lines[1] as BadUtf8Line).reason).toBe(
      "not valid UTF-8 (byte 0xE9); the file may be latin-1 or windows-1252",
    );
    expect(lines[2]).toBe("\uFEFFc");
  });
});
