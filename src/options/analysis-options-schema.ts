/**
 * The rules every analysis option obeys, as zod schemas: one set, used when `kei.config.json` is read
 * (its `analysis` section) and when a library caller passes overrides. A value that breaks a rule (NaN,
 * Infinity, a negative window, an anchor below its minimum, weights that do not sum to 1) is refused with
 * the rule and the value, e.g. `must be a positive number, got -5`; zod adds the field's path. An unknown
 * option name is refused with the names that are known. The options' meanings and defaults are in
 * analysis-options.ts.
 */
import { z } from "zod";
import { assertTimeZone } from "../schema/local-time.js";
import { CONTACT_CHANNELS } from "../schema/tables.js";

/** How a refused value is shown: numbers as JS writes them (NaN, Infinity, -5), the rest as JSON where it can be. */
function shown(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A finite number that passes `ok`; `rule` says what is expected, e.g. "must be a positive number". */
function numberWhere(rule: string, ok: (n: number) => boolean) {
  const error = (iss: { input?: unknown }) => `${rule}, got ${shown(iss.input)}`;
  // z.number() already refuses NaN and ±Infinity; the message then still names the rule and the value.
  return z.number({ error }).refine(ok, { error });
}

const positive = () => numberWhere("must be a positive number", (n) => n > 0);

/** A window: more than 0 and at most `max` of its unit. */
const window = (unit: string, max: number) =>
  numberWhere(`must be a positive number of ${unit}, at most ${max}`, (n) => n > 0 && n <= max);

const wholeFrom = (min: number, max?: number) =>
  max === undefined
    ? numberWhere(`must be a whole number of ${min} or more`, (n) => Number.isInteger(n) && n >= min)
    : numberWhere(
        `must be a whole number from ${min} to ${max}`,
        (n) => Number.isInteger(n) && n >= min && n <= max,
      );

const share = () => numberWhere("must be a number from 0 to 1", (n) => n >= 0 && n <= 1);

/** An object with exactly these fields; an unknown one is refused with the names that are known. */
function exactly<T extends z.ZodRawShape>(shape: T, noun: string) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown ${noun} ${iss.keys.map((k) => `"${k}"`).join(", ")}; the ${noun}s are: ${known}`
        : undefined,
  });
}

const sumOf = (w: object) => Object.values(w as Record<string, number>).reduce((a, b) => a + b, 0);

/** Weights of named parts: each 0-1, together 1 (within 1e-6, so 1/3 three times passes). */
function weights<K extends string>(names: readonly K[], noun: string) {
  const shape = Object.fromEntries(names.map((n) => [n, share()])) as Record<K, ReturnType<typeof share>>;
  return exactly(shape, noun).refine((w) => Math.abs(sumOf(w) - 1) < 1e-6, {
    error: (iss) => `the weights must sum to 1, they sum to ${sumOf(iss.input as object)}`,
  });
}

/** An IANA time zone such as Europe/Amsterdam or UTC. */
export const timeZoneSchema = z.string().superRefine((zone, ctx) => {
  try {
    assertTimeZone(zone);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

const step = z.string().min(1);

/** The options of the config's `analysis` section (all but the time zone, which the config holds at its top). */
const SECTION_SHAPE = {
  jobWindowDays: window("days", 90),
  webWindowHours: window("hours", 24 * 14),
  escalationTransfers: wholeFrom(0),
  minCellSize: wholeFrom(1),
  minEmotionSignals: wholeFrom(1),
  maxKeiInterval: numberWhere(
    "must be a positive number of KEI points, at most 100",
    (n) => n > 0 && n <= 100,
  ),
  easeAnchors: exactly(
    {
      contacts: numberWhere("must be a number of at least 2 (one contact is no extra effort)", (n) => n >= 2),
      switches: positive(),
      waitSeconds: positive(),
      transfers: positive(),
    },
    "anchor",
  ),
  waitNorms: exactly(
    Object.fromEntries(
      CONTACT_CHANNELS.map((c) => [c, numberWhere("must be a positive number of seconds", (n) => n > 0)]),
    ) as Record<(typeof CONTACT_CHANNELS)[number], ReturnType<typeof positive>>,
    "channel",
  ).partial(),
  easeWeights: weights(["contacts", "switches", "wait", "transfers", "webToCall"], "ease weight"),
  weights: weights(["effectiveness", "ease", "emotion"], "KEI weight"),
  pageGroupDepth: wholeFrom(1, 10),
  pageGroups: z.record(z.string().min(1), z.string().min(1)),
  desiredPaths: z.record(
    z.string().min(1),
    z.union([z.array(step).min(1), z.array(z.array(step).min(1)).min(1)]),
  ),
};

/** `analysis` in kei.config.json: any of the options but the time zone; unknown names refused. */
export const analysisSectionSchema = exactly(SECTION_SHAPE, "analysis option").partial();

/** Overrides a library caller passes: any of the options, the time zone included. */
export const analysisOverridesSchema = exactly(
  { ...SECTION_SHAPE, timeZone: timeZoneSchema },
  "option",
).partial();

export type AnalysisSection = z.infer<typeof analysisSectionSchema>;
