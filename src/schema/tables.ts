/**
 * The canonical data model: every input table of the data contract (`docs/data-model.md`), as plain
 * column specs. Everything else derives from this one list: the zod schemas (`zod-schemas.ts`), the row
 * coercion with its error messages (`coerce-row.ts`) and each engine's DDL (`src/store/<engine>/`).
 */

export type ColumnType = "string" | "integer" | "number" | "boolean" | "timestamp" | "date" | "enum";

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  /** Allowed values for `enum` columns, lower case. */
  readonly values?: readonly string[];
  /** Inclusive bounds for numbers. */
  readonly min?: number;
  readonly max?: number;
  /** A regular expression the (trimmed) string must match, with a human description. */
  readonly pattern?: { readonly re: RegExp; readonly description: string };
  /** Value stored when the column is missing or empty. */
  readonly default?: string | number | boolean;
  readonly label: { readonly en: string; readonly nl: string };
}

export interface TableSpec {
  readonly name: TableName;
  readonly required: boolean;
  readonly columns: readonly ColumnSpec[];
  /** Columns whose values together identify a row; a second row with the same key is a duplicate. */
  readonly key: readonly string[];
  /** Extra input columns are kept as a JSON object in an `attributes` column. */
  readonly keepsAttributes: boolean;
  /** Column that holds the customer, when the table has customer rows (for erasure and sharding). */
  readonly customerColumn?: string;
  /** Column ordering rows in time, when the table has one. */
  readonly timeColumn?: string;
  readonly label: { readonly en: string; readonly nl: string };
}

