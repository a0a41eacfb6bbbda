import { describe, expect, it } from "vitest";
import { csvField } from "./csv-cell.js";
import { csvField as reexported } from "./rejects-writer.js";

describe("csvField", () => {
  it.each([
    ["=SUM(A1:A9)", `"'=SUM(A1:A9)"`],
    ["+31 6 1234", `"'+31 6 1234"`],
    ["-x", `"'-x"`],
    ["-", `"'-"`],
    ["@cmd", `"'@cmd"`],
    ["\tX", `"'\tX"`],
    ["\rX", `"'\rX"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])("a cell a spreadsheet would run as a formula, %j, starts with ' and is quoted", (cell, written) => {
    expect(csvField(cell)).toBe(written);
  });

  it.each(["-3", "-1.5", "+2", "1e5", "-.5", "+1.5E-3", "12"])("a plain number %j stays as is", (cell) => {
    expect(csvField(cell)).toBe(cell);
  });

  it("numbers passed as numbers are written as numbers", () => {
    expect([-3, 0, 12.5].map(csvField)).toEqual(["-3", "0", "12.5"]);
  });

  it.each([
    ["a,b", `"a,b"`],
    ["a;b", `"a;b"`],
    ['say "hi"', `"say ""hi"""`],
    ["two\nlines", `"two\nlines"`],
    [" padded ", `" padded "`],
    ["plain", "plain"],
    ["", ""],
    ["a=b", "a=b"],
  ])("quotes %j only where a reader needs it", (cell, written) => {
    expect(csvField(cell)).toBe(written);
  });

  it("is the function the rejects writer exports", () => {
    expect(reexported).toBe(csvField);
  });
});
