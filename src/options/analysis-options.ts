/**
 * The analysis options: every setting the analytics (the KEI, NPS, validation, journeys) read, with its
 * meaning, unit and default, in one place for the CLI, the library and the API. `kei.config.json` sets them
 * under `analysis` (and `timeZone` at its top): `analysisOptionsFromConfig`. A library caller overrides
 * some: `analysisOptions({ jobWindowDays: 3 })`. Both go through the same rules (analysis-options-schema.ts),
 * so a NaN, a negative window or weights that do not sum to 1 never reach an analytic. The formulas the
 * options feed are in docs/methodology.md.
 */
import type { z } from "zod";
import { UsageError } from "../errors/kei-error.js";
import type { ContactChannel } from "../schema/tables.js";
import { type AnalysisSection, analysisOverridesSchema } from "./analysis-options-schema.js";

/** Where each effort component of Ease counts fully: penalty = min(1, measure / anchor). */
export interface EaseAnchors {
  /** Contacts in a job at which the "extra contacts" penalty is full (1 contact is none). At least 2. Default 4. */
  readonly contacts: number;
  /** Channel switches in a job at which that penalty is full. Positive. Default 2. */
  readonly switches: number;
  /**
   * Seconds waited at which the waiting penalty is full, for a channel without its own norm in `waitNorms`.
   * Positive. Default 1800.
   */
  readonly waitSeconds: number;
  /** Transfers, summed over the job's contacts, at which that penalty is full. Positive. Default 3. */
  readonly transfers: number;
}

/** Per contact channel, the seconds of waiting at which the waiting penalty is full (the channel's norm). */
export type WaitNorms = Readonly<Partial<Record<ContactChannel, number>>>;

/**
 * The channels' own norms for waiting: half an hour on the phone or in a shop, ten minutes for a chat or the
 * app's messaging, a day on social media, two days for an e-mail or web form, two weeks for a letter. Where
 * customers expect an answer at once, 30 minutes is long; an e-mail answered the next morning is on time.
 */
export const DEFAULT_WAIT_NORMS: Readonly<Record<ContactChannel, number>> = {
  phone: 1800,
  chat: 600,
  app: 600,
  store: 1800,
  social: 86_400,
  email: 172_800,
  webform: 172_800,
  letter: 1_209_600,
};

/** Weights of the five effort components of Ease: each 0-1, together 1. */
export interface EaseWeights {
  readonly contacts: number;
  readonly switches: number;
  readonly wait: number;
  readonly transfers: number;
  readonly webToCall: number;
}

/** Weights of the KEI's three parts: each 0-1, together 1. */
export interface KeiWeights {
  readonly effectiveness: number;
  readonly ease: number;
  readonly emotion: number;
}

/** A reason's desired path (activities such as "web:move", or a bare channel "app"), or paths accepted equally. */
export type DesiredPath = readonly string[] | readonly (readonly string[])[];

