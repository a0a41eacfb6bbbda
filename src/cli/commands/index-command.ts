import type { Command } from "commander";
import {
  checkDimensions,
  type Difference,
  fitWeights,
  KEI_DIMENSIONS,
  type KeiCell,
  type KeiChange,
  type KeiDimension,
  keiChange,
  keiIndex,
  keiStandardised,
  type MixExplained,
  mixExplained,
  previousPeriod,
  type RankedCell,
  rankCertainty,
  type StandardisedCell,
  standardisedChanges,
  timeDimension,
} from "../../kei/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { UsageError } from "../cli-error.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";
import { parseCuts } from "../parse-cuts.js";

interface IndexOptions extends GlobalOptions {
  by: string;
  from?: string;
  to?: string;
  where: string[];
  weights: string;
  compare?: string;
}

/** What a run found beside the cells: changes, the standardised trend, the ranks (each only where it applies). */
interface IndexExtras {
  changes?: KeiChange[];
  standardised?: StandardisedCell[];
  /** The standardised KEI's change from the previous period, by row key. */
  standardisedChanges?: Map<string, Difference | null>;
  explained?: MixExplained;
  ranks?: RankedCell[];
}

const keyId = (k: Partial<Record<KeiDimension, string>>) => JSON.stringify(Object.entries(k).sort());

function parseWhere(items: string[]): Partial<Record<KeiDimension, string>> {
  const where: Partial<Record<KeiDimension, string>> = {};
  for (const item of items) {
    const at = item.indexOf("=");
    if (at <= 0) throw new UsageError(`--where takes DIM=VALUE, got "${item}"`);
    const [dim] = checkDimensions([item.slice(0, at)]);
    where[dim as KeiDimension] = item.slice(at + 1);
  }
  return where;
}

const fmt = (v: number | null) => (v === null ? "–" : v.toFixed(1));

const signed = (v: number) => `${v > 0 ? "+" : v < 0 ? "-" : ""}${Math.abs(v).toFixed(1)}`;
const interval = (i: readonly [number, number] | null) => (i ? `${fmt(i[0])}-${fmt(i[1])}` : "–");
/** A figure with its 95% interval: "71.9 (71.5-72.3)". */
const withInterval = (v: number | null, i: readonly [number, number] | null) =>
  v === null ? "–" : i ? `${fmt(v)} (${fmt(i[0])}-${fmt(i[1])})` : fmt(v);

const changeText = (c: KeiChange | undefined, d: Difference | null | undefined) => {
  if (!c) return ["", "", ""];
  if (c.status !== "compared") return [`(${c.status})`, "", ""];
  if (!d) return ["–", "", ""];
  return [
    signed(d.change),
    d.interval ? `${signed(d.interval[0])} to ${signed(d.interval[1])}` : "–",
    d.verdict ?? "",
  ];
};

