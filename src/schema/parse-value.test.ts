import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseBoolean,
  parseDate,
  parseNumber,
  parseTimestamp,
  parseValue,
  ValueError,
} from "./parse-value.js";
import { TABLES } from "./tables.js";
import { rowSchemas } from "./zod-schemas.js";

const AMS = "Europe/Amsterdam";
const col = (table: keyof typeof TABLES, name: string) => {
  const c = TABLES[table].columns.find((x) => x.name === name);
  if (!c) throw new Error(name);
  return c;
};
const reason = (v: unknown) => (v instanceof ValueError ? v.reason : v);

describe("parseNumber", () => {
  it.each([
    ["12.5", 12.5],
    ["12,5", 12.5],
    ["-0,75", -0.75],
    ["1.234,56", 1234.56],
    ["1.234", 1.234],
    ["1.234.567,00", 1234567],
    ["1e3", 1000],
    [" 7 ", 7],
    ["€ 6,50", 6.5],
  ])("reads %s as %d", (s, n) => {
    expect(parseNumber(s)).toBe(n);
  });
  it.each(["abc", "1,234.5", "12,,5", "--1", "NaN", "Infinity", "1.234.567", "12.345.678"])(
    "refuses %s",
    (s) => {
      expect(parseNumber(s)).toBeInstanceOf(ValueError);
    },
  );
});

describe("parseBoolean", () => {
  it.each([
    ["true", true],
    ["JA", true],
    ["yes", true],
    ["1", true],
    ["nee", false],
    ["False", false],
    ["0", false],
    ["no", false],
  ])("reads %s", (s, b) => expect(parseBoolean(s)).toBe(b));
  it("explains what it expects", () => {
    expect(reason(parseBoolean("misschien"))).toBe(
      'bad boolean "misschien" (expected true/false, 1/0, ja/nee or yes/no)',
    );
  });
});

describe("parseTimestamp", () => {
  it("reads a time without offset as Amsterdam wall time (winter +01:00, summer +02:00)", () => {
    expect(parseTimestamp("2025-01-15T09:30:00", AMS)).toBe(Date.UTC(2025, 0, 15, 8, 30) / 1000);
    expect(parseTimestamp("2025-07-15 09:30:00", AMS)).toBe(Date.UTC(2025, 6, 15, 7, 30) / 1000);
  });
  it("honours an explicit offset or Z, and drops fractions of a second", () => {
    expect(parseTimestamp("2025-07-15T09:30:00Z", AMS)).toBe(Date.UTC(2025, 6, 15, 9, 30) / 1000);
    expect(parseTimestamp("2025-07-15T09:30:00.999+05:30", AMS)).toBe(Date.UTC(2025, 6, 15, 4, 0) / 1000);
    expect(parseTimestamp("2025-07-15T09:30-0100", AMS)).toBe(Date.UTC(2025, 6, 15, 10, 30) / 1000);
  });
  it("reads the doubled autumn hour as summer time and moves the spring gap forward", () => {
    // 2025-10-26 03:00 CEST -> 02:00 CET: 02:30 happens twice; the first is 00:30Z.
    expect(parseTimestamp("2025-10-26T02:30:00", AMS)).toBe(Date.UTC(2025, 9, 26, 0, 30) / 1000);
    // 2025-03-30 02:00 CET -> 03:00 CEST: 02:30 does not exist; read as 03:30 CEST = 01:30Z.
    expect(parseTimestamp("2025-03-30T02:30:00", AMS)).toBe(Date.UTC(2025, 2, 30, 1, 30) / 1000);
  });
  it("refuses impossible dates and times with the expected form", () => {
    expect(reason(parseTimestamp("2025-02-30T10:00:00", AMS))).toBe(
      'bad timestamp "2025-02-30T10:00:00" (expected ISO 8601, e.g. 2025-03-01T09:30:00)',
    );
    expect(parseTimestamp("2025-01-01T24:00:00", AMS)).toBeInstanceOf(ValueError);
    expect(parseTimestamp("15-01-2025 10:00", AMS)).toBeInstanceOf(ValueError);
  });
  it("agrees with Date for any UTC instant in kei's range written with an offset, and refuses the rest (property)", () => {
    const last = Date.UTC(2105, 11, 31, 23, 59, 59) / 1000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: -12, max: 14 }), (t, h) => {
        const local = new Date((t + h * 3600) * 1000).toISOString().slice(0, 19);
        const sign = h < 0 ? "-" : "+";
        const off = `${sign}${String(Math.abs(h)).padStart(2, "0")}:00`;
        const parsed = parseTimestamp(`${local}${off}`, AMS);
        if (t >= 86_400 && t <= last) expect(parsed).toBe(t);
        else expect(parsed).toBeInstanceOf(ValueError);
      }),
      { seed: 42 },
    );
  });
  it("round-trips Amsterdam wall time outside the doubled hour (property)", () => {
    const fmt = new Intl.DateTimeFormat("sv-SE", { timeZone: AMS, dateStyle: "short", timeStyle: "medium" });
    fc.assert(
      fc.property(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), (t) => {
        const wall = fmt.format(new Date(t * 1000)).replace(" ", "T");
        const back = parseTimestamp(wall, AMS) as number;
        // In the doubled autumn hour the summer reading is chosen: one hour earlier.
        expect([t, t - 3600]).toContain(back);
        if (back !== t) expect(fmt.format(new Date((t - 3600) * 1000))).toBe(fmt.format(new Date(t * 1000)));
      }),
    );
  });
});

