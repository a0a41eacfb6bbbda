/**
 * The figures docs/methodology.md quotes from `kei index` and `kei calibrate` on the demo organisation: the
 * parts' rank agreement with the planted truth, the reasons' KEI and rank intervals, Ease and Effectiveness by
 * first channel, month-to-month changes and the mix, the censored months, and the Ease calibration. Each is
 * named as its marker in the text (`<!--fig:spearman.effectiveness-->`) and written as the text writes it.
 */
import type { Truth } from "../generate/truth.js";
import { calibrateEase } from "../kei/calibrate-ease.js";
import { keiChange, previousPeriod } from "../kei/kei-change.js";
import { keiIndex } from "../kei/kei-index.js";
import { mixExplained } from "../kei/mix-explained.js";
import { keiStandardised } from "../kei/mix-standardised.js";
import { rankCertainty } from "../kei/rank-certainty.js";
import { jobsRelation } from "../model/jobs-table.js";
import { analysisOptions, type EaseWeights } from "../options/analysis-options.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { count, fixed, percent, range, signed, spearman } from "./figure-format.js";

export type Figure = readonly [name: string, value: string];

/** The first channels whose Ease the text quotes. */
export const QUOTED_CHANNELS = ["email", "webform", "social", "app", "phone", "chat", "store"] as const;
/** The reasons whose rank interval the text quotes. */
const RANKED_REASONS = ["betalingsregeling", "verhuizen", "storing", "meterstand_doorgeven"] as const;
/** Ease's effort components in one word each, as the text names them. */
const COMPONENT_WORDS: Record<keyof EaseWeights, string> = {
  contacts: "contacts",
  switches: "switches",
  wait: "waiting",
  transfers: "transfers",
  webToCall: "web-to-call",
};

export async function keiFigures(store: Store, truth: Truth): Promise<Figure[]> {
  const figures: Figure[] = [
    ["agentResolved.whenRepeat", percent(truth.agent_resolved_gap.resolved_flag_when_repeat_followed, 0)],
  ];
  const cells = await keiIndex(store, { by: ["reason"] });
  const reasons = cells.map((c) => c.key.reason as string);
  const planted = (f: "fcr" | "ease" | "emotion") => reasons.map((r) => truth.reasons[r]?.[f] as number);
  const part = (f: "effectiveness" | "ease" | "emotion") => cells.map((c) => c[f] as number);
  // Ease without its web-to-call component: the failing online flows are planted apart from the planted ease.
  const o = analysisOptions();
  const effort = await store.query<{ reason: string; effort: number }>(
    sql`SELECT reason, avg(ease + ${100 * o.easeWeights.webToCall} * c_web) AS effort
      FROM ${await jobsRelation(store, o)} AS j GROUP BY reason`,
  );
  const effortOf = new Map(effort.map((r) => [r.reason, Number(r.effort)]));
  figures.push(
    ["spearman.effectiveness", fixed(spearman(part("effectiveness"), planted("fcr")), 2)],
    [
      "spearman.easeEffort",
      fixed(
        spearman(
          reasons.map((r) => effortOf.get(r) as number),
          planted("ease"),
        ),
        2,
      ),
    ],
    ["spearman.ease", fixed(spearman(part("ease"), planted("ease")), 2)],
    ["spearman.emotion", fixed(spearman(part("emotion"), planted("emotion")), 2)],
  );

  const byKei = cells.filter((c) => c.kei !== null).sort((a, b) => (a.kei as number) - (b.kei as number));
  const lowest = byKei[0];
  const highest = byKei[byKei.length - 1];
  if (!lowest || !highest) throw new Error("no reason has a KEI");
  figures.push(
    ["kei.lowest.reason", lowest.key.reason as string],
    ["kei.lowest", fixed(lowest.kei, 0)],
    ["kei.highest.reason", highest.key.reason as string],
    ["kei.highest", fixed(highest.kei, 0)],
  );
  const ranks = rankCertainty(cells);
  for (const reason of RANKED_REASONS) {
    const r = ranks.find((x) => x.key.reason === reason);
    figures.push([`rank.${reason}`, range(r?.rankInterval, 0, `the rank of ${reason}`)]);
  }

  const byChannel = await keiIndex(store, { by: ["channel"] });
  for (const channel of QUOTED_CHANNELS) {
    const c = byChannel.find((x) => x.key.channel === channel);
    figures.push([`ease.byChannel.${channel}`, fixed(c?.ease, 1, `Ease of ${channel}`)]);
  }
  const effectiveness = byChannel.map((c) => c.effectiveness).filter((e): e is number => e !== null);
  figures.push([
    "effectiveness.byChannel.range",
    range([Math.min(...effectiveness), Math.max(...effectiveness)], 0, "Effectiveness by channel"),
  ]);

  const calibration = await calibrateEase(store);
  const calibrated = calibration.calibrated;
  if (!calibrated) throw new Error("kei calibrate found too few CES answers");
  const heaviest = (Object.keys(COMPONENT_WORDS) as (keyof EaseWeights)[]).reduce((a, b) =>
    calibrated[b] > calibrated[a] ? b : a,
  );
  figures.push(
    ["calibrate.current", fixed(calibration.correlationCurrent, 2)],
    ["calibrate.calibrated", fixed(calibration.correlationCalibrated, 2)],
    ["calibrate.heaviest", COMPONENT_WORDS[heaviest]],
    ...(Object.keys(COMPONENT_WORDS) as (keyof EaseWeights)[]).map(
      (k): Figure => [`calibrate.weight.${k}`, fixed(calibrated[k], 2)],
    ),
  );
  return [...figures, ...(await monthFigures(store))];
}

