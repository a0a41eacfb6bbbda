import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  absorption,
  dfgToDot,
  discoverDfg,
  discoverVariants,
  filterPaths,
  type MarkovModel,
  markovModel,
  nextSteps,
  stateActivity,
  storedDfg,
  storedMarkov,
  storedVariants,
  writeEventLog,
} from "../../journeys/index.js";
import { UsageError } from "../cli-error.js";
import { loadContext, printJson, say, withStore } from "../context.js";
import { journeyOptions, type LogOptions, loadLog, logOptions, parseShare } from "./journeys-options.js";
import { journeysProcessCommands } from "./journeys-process-command.js";

/** Seconds as the unit people read: 45 s, 12 min, 5.2 h, 3.1 d. */
function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

const LOG_ARGUMENT = "an event log: .xes, .xes.gz or .csv; without it, the stored customer journeys";

export function journeysCommand(program: Command): void {
  const journeys = program
    .command("journeys")
    .description(
      "process mining of customer journeys: paths, variants, Markov model, web-to-call, switching, conformance",
    );
  logOptions(
    journeys
      .command("dfg")
      .description(
        "directly-follows graph: how often each activity directly follows another, start and end activities",
      )
      .argument("[log]", LOG_ARGUMENT)
      .option("--paths <share>", "show only the most frequent paths holding this share of transitions")
      .option("--dot <file>", "also write the graph as Graphviz DOT, to draw it (dot -Tsvg FILE > dfg.svg)"),
  ).action(
    async (log: string | undefined, opts: LogOptions & { paths?: string; dot?: string }, cmd: Command) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const o = journeyOptions(ctx, log, opts);
      const paths = parseShare("--paths", opts.paths);
      // The stored journeys' graph is computed in the database; a log file's in kei.
      let dfg = log
        ? discoverDfg(await loadLog(ctx, log, opts))
        : await withStore(ctx, (s) => storedDfg(s, o));
      if (paths !== undefined) dfg = filterPaths(dfg, paths);
      if (opts.dot) {
        await writeFile(opts.dot, dfgToDot(dfg));
        say(ctx, `wrote the graph to ${opts.dot}`);
      }
      if (ctx.json) {
        printJson({
          edges: dfg.edges.map(({ from, to, count }) => ({ from, to, count })),
          start: dfg.start,
          end: dfg.end,
        });
        return;
      }
      if (Object.keys(dfg.start).length === 0)
        say(
          ctx,
          `no events in these journeys${opts.reason ? ` (is "${opts.reason}" a reason in the store?)` : ""}`,
        );
      for (const e of dfg.edges)
        say(
          ctx,
          `${String(e.count).padStart(8)}  ${e.from} -> ${e.to}  (median ${duration(e.medianSeconds)}, mean ${duration(e.meanSeconds)}, p90 ${duration(e.p90Seconds)})`,
        );
      say(ctx, `start: ${JSON.stringify(dfg.start)}`);
      say(ctx, `end:   ${JSON.stringify(dfg.end)}`);
    },
  );
  logOptions(
    journeys
      .command("variants")
      .description("variants (each case's full sequence of activities), most frequent first")
      .argument("[log]", LOG_ARGUMENT)
      .option("--top <n>", "show only the n most frequent variants"),
  ).action(async (log: string | undefined, opts: LogOptions & { top?: string }, cmd: Command) => {
    const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
    const o = journeyOptions(ctx, log, opts);
    const top = opts.top === undefined ? undefined : Number(opts.top);
    if (top !== undefined && !(Number.isInteger(top) && top >= 1))
      throw new UsageError(`--top must be a whole number >= 1, got "${opts.top}"`);
    // The stored journeys' variants are counted in the database; a log file's in kei.
    const all = log
      ? discoverVariants(await loadLog(ctx, log, opts))
      : await withStore(ctx, (s) => storedVariants(s, o));
    const variants = top === undefined ? all : all.slice(0, top);
    if (ctx.json) {
      printJson(variants);
      return;
    }
    const cases = all.reduce((a, v) => a + v.count, 0);
    let covered = 0;
    say(ctx, `   cases  share  cumulative  variant`);
    for (const v of variants) {
      covered += v.count;
      const pct = (n: number) => `${((100 * n) / cases).toFixed(1)}%`;
      say(
        ctx,
        `${String(v.count).padStart(8)} ${pct(v.count).padStart(6)} ${pct(covered).padStart(11)}  ${v.variant.join(" > ")}`,
      );
    }
    say(ctx, `${all.length} variants, ${cases} cases`);
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
    const events = await loadLog(ctx, log, opts, true);
    await writeEventLog(events, opts.out);
    if (ctx.json) printJson({ file: opts.out, cases: events.cases.size });
    else say(ctx, `wrote ${events.cases.size} cases to ${opts.out}`);
  });
  logOptions(
    journeys
      .command("markov")
      .description(
        "Markov model of journeys: transition probabilities within episodes, and the chance to end up in target states",
      )
      .argument("[log]", "an event log; without it, the stored customer journeys")
      .option("--window <hours>", "a longer pause ends an episode", "24")
      .option("--order <n>", "1: the next step depends on the current activity; 2: on the last two", "1")
      .option("--target <regex>", "target activities, e.g. '^phone:' (a call) or 'complaint'")
      .option("--from <state>", "predict the next steps from this state, most likely first"),
  ).action(
    async (
      log: string | undefined,
      opts: LogOptions & { window: string; order: string; target?: string; from?: string },
      cmd: Command,
    ) => {
      const ctx = await loadContext({ ...cmd.parent?.opts(), ...opts });
      const windowHours = Number(opts.window);
      if (!(windowHours > 0))
        throw new UsageError(`--window must be a positive number of hours, got "${opts.window}"`);
      if (opts.order !== "1" && opts.order !== "2")
        throw new UsageError(`--order must be 1 or 2, got "${opts.order}"`);
      const order = opts.order === "2" ? 2 : 1;
      let target: RegExp | undefined;
      try {
        target = opts.target ? new RegExp(opts.target) : undefined;
      } catch (e) {
        throw new UsageError(`--target is not a valid regular expression: ${(e as Error).message}`);
      }
      const o = journeyOptions(ctx, log, opts);
      // First order on the stored journeys: counted in the database. Otherwise in kei from the log.
      const model: MarkovModel =
        !log && order === 1
          ? await withStore(ctx, (s) => storedMarkov(s, windowHours, o))
          : markovModel(await loadLog(ctx, log, opts), windowHours, order);
      const absorbed = target
        ? absorption(model, (s) => (target as RegExp).test(stateActivity(s)))
        : undefined;
      if (opts.from !== undefined) {
        const steps = nextSteps(model, opts.from, 10);
        if (steps.length === 0)
          throw new UsageError(`no state "${opts.from}" in the model (kei journeys markov lists the states)`);
        if (ctx.json) printJson(steps);
        else
          for (const t of steps)
            say(ctx, `${(100 * t.probability).toFixed(1).padStart(6)}%  ${t.next}  (${t.count})`);
        return;
      }
      if (ctx.json) {
        printJson({
          order: model.order,
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
        say(ctx, `${t.from.padEnd(36)} -> ${t.next.padEnd(36)} ${t.probability.toFixed(3)} (${t.count})`);
    },
  );
  journeysProcessCommands(journeys);
}
