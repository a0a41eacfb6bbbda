import { describe, expect, it } from "vitest";
import { alias, ident } from "./sql.js";

describe("identifiers", () => {
  it("names stored data only with the data model's tables and columns", () => {
    expect(ident("contacts").parts).toEqual([{ kind: "ident", name: "contacts" }]);
    expect(ident("customer_id").parts).toEqual([{ kind: "ident", name: "customer_id" }]);
    expect(() => ident("k_month")).toThrow(
      'unknown identifier "k_month": identifiers must come from the schema',
    );
    expect(() => ident('x"; DROP TABLE contacts; --')).toThrow("unknown identifier");
  });
  it("gives computed columns kei's own names, of a safe shape only", () => {
    expect(alias("k_month").parts).toEqual([{ kind: "ident", name: "k_month" }]);
    for (const bad of ["K_Month", "1x", "a-b", 'x"', "a b", ""])
      expect(() => alias(bad)).toThrow("invalid alias");
  });
});
