import { describe, expect, it } from "vitest";
import { CsvParser, type ParsedRecord } from "./csv-parser.js";

function parse(text: string, chunk: number, max?: number): ParsedRecord[] {
  const p = new CsvParser(",", max);
  const out: ParsedRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), out);
  p.finish(out);
  return out;
}

describe("CSV parser", () => {
  it("reads a long quoted field fed in small chunks in linear time", () => {
    // Rescanning the open record from its start on every chunk would take ~16 GB of scanning here.
    const long = 'ab""c\n'.repeat(2_000_000 / 6);
    const text = `1,"${long}",x\n2,y,z\n`;
    const started = performance.now();
    const out = parse(text, 1024, 1 << 22);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(out.map((r) => r.fields)).toEqual([
      ["1", long.replaceAll('""', '"'), "x"],
      ["2", "y", "z"],
    ]);
  });

  it.each([1, 2, 5, 1000])("resumes a record cut anywhere (chunks of %i)", (chunk) => {
    const text = 'a,"b,""c""\r\nd",e\r\n,\r"",x\n\nlast,';
    expect(parse(text, chunk)).toEqual([
      { fields: ["a", 'b,"c"\r\nd', "e"], raw: 'a,"b,""c""\r\nd",e' },
      { fields: ["", ""], raw: "," },
      { fields: ["", "x"], raw: '"",x' },
      { fields: [""], raw: "" },
      { fields: ["last", ""], raw: "last," },
    ]);
  });

  it.each([1, 3, 1000])("keeps text after a closing quote on the same line (chunks of %i)", (chunk) => {
    expect(parse('"12" inch,b\n', chunk)).toEqual([{ fields: ["12 inch", "b"], raw: '"12" inch,b' }]);
  });

  it.each([1, 4, 1000])("marks stray quotes and reads on from the next line (chunks of %i)", (chunk) => {
    const text = 'a,"open\r\nb,c\r\nd,"x"y\r\ne,"no end\r\nf';
    expect(parse(text, chunk)).toEqual([
      { fields: ["a"], raw: 'a,"open', badQuote: { field: 1, why: "closed-mid-field" } },
      { fields: ["b", "c"], raw: "b,c" },
      { fields: ["d", "xy"], raw: 'd,"x"y' },
      { fields: ["e"], raw: 'e,"no end', badQuote: { field: 1, why: "end" } },
      { fields: ["f"], raw: "f" },
    ]);
  });

  it("a quoted field over the limit is marked at the limit, even within one line", () => {
    const text = `"${"x".repeat(30)}\nnext\n`;
    expect(parse(text, 7, 20)).toEqual([
      { fields: [], raw: `"${"x".repeat(30)}`, badQuote: { field: 0, why: "limit" } },
      { fields: ["next"], raw: "next" },
    ]);
  });
});
