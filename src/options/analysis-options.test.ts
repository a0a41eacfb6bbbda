/**
 * The analysis options: their defaults (today's values, each documented in its TSDoc and in
 * docs/methodology.md), and the rules that refuse NaN, Infinity, negative, zero, out-of-range and
 * inconsistent values and unknown names, alike in kei.config.json and in a library caller's overrides, with
 * the field's path in the message.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/config.js";
import {
  type AnalysisOptions,
  analysisOptions,
  analysisOptionsFromConfig,
  DEFAULT_ANALYSIS_OPTIONS,
  OptionsError,
} from "./analysis-options.js";

const ANCHORS = { contacts: 4, switches: 2, waitSeconds: 1800, transfers: 3 };
const EASE_WEIGHTS = { contacts: 0.3, switches: 0.15, wait: 0.2, transfers: 0.15, webToCall: 0.2 };

/** Each numeric option by its path, with a valid object to put a bad value into. */
const NUMBERS: readonly (readonly [string, (v: number) => Record<string, unknown>])[] = [
  ["jobWindowDays", (v) => ({ jobWindowDays: v })],
  ["webWindowHours", (v) => ({ webWindowHours: v })],
  ["escalationTransfers", (v) => ({ escalationTransfers: v })],
  ["minCellSize", (v) => ({ minCellSize: v })],
  ["pageGroupDepth", (v) => ({ pageGroupDepth: v })],
  ...Object.keys(ANCHORS).map(
    (k) => [`easeAnchors.${k}`, (v: number) => ({ easeAnchors: { ...ANCHORS, [k]: v } })] as const,
  ),
  ...Object.keys(EASE_WEIGHTS).map(
    (k) => [`easeWeights.${k}`, (v: number) => ({ easeWeights: { ...EASE_WEIGHTS, [k]: v } })] as const,
  ),
  ["weights.ease", (v) => ({ weights: { effectiveness: 0.5, ease: v, emotion: 0.5 } })],
  ["waitNorms.email", (v) => ({ waitNorms: { email: v } })],
];

const refused = (overrides: unknown): string => {
  try {
    analysisOptions(overrides as never);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionsError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(overrides)}`);
};

const configRefused = (analysis: unknown): string => {
  try {
    parseConfig({ analysis }, "test.json");
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(analysis)}`);
};

