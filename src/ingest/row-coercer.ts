/**
 * Turns one input record into a canonical row of a table, or into the reasons it cannot be one.
 * Input column names match the contract case-insensitively, after the config file's mapping
 * (`{"Klantnummer": "customer_id"}`); columns the contract lacks go into `attributes` (JSON) where the
 * table keeps them, else they are ignored with one warning per file.
 */
import {
  type CanonicalValue,
  isMissing,
  parseValue,
  type RawValue,
  ValueError,
} from "../schema/parse-value.js";
import { type ColumnSpec, storedColumns, type TableSpec } from "../schema/tables.js";
import type { SourceRecord } from "./readers/record-source.js";

export interface CoerceOptions {
  /** IANA zone for timestamps without an offset. */
  readonly timeZone: string;
  /** Input column name -> contract column name, for this table. */
  readonly mapping?: Readonly<Record<string, string>>;
}

export interface FieldError {
  readonly column: string;
  readonly reason: string;
}

export type CoerceResult =
  | { readonly ok: true; readonly values: CanonicalValue[] }
  | { readonly ok: false; readonly errors: FieldError[] };

type Target = { kind: "column"; index: number } | { kind: "attribute" } | { kind: "ignored" };

export class RowCoercer {
  private readonly columns: readonly ColumnSpec[];
  private readonly byName = new Map<string, number>();
  private readonly targets = new Map<string, Target>();
  private readonly mapping = new Map<string, string>();
  private readonly attributesIndex: number;
  /** Input columns the table has no room for (warned once per file). */
  readonly ignored = new Set<string>();

  constructor(
    readonly table: TableSpec,
    private readonly options: CoerceOptions,
  ) {
    this.columns = storedColumns(table);
    this.columns.forEach((c, i) => {
      if (c.name !== "attributes") this.byName.set(c.name, i);
    });
    this.attributesIndex = table.keepsAttributes ? this.columns.length - 1 : -1;
    for (const [from, to] of Object.entries(options.mapping ?? {})) {
      if (!this.byName.has(to)) {
        throw new Error(
          `column mapping for ${table.name}: "${to}" is not a column of ${table.name} (columns: ${[...this.byName.keys()].join(", ")})`,
        );
      }
      this.mapping.set(from.trim().toLowerCase(), to);
    }
  }

  /** Required contract columns that none of the input columns provides. */
  missingRequired(inputColumns: readonly string[]): string[] {
    const found = new Set<number>();
    for (const c of inputColumns) {
      const t = this.target(c);
      if (t.kind === "column") found.add(t.index);
    }
    return this.columns.filter((c, i) => c.required && !found.has(i)).map((c) => c.name);
  }

  private target(inputName: string): Target {
    let t = this.targets.get(inputName);
    if (t) return t;
    const key = inputName.trim().toLowerCase();
    const name = this.mapping.get(key) ?? key;
    const index = this.byName.get(name);
    if (index !== undefined) t = { kind: "column", index };
    else if (this.attributesIndex >= 0) t = { kind: "attribute" };
    else {
      t = { kind: "ignored" };
      this.ignored.add(inputName);
    }
    this.targets.set(inputName, t);
    return t;
  }

  coerce(record: SourceRecord): CoerceResult {
    if (record.error) return { ok: false, errors: [{ column: "", reason: record.error }] };
    const raw: RawValue[] = new Array(this.columns.length);
    let attributes: Record<string, RawValue> | undefined;
    for (const [k, v] of Object.entries(record.values)) {
      const t = this.target(k);
      if (t.kind === "column") {
        // Two input columns mapping onto one contract column: the first non-empty one wins.
        if (isMissing(raw[t.index])) raw[t.index] = v;
      } else if (t.kind === "attribute" && !isMissing(v)) {
        attributes ??= {};
        attributes[k] = typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v;
      }
    }
    const values: CanonicalValue[] = new Array(this.columns.length);
    const errors: FieldError[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i] as ColumnSpec;
      if (i === this.attributesIndex) {
        values[i] = attributes ? JSON.stringify(attributes) : null;
        continue;
      }
      const v = raw[i];
      if (isMissing(v)) {
        if (c.required) errors.push({ column: c.name, reason: "missing required value" });
        values[i] = c.default ?? null;
        continue;
      }
      const parsed = parseValue(v, c, this.options.timeZone);
      if (parsed instanceof ValueError) errors.push({ column: c.name, reason: parsed.reason });
      else values[i] = parsed;
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
  }
}

/** The message users see for a rejected row. */
export function formatRowError(file: string, row: number, e: FieldError): string {
  return e.column ? `${file} row ${row}, column ${e.column}: ${e.reason}` : `${file} row ${row}: ${e.reason}`;
}