export interface AnalysisOptions {
  /**
   * Days. A contact on the same reason within this many days after the previous one joins its job; feedback
   * without a contact counts for a job up to this long after its last contact. Journeys' job cases use it too.
   * Positive, at most 90. Default 7.
   */
  readonly jobWindowDays: number;
  /**
   * Hours. A web or app event on the reason's pages this long before a job's first contact makes the job
   * web-to-call (an Ease component). Positive, at most 336. Default 24.
   */
  readonly webWindowHours: number;
  /** Transfers. More than this many in a job is an escalation loop: not effective. Whole, 0 or more. Default 2. */
  readonly escalationTransfers: number;
  /**
   * Jobs (answers, for NPS). A cell with fewer is suppressed: its figures are withheld. Whole, 1 or more.
   * Default 30.
   */
  readonly minCellSize: number;
  /**
   * Emotion signals (survey scores, complaints, scored texts). A cell's Emotion needs at least this many before it
   * is shown (and counts in the KEI): a mean of a handful of answers says little. Whole, 1 or more. Default 10.
   */
  readonly minEmotionSignals: number;
  /**
   * KEI points. A cell whose KEI 95% interval is wider than this is suppressed as too imprecise, however many jobs
   * it has: the minimum cell is set by precision, with `minCellSize` as a floor. More than 0, at most 100. Default 20.
   */
  readonly maxKeiInterval: number;
  /** Where each effort component of Ease counts fully. Default contacts 4, switches 2, waitSeconds 1800, transfers 3. */
  readonly easeAnchors: EaseAnchors;
  /**
   * Seconds per contact channel at which waiting counts fully: a contact's wait is judged against its channel's
   * norm, so an e-mail answered in a day is not "hard" next to a phone call answered in a minute. A config gives
   * some channels; the others keep their default (`DEFAULT_WAIT_NORMS`). A channel without a norm uses
   * `easeAnchors.waitSeconds`. Default phone 1800, chat 600, app 600, store 1800, social 86400, email 172800,
   * webform 172800, letter 1209600.
   */
  readonly waitNorms: WaitNorms;
  /**
   * Weights of the five effort components in a job's Ease penalty; they sum to 1 (`kei calibrate` suggests
   * some). Default contacts 0.3, switches 0.15, wait 0.2, transfers 0.15, webToCall 0.2.
   */
  readonly easeWeights: EaseWeights;
  /**
   * Weights of Effectiveness, Ease and Emotion in the KEI; they sum to 1 (where Emotion is blank, the other two
   * are weighed alone; `kei index --weights fitted` replaces them). Default 1/3 each.
   */
  readonly weights: KeiWeights;
  /** Path segments. A web page's group is the first this many segments of its path. Whole, 1 to 10. Default 2. */
  readonly pageGroupDepth: number;
  /** Path prefix -> page group name, over the depth rule (the longest matching prefix wins). Default none. */
  readonly pageGroups: Readonly<Record<string, string>>;
  /** Contact reason -> the path its jobs should take (`kei journeys conformance`). Default none. */
  readonly desiredPaths: Readonly<Record<string, DesiredPath>>;
  /** IANA time zone of days, months and quarters. Default Europe/Amsterdam. */
  readonly timeZone: string;
}

/** Options a caller sets; the rest keep their defaults. A nested object (anchors, weights) is given whole. */
export type AnalysisOverrides = Partial<AnalysisOptions>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = deepFreeze({
  jobWindowDays: 7,
  webWindowHours: 24,
  escalationTransfers: 2,
  minCellSize: 30,
  minEmotionSignals: 10,
  maxKeiInterval: 20,
  easeAnchors: { contacts: 4, switches: 2, waitSeconds: 1800, transfers: 3 },
  waitNorms: DEFAULT_WAIT_NORMS,
  easeWeights: { contacts: 0.3, switches: 0.15, wait: 0.2, transfers: 0.15, webToCall: 0.2 },
  weights: { effectiveness: 1 / 3, ease: 1 / 3, emotion: 1 / 3 },
  pageGroupDepth: 2,
  pageGroups: {},
  desiredPaths: {},
  timeZone: "Europe/Amsterdam",
});

/** An option that breaks its rule, or an unknown option; the message names the field. */
export class OptionsError extends UsageError {
  override name = "OptionsError";
}

/** `path: message` per problem, e.g. `easeAnchors.waitSeconds: must be a positive number, got -5`. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message));
}

/** The defaults with `overrides` over them, after the rules; throws OptionsError naming each field that breaks one. */
export function analysisOptions(overrides: AnalysisOverrides = {}): AnalysisOptions {
  const r = analysisOverridesSchema.safeParse(overrides);
  if (!r.success)
    throw new OptionsError(`invalid analysis options: ${describeIssues(r.error.issues).join("; ")}`);
  // A field given as undefined is not given.
  const given = Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined));
  // Channels a caller does not name keep their default norm.
  const waitNorms = { ...DEFAULT_WAIT_NORMS, ...(r.data.waitNorms ?? {}) };
  return { ...DEFAULT_ANALYSIS_OPTIONS, ...given, waitNorms };
}

/**
 * The options a read config sets: its `analysis` section (checked by the same rules when the config was read)
 * and its time zone. Takes any object of that shape, such as the `KeiConfig` of `loadConfig`.
 */
export function analysisOptionsFromConfig(config: {
  readonly timeZone?: string | undefined;
  readonly analysis?: AnalysisSection | undefined;
}): AnalysisOptions {
  return analysisOptions({
    ...config.analysis,
    ...(config.timeZone === undefined ? {} : { timeZone: config.timeZone }),
  });
}
