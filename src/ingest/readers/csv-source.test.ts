import { describe, expect, it } from "vitest";
import { CsvSource } from "./csv-source.js";
import { readAll, tempFile } from "./csv-test-files.js";

const latin1 = (s: string) => Buffer.from(s, "latin1");
const utf8 = (s: string) => Buffer.from(s, "utf8");
const CHUNKS = [1, 3, 7, 1 << 20];

describe("CSV bytes that are not UTF-8", () => {
  it.each(CHUNKS)(
    "a latin-1 row is rejected naming byte and column; others are read (chunks %i)",
    async (hwm) => {
      const file = await tempFile(
        Buffer.concat([utf8("id,naam\r\nC1,Zoë\r\n"), latin1("C2,Zoë\r\n"), utf8("C3,Ann")]),
      );
      const records = await readAll(new CsvSource(file, { highWaterMark: hwm }));
      expect(records).toEqual([
        { row: 1, values: { id: "C1", naam: "Zoë" }, raw: "C1,Zoë" },
        {
          row: 2,
          values: {},
          raw: "C2,Zo\\xEB",
          error: 'not valid UTF-8 (byte 0xEB) in column "naam"; the file may be latin-1 or windows-1252',
        },
        { row: 3, values: { id: "C3", naam: "Ann" }, raw: "C3,Ann" },
      ]);
    },
  );

  it("ids that differ only in a bad byte are two rejects, not one merged id", async () => {
    const file = await tempFile(Buffer.concat([utf8("id\n"), latin1("encX\xff1\nencX\xfe1\n")]));
    const records = await readAll(new CsvSource(file));
    const hint = 'in column "id"; the file may be latin-1 or windows-1252';
    expect(records.map((r) => [r.row, r.raw, r.error])).toEqual([
      [1, "encX\\xFF1", `not valid UTF-8 (byte 0xFF) ${hint}`],
      [2, "encX\\xFE1", `not valid UTF-8 (byte 0xFE) ${hint}`],
    ]);
    expect(JSON.stringify(records)).not.toContain("\uFFFD");
  });

  it("a U+FFFD written in the file is valid text and kept; the BOM is still dropped", async () => {
    const file = await tempFile(utf8("\uFEFFid,note\nK1,a\uFFFDb\n"));
    const source = new CsvSource(file, { highWaterMark: 2 });
    expect(await source.columns()).toEqual(["id", "note"]);
    expect(await readAll(source)).toEqual([
      { row: 1, values: { id: "K1", note: "a\uFFFDb" }, raw: "K1,a\uFFFDb" },
    ]);
  });

  it("a header that is not UTF-8 is an error for the whole file", async () => {
    const file = await tempFile(latin1("id,categorië\nK1,x\n"), "klanten.csv");
    await expect(new CsvSource(file).columns()).rejects.toThrow(
      "klanten.csv: the header is not valid UTF-8 (byte 0xEB)",
    );
    const utf16 = await tempFile(Buffer.from("\uFEFFid,x\n1,2\n", "utf16le"), "utf16.csv");
    await expect(new CsvSource(utf16).columns()).rejects.toThrow("utf16.csv: the file is UTF-16");
  });
});

describe("a stray quote", () => {
  it("costs its own row only; reading goes on at the next line with the row numbers intact", async () => {
    const lines = ["id,name", "1,ok"];
    for (let i = 2; i <= 20_000; i++) lines.push(i === 3 ? `${i},"stray` : `${i},name ${i}`);
    const file = await tempFile(utf8(lines.join("\n")));
    const records = await readAll(new CsvSource(file, { highWaterMark: 1 << 12 }));
    expect(records).toHaveLength(20_000);
    expect(records.map((r) => r.row)).toEqual(records.map((_, i) => i + 1));
    const bad = records.filter((r) => r.error);
    expect(bad).toEqual([
      {
        row: 3,
        values: {},
        raw: '3,"stray',
        error:
          'unterminated quoted field in column "name": no closing quote before the end of the file (a stray quote?); read on from the next line',
      },
    ]);
    expect(records[19_999]?.values).toEqual({ id: "20000", name: "name 20000" });
  });

  it("closed by a later quote, it does not fold the lines between into one value", async () => {
    const file = await tempFile(utf8('id,city\n1,"Noord\n2,Zeeland\n3,"Utrecht"\n4,"Den\nHaag"\n'));
    const records = await readAll(new CsvSource(file));
    expect(records.map((r) => [r.row, r.error ? r.raw : r.values])).toEqual([
      [1, '1,"Noord'],
      [2, { id: "2", city: "Zeeland" }],
      [3, { id: "3", city: "Utrecht" }],
      [4, { id: "4", city: "Den\nHaag" }],
    ]);
    expect(records[0]?.error).toContain("closing quote is followed by text");
  });

  it("a quoted field longer than maxQuotedField is rejected at the limit", async () => {
    const long = "x".repeat(60);
    const file = await tempFile(utf8(`id,note\n1,"a\n2,${long}\n3,"ok"\n`));
    const records = await readAll(new CsvSource(file, { maxQuotedField: 50 }));
    expect(records.map((r) => r.error ?? r.values)).toEqual([
      'unterminated quoted field in column "note": no closing quote within 50 characters (a stray quote?); read on from the next line',
      { id: "2", note: long },
      { id: "3", note: "ok" },
    ]);
  });

  it("in the header is an error for the whole file", async () => {
    const file = await tempFile(utf8('id,"name\n1,a\n'), "stray.csv");
    await expect(new CsvSource(file).columns()).rejects.toThrow(/^stray\.csv: the header has a quoted/);
  });
});

describe("CSV records", () => {
  it.each(CHUNKS)(
    "quoted newlines, doubled quotes and CRLF across chunk boundaries (chunks %i)",
    async (hwm) => {
      const file = await tempFile(utf8('a;b\r\n"x\r\ny";"say ""hi"""\r\n\r\n"";😀 \r\n'));
      const records = await readAll(new CsvSource(file, { highWaterMark: hwm }));
      expect(records.map((r) => [r.row, r.values])).toEqual([
        [1, { a: "x\r\ny", b: 'say "hi"' }],
        [2, { a: "", b: "😀 " }],
      ]);
    },
  );

  it("keeps __proto__, constructor and toString as ordinary column names", async () => {
    const file = await tempFile(utf8("id,__proto__,constructor,toString\n1,a,b,c\n"));
    const [record] = await readAll(new CsvSource(file));
    expect(Object.entries(record?.values ?? {})).toEqual([
      ["id", "1"],
      ["__proto__", "a"],
      ["constructor", "b"],
      ["toString", "c"],
    ]);
  });

  it("an exact duplicate header is still an error naming the file", async () => {
    const file = await tempFile(utf8("id,a,a\n1,2,3\n"), "dup.csv");
    await expect(new CsvSource(file).columns()).rejects.toThrow('dup.csv: column "a" appears twice');
  });
});
