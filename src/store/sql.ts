/**
 * SQL as data: a `sql` tagged template keeps text, values and identifiers apart until an engine renders
 * it. DuckDB renders values as bound parameters (`$1`); ClickHouse 18.16 has no server-side parameters, so
 * its dialect renders them through its one literal encoder. No code outside a dialect ever puts a value
 * into SQL text, and identifiers come only from the schema (`ident`) or are kei's own names for computed
 * columns (`alias`).
 */
import { storedColumns, TABLE_NAMES, TABLES } from "../schema/tables.js";

export type SqlValue = string | number | boolean | null | readonly (string | number)[] | Date;

export type SqlPart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "value"; readonly value: SqlValue }
  | { readonly kind: "ident"; readonly name: string };

export class Sql {
  constructor(readonly parts: readonly SqlPart[]) {}
}

/** The tables and columns of the data model: the only identifiers that may name stored data. */
const KNOWN_IDENTIFIERS = new Set<string>([
  ...TABLE_NAMES,
  ...TABLE_NAMES.flatMap((t) => storedColumns(TABLES[t]).map((c) => c.name)),
]);

/** A table or column of the data model; throws for any other name. */
export function ident(name: string): Sql {
  if (!KNOWN_IDENTIFIERS.has(name)) {
    throw new Error(`unknown identifier "${name}": identifiers must come from the schema`);
  }
  return new Sql([{ kind: "ident", name }]);
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

/**
 * A name kei gives a computed column (`k_month`, `grp`, `case_id`), written in kei's own code, never taken
 * from input: lower-case letters, digits and `_` only, so it needs no quoting on any engine.
 */
export function alias(name: string): Sql {
  if (!ALIAS.test(name)) throw new Error(`invalid alias "${name}"`);
  return new Sql([{ kind: "ident", name }]);
}

/** Raw SQL text written by kei itself (keywords, engine functions); never user input. */
export function raw(text: string): Sql {
  return new Sql([{ kind: "text", text }]);
}

export function sql(strings: TemplateStringsArray, ...args: readonly (Sql | SqlValue)[]): Sql {
  const parts: SqlPart[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push({ kind: "text", text: s });
    if (i < args.length) {
      const a = args[i] as Sql | SqlValue;
      if (a instanceof Sql) parts.push(...a.parts);
      else parts.push({ kind: "value", value: a });
    }
  });
  return new Sql(parts);
}

/** Joins fragments with a separator (e.g. ", " or " AND "). */
export function join(fragments: readonly Sql[], separator: string): Sql {
  const parts: SqlPart[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts.push({ kind: "text", text: separator });
    parts.push(...f.parts);
  });
  return new Sql(parts);
}

/** Quotes an identifier the way both DuckDB and ClickHouse accept: "name". */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
