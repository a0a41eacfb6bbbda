/**
 * The fictional Dutch energy supplier's catalogue: contact reasons with their lifecycle stage, labels,
 * colour and **planted truth** (first-time resolution, ease, emotion, web-to-call), channels with their
 * costs, waits and handling times, and the customer base's segments, products and regions.
 * Examples based on fictional data.
 */
import type { ContactChannel } from "../schema/tables.js";

export interface ReasonProfile {
  readonly code: string;
  readonly label_nl: string;
  readonly label_en: string;
  readonly lifecycle_stage: string;
  readonly colour: string;
  /** Jobs per customer per year (for reasons every customer can have). */
  readonly perYear: number;
  /** Planted probability that a job's first contact resolves it. */
  readonly fcr: number;
  /** Planted ease, 0-100: lower means longer waits, more transfers and more channel switches. */
  readonly ease: number;
  /** Planted emotion, 0-100: drives survey scores and the tone of open text. */
  readonly emotion: number;
  /** Share of jobs that start online (web or app). */
  readonly online: number;
  /** Planted probability that an online attempt fails and the customer contacts within 24 h. */
  readonly webToCall: number;
  /** Page paths of this reason's online flow (the last is the step that submits). */
  readonly pages: readonly string[];
  /** Topics customers write about for this reason (open text). */
  readonly topics: readonly string[];
}

export const REASONS: readonly ReasonProfile[] = [
  {
    code: "tarief_vraag",
    label_nl: "Vraag over tarieven",
    label_en: "Tariff question",
    lifecycle_stage: "orientation",
    colour: "#17becf",
    perYear: 1.17,
    fcr: 0.88,
    ease: 78,
    emotion: 66,
    online: 0.55,
    webToCall: 0.08,
    pages: ["/tarieven", "/tarieven/vergelijken"],
    topics: ["tarief", "uitleg"],
  },
  {
    code: "aanmelden",
    label_nl: "Aanmelden",
    label_en: "Signing up",
    lifecycle_stage: "onboarding",
    colour: "#2ca02c",
    perYear: 0.0,
    fcr: 0.85,
    ease: 74,
    emotion: 72,
    online: 0.7,
    webToCall: 0.1,
    pages: ["/aanmelden", "/aanmelden/gegevens", "/aanmelden/bevestigen"],
    topics: ["aanmelden", "welkom"],
  },
  {
    code: "overstappen",
    label_nl: "Overstappen",
    label_en: "Switching supplier",
    lifecycle_stage: "onboarding",
    colour: "#98df8a",
    perYear: 0.0,
    fcr: 0.72,
    ease: 60,
    emotion: 58,
    online: 0.5,
    webToCall: 0.12,
    pages: ["/overstappen", "/overstappen/aanvragen"],
    topics: ["overstap", "startdatum"],
  },
  {
    code: "meterstand_doorgeven",
    label_nl: "Meterstand doorgeven",
    label_en: "Submitting a meter reading",
    lifecycle_stage: "usage",
    colour: "#9467bd",
    perYear: 2.34,
    fcr: 0.8,
    ease: 46,
    emotion: 48,
    online: 0.8,
    webToCall: 0.45,
    pages: ["/mijn/meterstand", "/mijn/meterstand/invoeren"],
    topics: ["meterstand", "app"],
  },
  {
    code: "storing",
    label_nl: "Storing",
    label_en: "Outage",
    lifecycle_stage: "usage",
    colour: "#d62728",
    perYear: 0.78,
    fcr: 0.62,
    ease: 40,
    emotion: 30,
    online: 0.3,
    webToCall: 0.13,
    pages: ["/service/storingen", "/service/storingen/melden"],
    topics: ["storing", "monteur", "wachttijd"],
  },
  {
    code: "jaarafrekening",
    label_nl: "Jaarafrekening",
    label_en: "Annual bill",
    lifecycle_stage: "billing",
    colour: "#1f77b4",
    perYear: 2.08,
    fcr: 0.68,
    ease: 55,
    emotion: 40,
    online: 0.45,
    webToCall: 0.1,
    pages: ["/mijn/jaarafrekening", "/mijn/facturen"],
    topics: ["factuur", "uitleg"],
  },
  {
    code: "termijnbedrag_aanpassen",
    label_nl: "Termijnbedrag aanpassen",
    label_en: "Changing the monthly instalment",
    lifecycle_stage: "billing",
    colour: "#aec7e8",
    perYear: 1.43,
    fcr: 0.76,
    ease: 38,
    emotion: 44,
    online: 0.75,
    webToCall: 0.4,
    pages: ["/mijn/termijnbedrag", "/mijn/termijnbedrag/wijzigen"],
    topics: ["termijnbedrag", "app"],
  },
  {
    code: "betalingsregeling",
    label_nl: "Betalingsregeling",
    label_en: "Payment arrangement",
    lifecycle_stage: "billing",
    colour: "#ff7f0e",
    perYear: 0.47,
    fcr: 0.5,
    ease: 30,
    emotion: 25,
    online: 0.25,
    webToCall: 0.16,
    pages: ["/mijn/betalingsregeling"],
    topics: ["betaling", "wachttijd"],
  },
  {
    code: "verhuizen",
    label_nl: "Verhuizen",
    label_en: "Moving house",
    lifecycle_stage: "moving",
    colour: "#8c564b",
    perYear: 0.31,
    fcr: 0.56,
    ease: 34,
    emotion: 37,
    online: 0.5,
    webToCall: 0.14,
    pages: ["/verhuizen", "/verhuizen/doorgeven"],
    topics: ["verhuizing", "startdatum"],
  },
  {
    code: "contract_verlengen",
    label_nl: "Contract verlengen",
    label_en: "Renewing the contract",
    lifecycle_stage: "renewal",
    colour: "#bcbd22",
    perYear: 1.17,
    fcr: 0.92,
    ease: 82,
    emotion: 76,
    online: 0.6,
    webToCall: 0.05,
    pages: ["/mijn/contract", "/mijn/contract/verlengen"],
    topics: ["contract", "tarief"],
  },
  {
    code: "opzeggen",
    label_nl: "Opzeggen",
    label_en: "Cancelling",
    lifecycle_stage: "leaving",
    colour: "#7f7f7f",
    perYear: 0.0,
    fcr: 0.83,
    ease: 63,
    emotion: 34,
    online: 0.3,
    webToCall: 0.06,
    pages: ["/opzeggen"],
    topics: ["opzeggen", "eindafrekening"],
  },
];