/** By month: changes from the previous month, how much the reason mix explains, and the censored months. */
async function monthFigures(store: Store): Promise<Figure[]> {
  const { cells, changes } = await keiChange(store, { by: ["month"] });
  const compared = changes.filter((c) => c.status === "compared" && c.kei !== null);
  const kei = compared.map((c) => c.kei as NonNullable<typeof c.kei>);
  const widths = kei.map((d) => (d.interval ? (d.interval[1] - d.interval[0]) / 2 : Number.NaN));
  const figures: Figure[] = [
    ["change.compared", count(compared.length)],
    ["change.min", signed(Math.min(...kei.map((d) => d.change)), 1)],
    ["change.max", signed(Math.max(...kei.map((d) => d.change)), 1)],
    ["change.halfWidth", fixed(widths.reduce((s, w) => s + w, 0) / widths.length, 0, "the change intervals")],
  ];
  for (const c of compared) {
    if (c.kei?.verdict === "up" || c.kei?.verdict === "down") {
      figures.push([`change.clear.${(c.key.month as string).slice(0, 7)}`, signed(c.kei.change, 1)]);
    }
  }
  const standardised = await keiStandardised(store, { by: ["month"] });
  const mix = mixExplained("month", cells, standardised.rows, standardised.cells, (p) =>
    previousPeriod("month", p),
  );
  figures.push(
    ["mix.changes", count(mix.changes)],
    ["mix.raw", percent(mix.raw, 0)],
    ["mix.standardised", percent(mix.standardised, 0)],
  );

  // Effectiveness per month had the censored jobs counted as judged (before censoring was a rule).
  const o = analysisOptions();
  const all = await store.query<{ month: unknown; effective: number }>(
    sql`SELECT first_month AS month, 100.0 * avg(effective) AS effective
      FROM ${await jobsRelation(store, o)} AS j GROUP BY first_month`,
  );
  const allOf = new Map(all.map((r) => [String(r.month).slice(0, 10), Number(r.effective)]));
  figures.push(["censoring.wholeMonths", count(cells.filter((c) => !c.partial).length)]);
  for (const c of cells.filter((x) => x.partial)) {
    const month = c.key.month as string;
    const name = `censoring.${month.slice(0, 7)}`;
    figures.push([`${name}.jobs`, count(c.jobs)], [`${name}.censored`, count(c.censoredJobs)]);
    if (c.effectiveness !== null) {
      figures.push(
        [`${name}.effectiveness`, fixed(c.effectiveness, 1)],
        [`${name}.effectivenessAll`, fixed(allOf.get(month), 1, `Effectiveness of ${month}`)],
      );
    }
  }
  return figures;
}

/**
 * Ease by first channel had one 30-minute anchor judged every channel's wait (as until 25 November 2026): every
 * `waitNorms` 1800 seconds. Runs with other settings, so the store rebuilds its jobs for them: call it last.
 */
export async function oneAnchorFigures(store: Store): Promise<Figure[]> {
  const waitNorms = Object.fromEntries(Object.keys(analysisOptions().waitNorms).map((c) => [c, 1800]));
  const cells = await keiIndex(store, { by: ["channel"], options: { waitNorms } });
  return QUOTED_CHANNELS.map((channel): Figure => {
    const c = cells.find((x) => x.key.channel === channel);
    return [`ease.oneAnchor.${channel}`, fixed(c?.ease, 1, `Ease of ${channel} with one anchor`)];
  });
}
