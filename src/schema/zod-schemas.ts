/**
 * zod schemas of the canonical rows, derived from the column specs in `tables.ts`, for library users who
 * hand kei rows in code and for the row types below. Ingestion parses with `parse-value.ts`, which gives
 * the exact per-column messages; a test keeps both in agreement.
 */
import { z } from "zod";
import { type ColumnSpec, storedColumns, TABLES, type TableName } from "./tables.js";

function columnSchema(c: ColumnSpec): z.ZodType {
  let s: z.ZodType;
  switch (c.type) {
    case "string": {
      const base = z.string();
      s = c.pattern ? base.regex(c.pattern.re, c.pattern.description) : base;
      break;
    }
    case "enum":
      s = z.enum(c.values as [string, ...string[]]);
      break;
    case "boolean":
      s = z.boolean();
      break;
    case "date":
      s = z.iso.date();
      break;
    case "timestamp":
      s = z.number().int().describe("UTC epoch seconds");
      break;
    case "integer":
    case "number": {
      let n = c.type === "integer" ? z.number().int() : z.number();
      if (c.min !== undefined) n = n.min(c.min);
      if (c.max !== undefined) n = n.max(c.max);
      s = n.refine(Number.isFinite, "must be finite");
      break;
    }
  }
  return c.required ? s : s.nullable();
}

function tableSchema(name: TableName) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of storedColumns(TABLES[name])) shape[c.name] = columnSchema(c);
  return z.object(shape).strict();
}

export const rowSchemas = {
  customers: tableSchema("customers"),
  contacts: tableSchema("contacts"),
  web_events: tableSchema("web_events"),
  feedback: tableSchema("feedback"),
  reasons: tableSchema("reasons"),
  costs: tableSchema("costs"),
  kpis: tableSchema("kpis"),
} as const satisfies Record<TableName, z.ZodType>;

/** A canonical row of a table, as stored. */
export type Row<T extends TableName> = z.infer<(typeof rowSchemas)[T]>;
