import type { Command } from "commander";
import {
  checkDimensions,
  fitWeights,
  KEI_DIMENSIONS,
  type KeiCell,
  type KeiDimension,
  keiIndex,
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
}

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

function printCells(ctx: { json: boolean }, by: readonly string[], cells: KeiCell[]): void {
  const header = [...by, "jobs", "censored", "effectiveness", "ease", "emotion", "KEI", "KEI 95% interval"];
  const rows = cells.map((c) => [
    // A partial period is marked where its name is: "2025-03 *".
    ...by.map((b, i) => `${c.key[b as KeiDimension] ?? ""}${i === 0 && c.partial ? " *" : ""}`),
    String(c.jobs),
    String(c.censoredJobs),
    ...(c.suppressed
      ? [
          c.suppressedBecause === "precision" ? "(interval too wide)" : "(fewer jobs than the minimum)",
          "",
          "",
          "",
          "",
        ]
      : [
          fmt(c.effectiveness),
          fmt(c.ease),
          fmt(c.emotion),
          fmt(c.kei),
          c.keiInterval ? `${fmt(c.keiInterval[0])}-${fmt(c.keiInterval[1])}` : "–",
        ]),
  ]);
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
  if (cells.some((c) => !c.suppressed && c.emotion === null)) {
    say(
      ctx,
      "Emotion is blank where under 1% of jobs have a feedback signal; the KEI there uses Effectiveness and Ease.",
    );
  }
}

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
      "--where <dim=value>",
      "keep only this value of a dimension (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addHelpText(
      "after",
      "\nExamples:\n  kei index --by month,reason\n  kei index --by channel --where segment=zakelijk --from 2025-01-01 --json\n\nFormulas and defaults: docs/methodology.md.",
    )
    .action(async (opts: IndexOptions) => {
      const ctx = await loadContext(opts);
      const by = parseCuts(opts);
      const where = parseWhere(opts.where);
      if (opts.weights !== "equal" && opts.weights !== "fitted") {
        throw new UsageError(`--weights must be equal or fitted, got "${opts.weights}"`);
      }
      const cells = await withStore(ctx, async (store) => {
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
        return keiIndex(store, {
          by,
          where,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          options,
        });
      });
      if (ctx.json) {
        printJson(
          cells.map((c) => ({
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
            suppressed: c.suppressed,
            partial: c.partial,
            censored_jobs: c.censoredJobs,
          })),
        );
      } else printCells(ctx, by, cells);
    });
}
