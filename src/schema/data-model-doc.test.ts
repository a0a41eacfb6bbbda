/** docs/data-model.md names every table, column and enumeration value of the schema, so it cannot fall behind. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { storedColumns, TABLE_NAMES, TABLES } from "./tables.js";

const doc = readFileSync(new URL("../../docs/data-model.md", import.meta.url), "utf8");

describe("docs/data-model.md", () => {
  it.each(TABLE_NAMES)("documents every column and value of %s", (t) => {
    expect(doc).toContain(`## ${t}`);
    for (const c of storedColumns(TABLES[t])) {
      expect(doc, `${t}.${c.name}`).toContain(`\`${c.name}\``);
      for (const v of c.values ?? []) expect(doc, `${t}.${c.name} = ${v}`).toContain(`\`${v}\``);
    }
  });
});