describe("parseDate", () => {
  it("accepts YYYY-MM-DD and the date part of a timestamp", () => {
    expect(parseDate("2024-02-29")).toBe("2024-02-29");
    expect(parseDate("2024-02-29T10:00:00")).toBe("2024-02-29");
  });
  it("refuses a day that does not exist", () => {
    expect(reason(parseDate("2025-02-29"))).toBe('bad date "2025-02-29" (expected YYYY-MM-DD)');
  });
});

describe("parseValue", () => {
  it("checks enums case-insensitively and names the valid values", () => {
    expect(parseValue("Phone", col("contacts", "channel"), AMS)).toBe("phone");
    expect(reason(parseValue("fax", col("contacts", "channel"), AMS))).toBe(
      'bad value "fax" (expected one of phone, chat, email, webform, app, store, social, letter)',
    );
  });
  it("checks integer bounds", () => {
    expect(parseValue("10", col("feedback", "nps"), AMS)).toBe(10);
    expect(reason(parseValue("11", col("feedback", "nps"), AMS))).toBe("value 11 above the maximum 10");
    expect(reason(parseValue("7,5", col("feedback", "nps"), AMS))).toBe(
      'bad integer "7,5" (expected a whole number)',
    );
    expect(reason(parseValue("-1", col("contacts", "transfers"), AMS))).toBe("value -1 below the minimum 0");
  });
  it("checks patterns", () => {
    expect(parseValue("#1f77b4", col("reasons", "colour"), AMS)).toBe("#1f77b4");
    expect(reason(parseValue("blue", col("reasons", "colour"), AMS))).toBe(
      'bad value "blue" (expected a colour as #rrggbb)',
    );
  });
});

describe("zod schemas", () => {
  it("accept a canonical contact and refuse a wrong enum", () => {
    const row = {
      contact_id: "K1",
      customer_id: "C1",
      ts: 1_700_000_000,
      channel: "phone",
      reason: "storing",
      direction: "inbound",
      wait_s: 30,
      handle_s: 240,
      transfers: 0,
      resolved: true,
      complaint: false,
      cost_eur: 6.5,
      attributes: null,
    };
    expect(rowSchemas.contacts.safeParse(row).success).toBe(true);
    expect(rowSchemas.contacts.safeParse({ ...row, channel: "fax" }).success).toBe(false);
    expect(rowSchemas.contacts.safeParse({ ...row, transfers: -1 }).success).toBe(false);
  });
});

describe("kei's range of dates and times (1970-01-02 to 2105-12-31), the same on every engine", () => {
  it.each([
    [
      "1969-12-31T23:59:59Z",
      'timestamp "1969-12-31T23:59:59Z" outside kei\'s range 1970-01-02T00:00:00Z to 2105-12-31T23:59:59Z',
    ],
    [
      "2106-01-01T00:00:00Z",
      'timestamp "2106-01-01T00:00:00Z" outside kei\'s range 1970-01-02T00:00:00Z to 2105-12-31T23:59:59Z',
    ],
    [
      "0099-06-01T10:00:00Z",
      'timestamp "0099-06-01T10:00:00Z" outside kei\'s range 1970-01-02T00:00:00Z to 2105-12-31T23:59:59Z',
    ],
  ])("refuses the timestamp %s", (s, why) => {
    expect(reason(parseTimestamp(s, AMS))).toBe(why);
  });
  it("keeps the edges of the range", () => {
    expect(parseTimestamp("1970-01-02T00:00:00Z", AMS)).toBe(86_400);
    expect(parseTimestamp("1970-01-01T23:59:59Z", AMS)).toBeInstanceOf(ValueError);
    expect(parseTimestamp("2105-12-31T23:59:59Z", AMS)).toBe(Date.UTC(2105, 11, 31, 23, 59, 59) / 1000);
    expect(parseDate("1970-01-02")).toBe("1970-01-02");
    expect(parseDate("2105-12-31")).toBe("2105-12-31");
  });
  it("judges a wall time by its UTC instant", () => {
    // 1970-01-02T00:30 in Amsterdam (+01:00) is 1970-01-01T23:30Z.
    expect(parseTimestamp("1970-01-02T00:30:00", AMS)).toBeInstanceOf(ValueError);
  });
  it.each(["1900-01-01", "1969-12-31", "1970-01-01", "2106-01-01", "2150-03-01", "0050-01-01"])(
    "refuses the date %s",
    (s) => {
      expect(reason(parseDate(s))).toBe(`date "${s}" outside kei's range 1970-01-02 to 2105-12-31`);
    },
  );
  it("refuses Dates from Parquet outside the range, and keeps years as written", () => {
    expect(parseDate(new Date(Date.UTC(1960, 0, 1)))).toBeInstanceOf(ValueError);
    expect(parseTimestamp(new Date(-1000), AMS)).toBeInstanceOf(ValueError);
    expect(parseDate(new Date(Date.UTC(2025, 4, 6)))).toBe("2025-05-06");
  });
});

describe("text", () => {
  it("refuses a lone surrogate, which no engine can store as given", () => {
    const c = col("contacts", "contact_id");
    expect(reason(parseValue("K\ud8001", c, AMS))).toBe(
      'bad text "K\\ud8001" (not valid Unicode: a lone surrogate)',
    );
    expect(parseValue("K😀1", c, AMS)).toBe("K😀1");
  });
});
