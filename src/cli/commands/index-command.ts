import type { Command } from "commander";
import type { KeiConfig } from "../../config/config.js";
import {
  checkDimensions,
  KEI_DIMENSIONS,
  type KeiCell,
  type KeiDimension,
  keiIndex,
} from "../../kei/kei-index.js";
import type { KeiOptions } from "../../kei/kei-options.js";
import { UsageError } from "../cli-error.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

interface IndexOptions extends GlobalOptions {
  by: string;
  from?: string;
  to?: string;
  where: string[];
}

export function keiOptionsFromConfig(config: KeiConfig): Partial<KeiOptions> {
  const a = config.analysis;
  return {
    jobWindowDays: a.jobWindowDays,
    webWindowHours: a.webWindowHours,
    escalationTransfers: a.escalationTransfers,
    minCellSize: a.minCellSize,
    timeZone: config.timeZone,
  };
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
  const header = [...by, "jobs", "effectiveness", "ease", "emotion", "KEI"];
  const rows = cells.map((c) => [
    ...by.map((b) => c.key[b as KeiDimension] ?? ""),
    String(c.jobs),
    ...(c.suppressed
      ? ["(fewer jobs than the minimum)", "", "", ""]
      : [fmt(c.effectiveness), fmt(c.ease), fmt(c.emotion), fmt(c.kei)]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r.map((v, i) => (i < by.length ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ");
  say(ctx, line(header));
  for (const r of rows) say(ctx, line(r));
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
      let by: KeiDimension[];
      let where: Partial<Record<KeiDimension, string>>;
      try {
        by = checkDimensions(
          opts.by
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        );
        where = parseWhere(opts.where);
        for (const d of [opts.from, opts.to]) {
          if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
            throw new Error(`bad date "${d}" (expected YYYY-MM-DD)`);
        }
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const cells = await withStore(ctx, (store) =>
        keiIndex(store, {
          by,
          where,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          options: keiOptionsFromConfig(ctx.config),
        }),
      );
      if (ctx.json) {
        printJson(
          cells.map((c) => ({
            key: c.key,
            jobs: c.jobs,
            effectiveness: c.effectiveness,
            ease: c.ease,
            emotion: c.emotion,
            kei: c.kei,
            effectiveness_ci: c.effectivenessInterval,
            agent_resolved: c.agentResolved,
            emotion_coverage: c.emotionCoverage,
            suppressed: c.suppressed,
          })),
        );
      } else printCells(ctx, by, cells);
    });
}
