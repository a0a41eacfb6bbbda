/**
 * Turns one input record into a canonical row of a table, or into the reasons it cannot be one.
 *
 * Rules:
 * - Input column names match the contract case-insensitively and without surrounding blanks, after the
 *   config file's mapping (`{"Klantnummer": "customer_id"}`, its keys matched the same way).
 * - One contract column gets its value from one input column only. Two input columns that land on the
 *   same contract column (`reason` and `Reason`; or `Klantnummer`, mapped to customer_id, beside
 *   `customer_id`) are a conflict: `columnConflicts` names them so ingestion stops before reading the
 *   file, and a record that still has both (NDJSON keys vary per line) is rejected; nothing is merged.
 * - Columns the contract lacks go into `attributes` (JSON, keyed by the input's own names) where the
 *   table keeps them, else they are ignored with one warning per file. The attributes object inherits
 *   nothing (empty-record.ts), so `__proto__`, `constructor` and the like are kept as ordinary names.
 */
import {
  type CanonicalValue,
  isMissing,
  parseValue,
  type RawValue,
  ValueError,
} from "../schema/parse-value.js";
import { type ColumnSpec, storedColumns, type TableSpec } from "../schema/tables.js";
import { emptyRecord } from "./readers/empty-record.js";
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
    const mappedFrom = new Map<string, string>();
    for (const [from, to] of Object.entries(options.mapping ?? {})) {
      if (!this.byName.has(to)) {
        throw new Error(
          `column mapping for ${table.name}: "${to}" is not a column of ${table.name} (columns: ${[...this.byName.keys()].join(", ")})`,
        );
      }
      const key = from.trim().toLowerCase();
      const earlier = this.mapping.get(key);
      if (earlier !== undefined && earlier !== to) {
        throw new Error(
          `column mapping for ${table.name}: "${mappedFrom.get(key)}" and "${from}" are the same input column (case is ignored) but map to ${earlier} and ${to}`,
        );
      }
      this.mapping.set(key, to);
      mappedFrom.set(key, from);
    }
  }

  /**
   * One message per contract column that two or more of `inputColumns` would fill, e.g.
   * `columns "reason" and "Reason" both give column reason of table contacts (...)`; empty when none.
   * The caller prefixes the file name.
   */
  columnConflicts(inputColumns: readonly string[]): string[] {
    const by = new Map<number, string[]>();
    for (const c of inputColumns) {
      const t = this.target(c);
      if (t.kind !== "column") continue;
      const list = by.get(t.index);
      if (list) list.push(c);
      else by.set(t.index, [c]);
    }
    const messages: string[] = [];
    for (const [index, inputs] of by) {
      if (inputs.length < 2) continue;
      const isMapped = (c: string) => this.mapping.has(c.trim().toLowerCase());
      const names = inputs.map((c) => `"${c}"${isMapped(c) ? " (mapped)" : ""}`);
      const list = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
      const why = inputs.some(isMapped)
        ? "remove one, or change the column mapping in the config"
        : "names match regardless of case and surrounding blanks; remove or rename one";
      const what = `column ${this.columns[index]?.name} of table ${this.table.name}`;
      messages.push(`columns ${list} ${inputs.length === 2 ? "both" : "all"} give ${what}; ${why}`);
    }
    return messages;
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
    const from: string[] = new Array(this.columns.length);
    const errors: FieldError[] = [];
    let attributes: Record<string, RawValue> | undefined;
    for (const [k, v] of Object.entries(record.values)) {
      const t = this.target(k);
      if (t.kind === "column") {
        const earlier = from[t.index];
        if (earlier !== undefined) {
          const reason = `given twice, by input columns "${earlier}" and "${k}"`;
          errors.push({ column: this.columns[t.index]?.name ?? k, reason });
        }
        from[t.index] = k;
        raw[t.index] = v;
      } else if (t.kind === "attribute" && !isMissing(v)) {
        attributes ??= emptyRecord<RawValue>();
        attributes[k] = typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v;
      }
    }
    if (errors.length > 0) return { ok: false, errors };
    const values: CanonicalValue[] = new Array(this.columns.length);
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