function printCells(ctx: { json: boolean }, by: readonly string[], cells: KeiCell[], x: IndexExtras): void {
  const std = new Map((x.standardised ?? []).map((s) => [keyId(s.key), s]));
  const changes = new Map((x.changes ?? []).map((c) => [keyId(c.key), c]));
  const ranks = new Map((x.ranks ?? []).map((r) => [keyId(r.key), r]));
  const trend = x.standardised !== undefined;
  const header = [
    ...by,
    "jobs",
    "censored",
    "effectiveness (95%)",
    "ease (95%)",
    "emotion (95%)",
    "cover",
    "complaints",
    "survey",
    ...(trend ? ["KEI std", "raw KEI", "raw 95% interval", "mix"] : ["KEI", "KEI 95% interval"]),
    ...(x.changes ? ["KEI change", "95% interval", "verdict"] : []),
    ...(trend && x.changes ? ["std change"] : []),
    ...(x.ranks ? ["rank", "rank 95%"] : []),
  ];
  const rows = cells.map((c) => {
    const s = std.get(keyId(c.key));
    const ch = changes.get(keyId(c.key));
    const r = ranks.get(keyId(c.key));
    const sd = x.standardisedChanges?.get(keyId(c.key));
    const stdChange =
      ch?.status === "compared" && sd
        ? `${signed(sd.change)}${sd.interval ? ` (${signed(sd.interval[0])} to ${signed(sd.interval[1])}) ${sd.verdict}` : ""}`
        : "";
    const figures = c.suppressed
      ? [
          c.suppressedBecause === "precision" ? "(interval too wide)" : "(fewer jobs than the minimum)",
          "",
          "",
          `${Math.round(100 * c.emotionCoverage)}%`,
          "",
          "",
        ]
      : [
          withInterval(c.effectiveness, c.effectivenessInterval),
          withInterval(c.ease, c.easeInterval),
          withInterval(c.emotion, c.emotionInterval),
          `${Math.round(100 * c.emotionCoverage)}%`,
          c.complaintShare === null ? "–" : `${c.complaintShare.toFixed(1)}%`,
          fmt(c.emotionFeedback),
        ];
    const kei = c.suppressed ? ["", ""] : [fmt(c.kei), interval(c.keiInterval)];
    return [
      // A partial period is marked where its name is: "2025-03 *".
      ...by.map((b, i) => `${c.key[b as KeiDimension] ?? ""}${i === 0 && c.partial ? " *" : ""}`),
      String(c.jobs),
      String(c.censoredJobs),
      ...figures,
      ...(trend
        ? [c.suppressed ? "" : fmt(s?.kei ?? null), ...kei, s ? `${Math.round(100 * s.mixCoverage)}%` : ""]
        : kei),
      ...(x.changes ? changeText(ch, ch?.kei) : []),
      ...(trend && x.changes ? [stdChange] : []),
      ...(x.ranks
        ? [r?.rank ? String(r.rank) : "–", r?.rankInterval ? `${r.rankInterval[0]}-${r.rankInterval[1]}` : ""]
        : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r.map((v, i) => (i < by.length ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ");
  say(ctx, line(header));
  for (const r of rows) say(ctx, line(r));
  if (cells.some((c) => c.partial)) {
    say(
      ctx,
      "* partial period: the data does not cover it with a job window to spare on both sides, so some of its jobs cannot show a repeat contact yet (censored) and its figures are not comparable with whole periods.",
    );
  }
  say(
    ctx,
    "cover: the share of jobs with an Emotion signal; complaints: the share of jobs with a complaint; survey: Emotion from survey scores and texts alone (complaints left out).",
  );
  if (cells.some((c) => !c.suppressed && c.emotion === null)) {
    say(
      ctx,
      "Emotion is blank (–) where under 1% of jobs have a signal or fewer than minEmotionSignals (default 10) do; the KEI there uses Effectiveness and Ease.",
    );
  }
  if (cells.some((c) => c.suppressed)) {
    say(
      ctx,
      "A withheld row has fewer jobs than minCellSize (default 30) or a KEI interval wider than maxKeiInterval (default 20 points).",
    );
  }
  const mix = x.standardised?.[0]?.mix;
  if (trend && mix) {
    const groups = new Set((x.standardised ?? []).map((s) => JSON.stringify(s.mix))).size;
    say(
      ctx,
      `KEI std: the KEI with a fixed reason mix, each reason weighted by its share of the range's jobs${groups > 1 ? " (per value of the other dimensions; --json gives each)" : ""}: ${mix.map((m) => `${m.reason} ${(100 * m.weight).toFixed(1)}%`).join(", ")}. "mix" is the share of that mix shown in the period (suppressed reasons leave theirs out and the rest is scaled up). The parts beside it are raw.`,
    );
  }
  if (x.explained && x.explained.raw !== null && x.explained.standardised !== null) {
    const e = x.explained;
    say(
      ctx,
      `The reason mix explains ${Math.round(100 * (e.raw as number))}% of the raw KEI's ${e.changes} period-to-period changes, ${Math.round(100 * (e.standardised as number))}% of the standardised KEI's (R², see docs/methodology.md).`,
    );
  }
  if (x.changes) {
    say(
      ctx,
      "KEI change: from the previous period, with a 95% interval that counts the customers in both periods; no clear change when it holds 0. std change: the change of KEI std, with its 95% interval (customers shared across periods and reasons counted) and verdict.",
    );
  }
  if (x.ranks) {
    say(
      ctx,
      "rank: 1 is the lowest KEI; rank 95%: the ranks the cell could hold given its interval (10,000 seeded draws, cells taken as independent).",
    );
  }
}

const pair = (d: Difference | null | undefined, name: string) => ({
  [`${name}_change`]: d ? d.change : null,
  [`${name}_change_ci`]: d ? d.interval : null,
  [`${name}_change_verdict`]: d ? d.verdict : null,
});

export function indexCommand(program: Command): void {
  program
    .command("index")
    .description("the KEI and its parts Effectiveness, Ease and Emotion, measured from behaviour, by any cut")
    .option("--by <dims>", `comma-separated: ${KEI_DIMENSIONS.join(", ")}`, "reason")
    .option("--from <date>", "first day (YYYY-MM-DD) of jobs' first contact, in the configured time zone")
    .option("--to <date>", "last day (YYYY-MM-DD)")
    .option(
      "--weights <how>",
      "equal (default) or fitted: weights that best explain churn, see kei validate",
      "equal",
    )
    .option(
      "--compare <what>",
      "previous: each row's change from the previous month or quarter (of the same other keys), with a 95% interval",
    )
    .option(
      "--where <dim=value>",
      "keep only this value of a dimension (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addHelpText(
      "after",
      "\nExamples:\n  kei index --by month,reason\n  kei index --by month --compare previous\n  kei index --by channel --where segment=zakelijk --from 2025-01-01 --json\n\nFormulas and defaults: docs/methodology.md.",
    )
    .action(async (opts: IndexOptions) => {
      const ctx = await loadContext(opts);
      const by = parseCuts(opts);
      const where = parseWhere(opts.where);
      if (opts.weights !== "equal" && opts.weights !== "fitted") {
        throw new UsageError(`--weights must be equal or fitted, got "${opts.weights}"`);
      }
      if (opts.compare !== undefined && opts.compare !== "previous") {
        throw new UsageError(`--compare must be previous, got "${opts.compare}"`);
      }
      const times = by.filter((b) => b === "month" || b === "quarter");
      if (opts.compare !== undefined) timeDimension(by);
      // A time cut without reason is a trend: it gets the mix-standardised KEI beside the raw one.
      const trend = times.length === 1 && !by.includes("reason");
      const { cells, extras } = await withStore(ctx, async (store) => {
        let options = analysisOptionsFromConfig(ctx.config);
        if (opts.weights === "fitted") {
          const w = await fitWeights(store, options);
          if (!w)
            throw new UsageError(
              "too few jobs with feedback and follow-up to fit weights; use --weights equal",
            );
          process.stderr.write(
            `fitted weights: effectiveness ${w.effectiveness.toFixed(3)}, ease ${w.ease.toFixed(3)}, emotion ${w.emotion.toFixed(3)} (${w.n} jobs)\n`,
          );
          options = {
            ...options,
            weights: { effectiveness: w.effectiveness, ease: w.ease, emotion: w.emotion },
          };
        }
        const q = {
          by,
          where,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          options,
        };
        const extras: IndexExtras = {};
        let cells: KeiCell[];
        if (opts.compare === "previous") {
          const r = await keiChange(store, q);
          cells = r.cells;
          extras.changes = r.changes;
        } else cells = await keiIndex(store, q);
        if (trend) {
          const time = timeDimension(by);
          const s = await keiStandardised(store, q);
          extras.standardised = s.rows;
          extras.explained = mixExplained(time, cells, s.rows, s.cells, (p) => previousPeriod(time, p));
          if (opts.compare === "previous") {
            const sc = await standardisedChanges(store, q, s.rows, s.cells);
            extras.standardisedChanges = new Map(sc.map((r) => [keyId(r.key), r.change]));
          }
        }
        if (by.length === 1 && times.length === 0) extras.ranks = rankCertainty(cells);
        return { cells, extras };
      });
      const std = new Map((extras.standardised ?? []).map((r) => [keyId(r.key), r]));
      const changes = new Map((extras.changes ?? []).map((r) => [keyId(r.key), r]));
      const ranks = new Map((extras.ranks ?? []).map((r) => [keyId(r.key), r]));
      if (ctx.json) {
        printJson(
          cells.map((c) => {
            const s = std.get(keyId(c.key));
            const ch = changes.get(keyId(c.key));
            const r = ranks.get(keyId(c.key));
            const sd = extras.standardisedChanges?.get(keyId(c.key));
            return {
              key: c.key,
              jobs: c.jobs,
              effectiveness: c.effectiveness,
              ease: c.ease,
              emotion: c.emotion,
              kei: c.kei,
              kei_ci: c.keiInterval,
              effectiveness_ci: c.effectivenessInterval,
              ease_ci: c.easeInterval,
              emotion_ci: c.emotionInterval,
              agent_resolved: c.agentResolved,
              emotion_coverage: c.emotionCoverage,
              complaint_share: c.complaintShare,
              emotion_feedback: c.emotionFeedback,
              suppressed: c.suppressed,
              suppressed_because: c.suppressedBecause,
              partial: c.partial,
              censored_jobs: c.censoredJobs,
              ...(s
                ? {
                    kei_standardised: s.kei,
                    effectiveness_standardised: s.effectiveness,
                    ease_standardised: s.ease,
                    emotion_standardised: s.emotion,
                    mix_coverage: s.mixCoverage,
                    standard_mix: Object.fromEntries(s.mix.map((m) => [m.reason, m.weight])),
                  }
                : {}),
              ...(ch
                ? {
                    previous: ch.previous,
                    change_status: ch.status,
                    shared_customers: ch.sharedCustomers,
                    ...pair(ch.kei, "kei"),
                    ...pair(ch.effectiveness, "effectiveness"),
                    ...pair(ch.ease, "ease"),
                    ...pair(ch.emotion, "emotion"),
                    ...(trend
                      ? {
                          kei_standardised_change: ch.status === "compared" && sd ? sd.change : null,
                          kei_standardised_change_ci: ch.status === "compared" && sd ? sd.interval : null,
                          kei_standardised_change_verdict: ch.status === "compared" && sd ? sd.verdict : null,
                        }
                      : {}),
                  }
                : {}),
              ...(r ? { rank: r.rank, rank_ci: r.rankInterval } : {}),
            };
          }),
        );
      } else printCells(ctx, by, cells, extras);
    });
}
