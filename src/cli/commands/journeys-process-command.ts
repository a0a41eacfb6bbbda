/** `kei journeys web-to-call | switching | conformance`: where journeys leave the path the organisation wants. */
import type { Command } from "commander";
import {
  channelSwitching,
  type DesiredPath,
  storedConformance,
  type WebToCallRow,
  webToCall,
} from "../../journeys/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { UsageError } from "../cli-error.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function journeysProcessCommands(journeys: Command): void {
  journeys
    .command("web-to-call")
    .description(
      "visits to a reason's pages followed by a contact on that reason, against comparable customers without a visit: by page, page group or reason, with the avoidable contacts and cost",
    )
    .option("--by <what>", "page (a visit's entry page), group (its page group) or reason", "page")
    .option("--window <hours>", "hours after a visit in which a contact on its reason counts", "24")
    .option("--min-sessions <n>", "leave out pages, groups or reasons with fewer visits", "30")
    .action(
      async (opts: GlobalOptions & { by: string; window: string; minSessions: string }, cmd: Command) => {
        const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
        if (opts.by !== "page" && opts.by !== "group" && opts.by !== "reason")
          throw new UsageError(`--by must be page, group or reason, got "${opts.by}"`);
        const windowHours = Number(opts.window);
        const minSessions = Number(opts.minSessions);
        if (!(windowHours > 0))
          throw new UsageError(`--window must be a positive number of hours, got "${opts.window}"`);
        if (!Number.isInteger(minSessions) || minSessions < 1)
          throw new UsageError(`--min-sessions must be a whole number >= 1`);
        const result = await withStore(ctx, (store) =>
          webToCall(store, { windowHours, minSessions, options: analysisOptionsFromConfig(ctx.config) }),
        );
        const rows =
          opts.by === "page" ? result.byPage : opts.by === "group" ? result.byGroup : result.byReason;
        if (ctx.json) {
          printJson({ by: opts.by, windowHours, total: result.total, rows });
          return;
        }
        say(
          ctx,
          `Visits followed by a contact on their reason within ${windowHours} h, against the baseline: comparable customers (same reason, segment and month, no visit) in a window as long at a random moment.`,
        );
        const interval = (r: WebToCallRow) =>
          r.excessRateCi ? `[${pct(r.excessRateCi[0])}, ${pct(r.excessRateCi[1])}]` : "";
        const line = (key: string, r: WebToCallRow) =>
          `${key.padEnd(30)}${String(r.sessions).padStart(8)}${String(r.sessionsWithContact).padStart(9)}${pct(r.share).padStart(8)}${pct(r.baselineRate).padStart(9)}${pct(r.excessRate).padStart(8)} ${interval(r).padEnd(17)}${r.avoidableContacts.toFixed(1).padStart(10)}${r.avoidableCostEur.toFixed(2).padStart(13)}`;
        say(
          ctx,
          `${opts.by.padEnd(30)}  visits followed   share baseline  excess 95% interval    avoidable avoidable EUR`,
        );
        for (const r of rows) say(ctx, line(r.key, r));
        say(ctx, line("all visits", result.total));
        if (rows.length === 0) say(ctx, `no ${opts.by} with ${minSessions} visits or more`);
      },
    );
  journeys
    .command("switching")
    .description(
      "per contact reason: channel switches per job, ping-pong, rework loops and time to resolution",
    )
    .action(async (opts: GlobalOptions, cmd: Command) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const rows = await withStore(ctx, (store) =>
        channelSwitching(store, analysisOptionsFromConfig(ctx.config)),
      );
      if (ctx.json) {
        printJson(rows);
        return;
      }
      say(
        ctx,
        `${"reason".padEnd(26)}${"jobs".padStart(7)}  switches/job  switched  ping-pong   rework  median h to resolution`,
      );
      for (const r of rows) {
        say(
          ctx,
          `${r.reason.padEnd(26)}${String(r.jobs).padStart(7)}${r.switchesPerJob.toFixed(2).padStart(14)}${pct(r.withSwitch).padStart(9)}${pct(r.pingPong).padStart(9)}${pct(r.rework).padStart(9)}${(r.medianHoursToResolution === null ? "–" : r.medianHoursToResolution.toFixed(1)).padStart(24)}`,
        );
      }
    });
  journeys
    .command("conformance")
    .description(
      "per contact reason: the share of jobs that follow the desired path (analysis.desiredPaths), and how the others deviate",
    )
    .option("--reason <code>", "only this reason (with --path: the reason the path is for)")
    .option(
      "--path <steps>",
      "the desired path, e.g. 'visit:web,phone', or accepted alternatives 'visit:app|visit:web' (a bare channel is a contact on the reason, visit:web or visit:app a visit to its pages)",
    )
    .option("--top <n>", "deviating sequences to show per reason", "5")
    .action(async (opts: GlobalOptions & { reason?: string; path?: string; top: string }, cmd: Command) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const top = Number(opts.top);
      if (!(Number.isInteger(top) && top >= 0))
        throw new UsageError(`--top must be a whole number, got "${opts.top}"`);
      const options = analysisOptionsFromConfig(ctx.config);
      let desired: Record<string, DesiredPath> = { ...options.desiredPaths };
      if (opts.path !== undefined) {
        if (!opts.reason) throw new UsageError("--path needs --reason: the reason the path is for");
        const paths = opts.path.split("|").map((p) =>
          p
            .split(/[,>]/)
            .map((s) => s.trim())
            .filter((s) => s !== ""),
        );
        if (paths.some((p) => p.length === 0)) throw new UsageError(`--path names no steps: "${opts.path}"`);
        desired = { [opts.reason]: paths };
      } else if (opts.reason !== undefined) {
        const path = desired[opts.reason];
        if (!path)
          throw new UsageError(
            `no desired path for reason "${opts.reason}" in analysis.desiredPaths; pass --path`,
          );
        desired = { [opts.reason]: path };
      }
      if (Object.keys(desired).length === 0)
        throw new UsageError(
          "no desired paths: set analysis.desiredPaths in kei.config.json, or pass --reason R --path STEPS",
        );
      const rows = await withStore(ctx, (store) => storedConformance(store, desired, { top, options }));
      if (ctx.json) {
        printJson(rows);
        return;
      }
      for (const r of rows) {
        say(ctx, `${r.reason}: desired ${r.paths.map((p) => p.join(" > ")).join("  or  ")}`);
        say(
          ctx,
          r.share === null
            ? "  no jobs or self-service visits on this reason in the store"
            : `  ${r.cases} cases: ${r.jobs} jobs (as kei index counts them) and ${r.selfService} self-service episodes (visits without a contact); ${pct(r.share)} follow it (${r.following}); ${r.withDetours} take every step with detours`,
        );
        for (const dv of r.deviations.slice(0, top))
          say(ctx, `  ${pct(dv.share).padStart(7)}  ${dv.kind.padEnd(8)} ${dv.step}`);
        for (const v of r.variants) say(ctx, `  ${String(v.count).padStart(7)}  ${v.variant.join(" > ")}`);
      }
    });
}