export const REASON_BY_CODE: ReadonlyMap<string, ReasonProfile> = new Map(REASONS.map((r) => [r.code, r]));

/** Pages not tied to a reason. */
export const GENERIC_PAGES = ["/", "/zoeken", "/contact", "/energie-besparen", "/over-ons", "/mijn"] as const;

export interface ChannelProfile {
  readonly cost: number;
  /** Median seconds waited before being helped, at ease 100 (lower ease waits longer). */
  readonly wait: number;
  /** Median seconds of handling. */
  readonly handle: number;
  /** Opening hours (local), for when contacts happen. */
  readonly hours: readonly [number, number];
}

export const CHANNELS: Readonly<Record<Exclude<ContactChannel, "letter">, ChannelProfile>> = {
  phone: { cost: 6.5, wait: 120, handle: 420, hours: [8, 20] },
  chat: { cost: 3.5, wait: 30, handle: 540, hours: [8, 22] },
  email: { cost: 4, wait: 7200, handle: 300, hours: [0, 24] },
  webform: { cost: 2.5, wait: 14400, handle: 240, hours: [0, 24] },
  app: { cost: 0.5, wait: 20, handle: 90, hours: [6, 24] },
  store: { cost: 12, wait: 240, handle: 900, hours: [9, 18] },
  social: { cost: 3, wait: 1800, handle: 300, hours: [7, 23] },
};

export type GenChannel = keyof typeof CHANNELS;

/** Channel mix of a first contact, per segment. */
export const FIRST_CHANNEL: Readonly<
  Record<"particulier" | "zakelijk", Partial<Record<GenChannel, number>>>
> = {
  particulier: { phone: 0.46, chat: 0.17, email: 0.12, webform: 0.08, app: 0.08, store: 0.03, social: 0.06 },
  zakelijk: { phone: 0.58, chat: 0.08, email: 0.22, webform: 0.07, app: 0.02, store: 0.01, social: 0.02 },
};

/** Channel mix of the contact that follows a failed online attempt (web-to-call). */
export const AFTER_ONLINE: Partial<Record<GenChannel, number>> = {
  phone: 0.72,
  chat: 0.2,
  email: 0.04,
  social: 0.04,
};

export const SEGMENTS = { particulier: 0.88, zakelijk: 0.12 } as const;

export const PRODUCTS = {
  particulier: { stroom: 0.24, gas: 0.06, "stroom+gas": 0.55, "zonnepanelen-terugleveren": 0.15 },
  zakelijk: { "stroom+gas": 0.45, stroom: 0.2, "zakelijk-maatwerk": 0.35 },
} as const;

export const REGIONS = [
  "Groningen",
  "Friesland",
  "Drenthe",
  "Overijssel",
  "Flevoland",
  "Gelderland",
  "Utrecht",
  "Noord-Holland",
  "Zuid-Holland",
  "Zeeland",
  "Noord-Brabant",
  "Limburg",
] as const;

/** Planted churn: a base hazard, and a higher chance to leave within 90 days after each failed job. */
export const CHURN = {
  /** Chance per month of leaving for reasons outside the experience (price, moving abroad). */
  baseMonthly: 0.004,
  /** Chance that a failed job (not resolved at the first contact) makes the customer leave within 90 days. */
  perFailedJob: 0.1,
  /** A failed job with a complaint weighs more. */
  perComplaintJob: 0.25,
  /** Leaving customers contact to cancel (opzeggen) with this chance, 3-20 days before the end date. */
  cancelContact: 0.75,
} as const;
