import type { Command } from "commander";
import { channelSwitching } from "../../journeys/channel-switching.js";
import { discoverDfg, discoverVariants } from "../../journeys/discover-dfg.js";
import type { EventLog } from "../../journeys/event-log.js";
import { absorption, markovModel } from "../../journeys/markov-model.js";
import { EventLogError, readEventLog } from "../../journeys/read-event-log.js";
import { storedDfg, storedJourneyLog, storedVariants } from "../../journeys/stored-journeys.js";
import { webToCall } from "../../journeys/web-to-call.js";
import { writeEventLog } from "../../journeys/write-event-log.js";
import { UsageError } from "../cli-error.js";
import { type Context, type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";
import { keiOptionsFromConfig } from "./index-command.js";

interface LogOptions extends GlobalOptions {
  case?: string;
  activity?: string;
  timestamp?: string;
}

async function load(ctx: Context, log: string | undefined, opts: LogOptions): Promise<EventLog> {
  if (!log) return withStore(ctx, storedJourneyLog);
  try {
    return await readEventLog(log, {
      ...(opts.case ? { case: opts.case } : {}),
      ...(opts.activity ? { activity: opts.activity } : {}),
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    });
  } catch (e) {
    if (e instanceof EventLogError || (e as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError((e as Error).message);
    throw e;
  }
}

function logOptions(cmd: Command): Command {
  return cmd
    .option("--case <column>", "CSV column of the case id (default case_id or case:concept:name)")
    .option("--activity <column>", "CSV column of the activity (default activity or concept:name)")
    .option("--timestamp <column>", "CSV column of the timestamp (default timestamp or time:timestamp)");
}

export function journeysCommand(program: Command): void {
  const journeys = program
    .command("journeys")
    .description(
      "process mining of customer journeys: directly-follows graph and variants of an event log (XES or CSV)",
    );
  logOptions(
    journeys
      .command("dfg")
      .description(
        "directly-follows graph: how often each activity directly follows another, start and end activities",
      )
      .argument("[log]", "an event log: .xes, .xes.gz or .csv; without it, the stored customer journeys"),
  ).action(async (log: string | undefined, opts: LogOptions, cmd: Command) => {
    const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
    // The stored journeys' graph is computed in the database; a log file's in kei.
    const dfg = log ? discoverDfg(await load(ctx, log, opts)) : await withStore(ctx, storedDfg);
    if (ctx.json) {
      printJson({
        edges: dfg.edges.map(({ from, to, count }) => ({ from, to, count })),
        start: dfg.start,
        end: dfg.end,
      });
      return;
    }
    for (const e of dfg.edges)
      say(
        ctx,
        `${String(e.count).padStart(8)}  ${e.from} -> ${e.to}  (median ${e.medianSeconds.toFixed(0)} s)`,
      );
    say(ctx, `start: ${JSON.stringify(dfg.start)}`);
    say(ctx, `end:   ${JSON.stringify(dfg.end)}`);
  });
  logOptions(
    journeys
      .command("variants")
      .description("variants (each case's full sequence of activities), most frequent first")
      .argument("[log]", "an event log: .xes, .xes.gz or .csv; without it, the stored customer journeys"),
  ).action(async (log: string | undefined, opts: LogOptions, cmd: Command) => {
    const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
    // The stored journeys' variants are counted in the database; a log file's in kei.
    const variants = log
      ? discoverVariants(await load(ctx, log, opts))
      : await withStore(ctx, storedVariants);
    if (ctx.json) {
      printJson(variants);
      return;
    }
    for (const v of variants) say(ctx, `${String(v.count).padStart(8)}  ${v.variant.join(" > ")}`);
  });
  logOptions(
    journeys
      .command("export")
      .description(
        "write an event log (the stored customer journeys, or a log file) as XES or CSV for pm4py, ProM, Disco, Celonis",
      )
      .argument("[log]", "an event log to convert; without it, the stored customer journeys")
      .requiredOption("--out <file>", "the file to write: .xes or .csv"),
  ).action(async (log: string | undefined, opts: LogOptions & { out: string }, cmd: Command) => {
    const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
    if (!/\.(xes|csv)$/i.test(opts.out))
      throw new UsageError(`--out must end in .xes or .csv, got "${opts.out}"`);
    const events = await load(ctx, log, opts);
    await writeEventLog(events, opts.out);
    if (ctx.json) printJson({ file: opts.out, cases: events.cases.size });
    else say(ctx, `wrote ${events.cases.size} cases to ${opts.out}`);
  });
  journeys
    .command("web-to-call")
    .description(
      "website and app visits followed by a contact within a window: by page or reason, failing pages first",
    )
    .option("--by <what>", "page or reason", "page")
    .option("--window <hours>", "hours after a visit in which a contact counts", "24")
    .option("--min-sessions <n>", "leave out pages or reasons with fewer visits", "30")
    .action(
      async (opts: GlobalOptions & { by: string; window: string; minSessions: string }, cmd: Command) => {
        const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
        if (opts.by !== "page" && opts.by !== "reason")
          throw new UsageError(`--by must be page or reason, got "${opts.by}"`);
        const windowHours = Number(opts.window);
        const minSessions = Number(opts.minSessions);
        if (!(windowHours > 0))
          throw new UsageError(`--window must be a positive number of hours, got "${opts.window}"`);
        if (!Number.isInteger(minSessions) || minSessions < 1)
          throw new UsageError(`--min-sessions must be a whole number >= 1`);
        const result = await withStore(ctx, (store) => webToCall(store, { windowHours, minSessions }));
        const rows = opts.by === "page" ? result.byPage : result.byReason;
        if (ctx.json) {
          printJson(rows);
          return;
        }
        say(ctx, `${opts.by.padEnd(34)}  visits  with contact   share  contacts   cost EUR`);
        for (const r of rows) {
          say(
            ctx,
            `${r.key.padEnd(34)}${String(r.sessions).padStart(8)}${String(r.sessionsWithContact).padStart(14)}${(100 * r.share).toFixed(1).padStart(7)}%${String(r.contacts).padStart(10)}${r.costEur.toFixed(2).padStart(11)}`,
          );
        }
      },
    );
  logOptions(
    journeys
      .command("markov")
      .description(
        "Markov model of journeys: transition probabilities within episodes, and the chance to end up in target states",
      )
      .argument("[log]", "an event log; without it, the stored customer journeys")
      .option("--window <hours>", "a longer pause ends an episode", "24")
      .option("--target <regex>", "target states, e.g. '^phone:' (a call) or 'complaint'"),
  ).action(
    async (log: string | undefined, opts: LogOptions & { window: string; target?: string }, cmd: Command) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const windowHours = Number(opts.window);
      if (!(windowHours > 0))
        throw new UsageError(`--window must be a positive number of hours, got "${opts.window}"`);
      let target: RegExp | undefined;
      try {
        target = opts.target ? new RegExp(opts.target) : undefined;
      } catch (e) {
        throw new UsageError(`--target is not a valid regular expression: ${(e as Error).message}`);
      }
      const model = markovModel(await load(ctx, log, opts), windowHours);
      const absorbed = target ? absorption(model, (s) => (target as RegExp).test(s)) : undefined;
      if (ctx.json) {
        printJson({
          states: model.states,
          transitions: model.transitions,
          ...(absorbed ? { absorption: absorbed } : {}),
        });
        return;
      }
      if (absorbed) {
        say(ctx, `state                                   P(reaches ${opts.target})   expected steps`);
        for (const a of absorbed.sort((x, y) => y.probability - x.probability)) {
          say(
            ctx,
            `${a.state.padEnd(40)}${a.probability.toFixed(3).padStart(18)}${a.expectedSteps.toFixed(2).padStart(17)}`,
          );
        }
        return;
      }
      for (const t of model.transitions)
        say(ctx, `${t.from.padEnd(36)} -> ${t.to.padEnd(36)} ${t.probability.toFixed(3)} (${t.count})`);
    },
  );
  journeys
    .command("switching")
    .description(
      "per contact reason: channel switches per job, ping-pong, rework loops and time to resolution",
    )
    .action(async (opts: GlobalOptions, cmd: Command) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const rows = await withStore(ctx, (store) => channelSwitching(store, keiOptionsFromConfig(ctx.config)));
      if (ctx.json) {
        printJson(rows);
        return;
      }
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(9);
      say(
        ctx,
        `${"reason".padEnd(26)}${"jobs".padStart(7)}  switches/job  switched  ping-pong   rework  median h to resolution`,
      );
      for (const r of rows) {
        say(
          ctx,
          `${r.reason.padEnd(26)}${String(r.jobs).padStart(7)}${r.switchesPerJob.toFixed(2).padStart(14)}${pct(r.withSwitch)}${pct(r.pingPong)}${pct(r.rework)}${(r.medianHoursToResolution === null ? "–" : r.medianHoursToResolution.toFixed(1)).padStart(24)}`,
        );
      }
    });
}