export const TABLE_NAMES = [
  "customers",
  "contacts",
  "web_events",
  "feedback",
  "reasons",
  "costs",
  "kpis",
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const CONTACT_CHANNELS = [
  "phone",
  "chat",
  "email",
  "webform",
  "app",
  "store",
  "social",
  "letter",
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const WEB_CHANNELS = ["web", "app"] as const;
export const DIRECTIONS = ["inbound", "outbound"] as const;
export const WEB_ACTIONS = ["view", "search", "submit", "error", "login"] as const;
export const FEEDBACK_SOURCES = ["survey", "web", "social", "review", "complaint", "transcript"] as const;

const col = (
  name: string,
  type: ColumnType,
  required: boolean,
  en: string,
  nl: string,
  extra: Partial<ColumnSpec> = {},
): ColumnSpec => ({ name, type, required, label: { en, nl }, ...extra });

const NON_NEGATIVE = { min: 0 };

export const TABLES: Readonly<Record<TableName, TableSpec>> = {
  customers: {
    name: "customers",
    required: true,
    label: { en: "Customers", nl: "Klanten" },
    key: ["customer_id"],
    keepsAttributes: true,
    customerColumn: "customer_id",
    columns: [
      col("customer_id", "string", true, "Customer", "Klant"),
      col("segment", "string", false, "Segment", "Segment"),
      col("product", "string", false, "Product", "Product"),
      col("region", "string", false, "Region", "Regio"),
      col("start_date", "date", false, "Customer since", "Klant sinds"),
      col("end_date", "date", false, "Left on", "Vertrokken op"),
      col("annual_value_eur", "number", false, "Annual value (EUR)", "Jaarwaarde (EUR)"),
    ],
  },
  contacts: {
    name: "contacts",
    required: true,
    label: { en: "Contacts", nl: "Contacten" },
    key: ["contact_id"],
    keepsAttributes: true,
    customerColumn: "customer_id",
    timeColumn: "ts",
    columns: [
      col("contact_id", "string", true, "Contact", "Contact"),
      col("customer_id", "string", true, "Customer", "Klant"),
      col("ts", "timestamp", true, "Start", "Begin"),
      col("channel", "enum", true, "Channel", "Kanaal", { values: CONTACT_CHANNELS }),
      col("reason", "string", true, "Contact reason", "Contactreden"),
      col("direction", "enum", false, "Direction", "Richting", { values: DIRECTIONS, default: "inbound" }),
      col("wait_s", "number", false, "Waiting time (s)", "Wachttijd (s)", NON_NEGATIVE),
      col("handle_s", "number", false, "Handling time (s)", "Afhandeltijd (s)", NON_NEGATIVE),
      col("transfers", "integer", false, "Transfers", "Doorverbindingen", NON_NEGATIVE),
      col("resolved", "boolean", false, "Resolved (agent)", "Opgelost (medewerker)"),
      col("complaint", "boolean", false, "Complaint", "Klacht"),
      col("cost_eur", "number", false, "Cost (EUR)", "Kosten (EUR)", NON_NEGATIVE),
    ],
  },
  web_events: {
    name: "web_events",
    required: false,
    label: { en: "Web and app events", nl: "Web- en app-gebeurtenissen" },
    key: ["event_id"],
    keepsAttributes: true,
    customerColumn: "customer_id",
    timeColumn: "ts",
    columns: [
      col("event_id", "string", true, "Event", "Gebeurtenis"),
      col("session_id", "string", true, "Session", "Sessie"),
      col("customer_id", "string", false, "Customer", "Klant"),
      col("ts", "timestamp", true, "Time", "Tijdstip"),
      col("channel", "enum", true, "Channel", "Kanaal", { values: WEB_CHANNELS }),
      col("page", "string", true, "Page", "Pagina"),
      col("reason", "string", false, "Contact reason", "Contactreden"),
      col("action", "enum", false, "Action", "Actie", { values: WEB_ACTIONS, default: "view" }),
    ],
  },
  feedback: {
    name: "feedback",
    required: false,
    label: { en: "Feedback", nl: "Feedback" },
    key: ["feedback_id"],
    keepsAttributes: true,
    customerColumn: "customer_id",
    timeColumn: "ts",
    columns: [
      col("feedback_id", "string", true, "Feedback", "Feedback"),
      col("customer_id", "string", false, "Customer", "Klant"),
      col("contact_id", "string", false, "Contact", "Contact"),
      col("ts", "timestamp", true, "Time", "Tijdstip"),
      col("source", "enum", true, "Source", "Bron", { values: FEEDBACK_SOURCES }),
      col("nps", "integer", false, "NPS answer (0-10)", "NPS-antwoord (0-10)", { min: 0, max: 10 }),
      col("ces", "integer", false, "Effort (1-7)", "Moeite (1-7)", { min: 1, max: 7 }),
      col("csat", "integer", false, "Satisfaction (1-5)", "Tevredenheid (1-5)", { min: 1, max: 5 }),
      col("text", "string", false, "Open answer", "Open antwoord"),
      col("language", "string", false, "Language", "Taal", {
        pattern: { re: /^[a-z]{2}$/, description: "a two-letter language code such as nl or en" },
      }),
    ],
  },
  reasons: {
    name: "reasons",
    required: false,
    label: { en: "Contact reasons", nl: "Contactredenen" },
    key: ["reason"],
    keepsAttributes: false,
    columns: [
      col("reason", "string", true, "Code", "Code"),
      col("label_nl", "string", false, "Dutch label", "Nederlandse naam"),
      col("label_en", "string", false, "English label", "Engelse naam"),
      col("lifecycle_stage", "string", false, "Lifecycle stage", "Levensfase"),
      col("colour", "string", false, "Colour", "Kleur", {
        pattern: { re: /^#[0-9a-fA-F]{6}$/, description: "a colour as #rrggbb" },
      }),
    ],
  },
  costs: {
    name: "costs",
    required: false,
    label: { en: "Costs per channel", nl: "Kosten per kanaal" },
    key: ["channel"],
    keepsAttributes: false,
    columns: [
      col("channel", "enum", true, "Channel", "Kanaal", { values: CONTACT_CHANNELS }),
      col(
        "cost_per_contact_eur",
        "number",
        true,
        "Cost per contact (EUR)",
        "Kosten per contact (EUR)",
        NON_NEGATIVE,
      ),
    ],
  },
  kpis: {
    name: "kpis",
    required: false,
    label: { en: "Internal KPIs", nl: "Interne KPI's" },
    key: ["period", "name", "segment"],
    keepsAttributes: false,
    timeColumn: "period",
    columns: [
      col("period", "date", true, "Period start", "Begin periode"),
      col("name", "string", true, "KPI", "KPI"),
      col("value", "number", true, "Value", "Waarde"),
      col("segment", "string", false, "Segment", "Segment"),
    ],
  },
};

/** Columns a store holds for a table: the contract's columns, then `attributes` where the table keeps them. */
export function storedColumns(table: TableSpec): readonly ColumnSpec[] {
  if (!table.keepsAttributes) return table.columns;
  return [
    ...table.columns,
    col("attributes", "string", false, "Other fields (JSON)", "Overige velden (JSON)"),
  ];
}

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** Throws with the valid names when `name` is not a table of the contract. */
export function tableSpec(name: string): TableSpec {
  if (!isTableName(name)) {
    throw new Error(`unknown table "${name}"; valid tables: ${TABLE_NAMES.join(", ")}`);
  }
  return TABLES[name];
}