describe("analysis options", () => {
  it("default to today's values", () => {
    expect(DEFAULT_ANALYSIS_OPTIONS).toEqual({
      jobWindowDays: 7,
      webWindowHours: 24,
      escalationTransfers: 2,
      minCellSize: 30,
      minEmotionSignals: 10,
      maxKeiInterval: 20,
      easeAnchors: ANCHORS,
      waitNorms: {
        phone: 1800,
        chat: 600,
        app: 600,
        store: 1800,
        social: 86400,
        email: 172800,
        webform: 172800,
        letter: 1209600,
      },
      easeWeights: EASE_WEIGHTS,
      weights: { effectiveness: 1 / 3, ease: 1 / 3, emotion: 1 / 3 },
      pageGroupDepth: 2,
      pageGroups: {},
      desiredPaths: {},
      timeZone: "Europe/Amsterdam",
    });
    expect(analysisOptions()).toEqual(DEFAULT_ANALYSIS_OPTIONS);
    expect(analysisOptionsFromConfig(parseConfig({}))).toEqual(DEFAULT_ANALYSIS_OPTIONS);
    expect(Object.isFrozen(DEFAULT_ANALYSIS_OPTIONS.easeWeights)).toBe(true);
  });

  it("document each default in the option's TSDoc and in docs/methodology.md", async () => {
    const source = await readFile(new URL("./analysis-options.ts", import.meta.url), "utf8");
    const body = source.slice(source.indexOf("export interface AnalysisOptions"));
    const methodology = await readFile(new URL("../../docs/methodology.md", import.meta.url), "utf8");
    const from = methodology.indexOf("## Settings");
    const settings = methodology.slice(from, methodology.indexOf("\n## ", from + 1));
    for (const [name, value] of Object.entries(DEFAULT_ANALYSIS_OPTIONS)) {
      const doc = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*readonly ${name}:`).exec(body)?.[1] ?? "";
      const text = doc.replace(/\s*\n\s*\*\s*/g, " ");
      const expected =
        typeof value !== "object"
          ? [`Default ${value}.`]
          : Object.keys(value).length === 0
            ? ["Default none."]
            : Object.values(value).every((v) => v === 1 / 3)
              ? ["Default 1/3 each."]
              : Object.entries(value).map(([k, v]) => `${k} ${v}`);
      for (const e of expected) expect(text, `the TSDoc of ${name}`).toContain(e);
      expect(settings, `docs/methodology.md, Settings`).toContain(`\`${name}\``);
    }
  });

  it("keep the other channels' wait norms when a config sets some, and refuse unknown channels", () => {
    const o = analysisOptionsFromConfig(parseConfig({ analysis: { waitNorms: { email: 86400 } } }));
    expect(o.waitNorms).toMatchObject({ email: 86400, phone: 1800, webform: 172800 });
    expect(configRefused({ waitNorms: { fax: 60 } })).toContain('unknown channel "fax"');
    expect(configRefused({ waitNorms: { chat: 0 } })).toContain(
      "analysis.waitNorms.chat: must be a positive number of seconds, got 0",
    );
  });

  it("refuse NaN and ±Infinity in a library caller's overrides, naming the field", () => {
    for (const [path, put] of NUMBERS) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(refused(put(bad))).toMatch(new RegExp(`${path.replace(".", "\\.")}: must be .*, got ${bad}`));
      }
    }
  });

  it("refuse negative, zero and out-of-range values in the config, naming the field", () => {
    expect(configRefused({ easeAnchors: { ...ANCHORS, waitSeconds: -5 } })).toBe(
      "test.json is not a valid kei config:\n  analysis.easeAnchors.waitSeconds: must be a positive number, got -5",
    );
    const cases: [Record<string, unknown>, string][] = [
      [{ jobWindowDays: 0 }, "analysis.jobWindowDays: must be a positive number of days, at most 90, got 0"],
      [
        { jobWindowDays: 91 },
        "analysis.jobWindowDays: must be a positive number of days, at most 90, got 91",
      ],
      [
        { webWindowHours: -1 },
        "analysis.webWindowHours: must be a positive number of hours, at most 336, got -1",
      ],
      [
        { escalationTransfers: -1 },
        "analysis.escalationTransfers: must be a whole number of 0 or more, got -1",
      ],
      [
        { escalationTransfers: 1.5 },
        "analysis.escalationTransfers: must be a whole number of 0 or more, got 1.5",
      ],
      [{ minCellSize: 0 }, "analysis.minCellSize: must be a whole number of 1 or more, got 0"],
      [{ pageGroupDepth: 11 }, "analysis.pageGroupDepth: must be a whole number from 1 to 10, got 11"],
      [
        { easeAnchors: { ...ANCHORS, switches: 0 } },
        "analysis.easeAnchors.switches: must be a positive number, got 0",
      ],
      [
        { easeWeights: { ...EASE_WEIGHTS, wait: -0.2 } },
        "analysis.easeWeights.wait: must be a number from 0 to 1, got -0.2",
      ],
      [
        { jobWindowDays: "7" },
        'analysis.jobWindowDays: must be a positive number of days, at most 90, got "7"',
      ],
      [{ minCellSize: null }, "analysis.minCellSize: must be a whole number of 1 or more, got null"],
    ];
    for (const [analysis, message] of cases) expect(configRefused(analysis)).toContain(`\n  ${message}`);
  });

  it("refuse inconsistent values: an anchor below its minimum, weights that do not sum to 1", () => {
    expect(configRefused({ easeAnchors: { ...ANCHORS, contacts: 1 } })).toContain(
      "analysis.easeAnchors.contacts: must be a number of at least 2 (one contact is no extra effort), got 1",
    );
    expect(configRefused({ easeWeights: { ...EASE_WEIGHTS, contacts: 0.5 } })).toContain(
      "analysis.easeWeights: the weights must sum to 1, they sum to 1.2",
    );
    expect(refused({ weights: { effectiveness: 0.5, ease: 0.5, emotion: 0.5 } })).toBe(
      "invalid analysis options: weights: the weights must sum to 1, they sum to 1.5",
    );
    expect(refused({ easeAnchors: { contacts: 4 } })).toContain(
      "easeAnchors.switches: must be a positive number, got nothing (the field is missing)",
    );
    expect(refused({ timeZone: "Mars/Olympus" })).toContain('timeZone: unknown time zone "Mars/Olympus"');
    // Every problem is named, not only the first.
    expect(configRefused({ jobWindowDays: 0, minCellSize: -1 }).split("\n")).toHaveLength(3);
  });

  it("refuse unknown names and name the valid ones", () => {
    expect(refused({ jobWindow: 7 })).toBe(
      'invalid analysis options: unknown option "jobWindow"; the options are: jobWindowDays, webWindowHours, escalationTransfers, minCellSize, minEmotionSignals, maxKeiInterval, easeAnchors, waitNorms, easeWeights, weights, pageGroupDepth, pageGroups, desiredPaths, timeZone',
    );
    expect(configRefused({ timeZone: "UTC" })).toContain(
      'analysis: unknown analysis option "timeZone"; the analysis options are: jobWindowDays,',
    );
    expect(refused({ easeAnchors: { ...ANCHORS, wait: 1 } })).toContain(
      'easeAnchors: unknown anchor "wait"; the anchors are: contacts, switches, waitSeconds, transfers',
    );
    expect(refused({ easeWeights: { ...EASE_WEIGHTS, web: 0 } })).toContain(
      'unknown ease weight "web"; the ease weights are: contacts, switches, wait, transfers, webToCall',
    );
  });

  it("take a caller's valid overrides over the defaults, and the config's alike", () => {
    const o: AnalysisOptions = analysisOptions({ jobWindowDays: 3.5, minCellSize: 1 });
    expect(o).toEqual({ ...DEFAULT_ANALYSIS_OPTIONS, jobWindowDays: 3.5, minCellSize: 1 });
    // An override given as undefined is not given.
    expect(analysisOptions({ webWindowHours: undefined }).webWindowHours).toBe(24);
    const config = parseConfig({
      timeZone: "UTC",
      analysis: {
        jobWindowDays: 5,
        weights: { effectiveness: 0.5, ease: 0.25, emotion: 0.25 },
        desiredPaths: { verhuizen: ["web", "email"] },
      },
    });
    expect(analysisOptionsFromConfig(config)).toEqual({
      ...DEFAULT_ANALYSIS_OPTIONS,
      jobWindowDays: 5,
      weights: { effectiveness: 0.5, ease: 0.25, emotion: 0.25 },
      desiredPaths: { verhuizen: ["web", "email"] },
      timeZone: "UTC",
    });
    // Options that passed once pass again (the analytics re-check what they are given).
    expect(analysisOptions(analysisOptionsFromConfig(config))).toEqual(analysisOptionsFromConfig(config));
  });
});
