import { describe, expect, it } from "vitest";
import { TABLES } from "../schema/tables.js";
import { CsvSource } from "./readers/csv-source.js";
import { readAll, tempFile } from "./readers/csv-test-files.js";
import type { SourceRecord } from "./readers/record-source.js";
import { RowCoercer } from "./row-coercer.js";

const TZ = { timeZone: "Europe/Amsterdam" };
const contacts = () => new RowCoercer(TABLES.contacts, TZ);

describe("column conflicts", () => {
  it("names case variants of one contract column", () => {
    expect(contacts().columnConflicts(["contact_id", "reason", "ts", "Reason"])).toEqual([
      'columns "reason" and "Reason" both give column reason of table contacts; names match regardless of case and surrounding blanks; remove or rename one',
    ]);
    expect(contacts().columnConflicts(["Customer_ID", "customer_id", "CUSTOMER_ID"])).toEqual([
      'columns "Customer_ID", "customer_id" and "CUSTOMER_ID" all give column customer_id of table contacts; names match regardless of case and surrounding blanks; remove or rename one',
    ]);
  });

  it("names a mapped input column beside the column it is mapped to", () => {
    const c = new RowCoercer(TABLES.customers, { ...TZ, mapping: { Klantnummer: "customer_id" } });
    expect(c.columnConflicts(["Klantnummer", "segment", "customer_id"])).toEqual([
      'columns "Klantnummer" (mapped) and "customer_id" both give column customer_id of table customers; remove one, or change the column mapping in the config',
    ]);
  });

  it("is empty when every contract column has one input column; extra columns never conflict", () => {
    expect(contacts().columnConflicts(["contact_id", "Reason", "notes", "Notes", "__proto__"])).toEqual([]);
  });

  it("a mapping that names one input column twice, to two columns, is refused", () => {
    expect(
      () => new RowCoercer(TABLES.customers, { ...TZ, mapping: { Klant: "customer_id", klant: "segment" } }),
    ).toThrow(
      '"Klant" and "klant" are the same input column (case is ignored) but map to customer_id and segment',
    );
  });

  it("a record that still has two columns for one contract column is rejected, not merged", () => {
    const values = { customer_id: "C1", Customer_ID: "C2" };
    expect(new RowCoercer(TABLES.customers, TZ).coerce({ row: 1, values })).toEqual({
      ok: false,
      errors: [
        { column: "customer_id", reason: 'given twice, by input columns "customer_id" and "Customer_ID"' },
      ],
    });
  });
});

describe("extra columns named like Object's own properties", () => {
  it("__proto__, constructor and toString end up in attributes like any other column", async () => {
    const file = await tempFile("customer_id,__proto__,constructor,toString\nC1,x,y,z\n", "customers.csv");
    const [record] = await readAll(new CsvSource(file));
    const result = new RowCoercer(TABLES.customers, TZ).coerce(record as SourceRecord);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.values[0]).toBe("C1");
    expect(JSON.parse(String(result.values.at(-1)))).toStrictEqual(
      JSON.parse('{"__proto__":"x","constructor":"y","toString":"z"}'),
    );
    expect(result.values.at(-1)).toBe('{"__proto__":"x","constructor":"y","toString":"z"}');
  });

  it("also from a record whose values object has no prototype (as every reader should give)", () => {
    // JSON.parse makes "__proto__" an own key; Object.assign copies it into the object without prototype.
    const parsed: Record<string, string> = JSON.parse('{"customer_id":"C1","__proto__":"x"}');
    const values: Record<string, string> = Object.assign(Object.create(null), parsed);
    const result = new RowCoercer(TABLES.customers, TZ).coerce({ row: 1, values });
    expect(result.ok && result.values.at(-1)).toBe('{"__proto__":"x"}');
  });
});
