/**
 * A Markov model of journeys, first or second order. A case's events are cut into episodes where more than
 * `windowHours` pass between two events (what a customer does weeks later is a new episode); each episode ends
 * in the absorbing state END. In the first order a state is an activity; in the second a state is the last two
 * activities of the episode ("a > b"; an episode's first event is a state of one activity), so the next step may
 * depend on where the customer came from. Transition probabilities are counts over their row. With a set of
 * target states made absorbing too, the absorbing probabilities say how likely an episode in a state ends up in a
 * target (e.g. a phone call, a complaint) before it ends, and the expected number of steps until it is absorbed.
 * The model is small (one row per state); the counting runs in kei for a log file and in the database for the
 * stored journeys (stored-markov.ts).
 */
import { solve } from "../stats/solve-linear.js";
import { compareText } from "./discover-dfg.js";
import type { EventLog } from "./event-log.js";

export const END = "END";
/** Joins the activities of a second-order state. */
export const STATE_SEPARATOR = " > ";

export interface Transition {
  readonly from: string;
  /** The next state (END, or for a second-order model "b > c"). */
  readonly to: string;
  /** The next activity (END when the episode ends). */
  readonly next: string;
  readonly count: number;
  readonly probability: number;
}

export interface MarkovModel {
  readonly order: 1 | 2;
  readonly states: string[];
  readonly transitions: Transition[];
}

/** The activity a state stands for: its last one. */
export function stateActivity(state: string): string {
  const at = state.lastIndexOf(STATE_SEPARATOR);
  return at < 0 ? state : state.slice(at + STATE_SEPARATOR.length);
}

/** A model from transition counts between states (`to` is a state or END). */
export function markovFromCounts(
  counts: Iterable<{ from: string; to: string; count: number }>,
  order: 1 | 2 = 1,
): MarkovModel {
  const rows = new Map<string, Map<string, number>>();
  for (const c of counts) {
    let row = rows.get(c.from);
    if (!row) {
      row = new Map();
      rows.set(c.from, row);
    }
    row.set(c.to, (row.get(c.to) ?? 0) + c.count);
  }
  const transitions: Transition[] = [];
  for (const [from, row] of rows) {
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    for (const [to, count] of row)
      transitions.push({ from, to, next: stateActivity(to), count, probability: count / total });
  }
  transitions.sort((a, b) => compareText(a.from, b.from) || b.count - a.count || compareText(a.to, b.to));
  return { order, states: [...rows.keys()].sort(), transitions };
}

export function markovModel(log: EventLog, windowHours = 24, order: 1 | 2 = 1): MarkovModel {
  const counts = new Map<string, { from: string; to: string; count: number }>();
  const add = (from: string, to: string) => {
    const key = `${from}\u0000${to}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { from, to, count: 1 });
  };
  const gap = windowHours * 3600 * 1000;
  for (const events of log.cases.values()) {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as (typeof events)[number];
      const prev = events[i - 1];
      const continues = prev !== undefined && e.time - prev.time <= gap;
      // The state on arriving at e: e alone at an episode's start, else (order 2) the previous activity and e.
      const state =
        order === 2 && continues && prev ? `${prev.activity}${STATE_SEPARATOR}${e.activity}` : e.activity;
      const next = events[i + 1];
      if (!next || next.time - e.time > gap) add(state, END);
      else add(state, order === 2 ? `${e.activity}${STATE_SEPARATOR}${next.activity}` : next.activity);
    }
  }
  return markovFromCounts(counts.values(), order);
}

/** The most likely next states after `state`, with their probabilities (most likely first). */
export function nextSteps(model: MarkovModel, state: string, top = 5): Transition[] {
  return model.transitions
    .filter((t) => t.from === state)
    .sort((a, b) => b.count - a.count || compareText(a.to, b.to))
    .slice(0, top);
}

export interface Absorption {
  readonly state: string;
  /** Probability of reaching a target state before the episode ends. */
  readonly probability: number;
  /** Expected transitions until a target or the end. */
  readonly expectedSteps: number;
}

/**
 * For every non-target state: the probability of reaching a target before END, and the expected number of steps
 * until absorbed. Standard absorbing-chain algebra: with Q the transitions among transient states,
 * B = (I - Q)^-1 R and t = (I - Q)^-1 1, solved column by column.
 */
export function absorption(model: MarkovModel, isTarget: (state: string) => boolean): Absorption[] {
  const transient = model.states.filter((s) => !isTarget(s));
  const index = new Map(transient.map((s, i) => [s, i]));
  const n = transient.length;
  const iq = transient.map((_, i) => transient.map((__, k) => (i === k ? 1 : 0)));
  const toTarget = new Array<number>(n).fill(0);
  for (const t of model.transitions) {
    const i = index.get(t.from);
    if (i === undefined) continue;
    const k = index.get(t.to);
    if (k !== undefined) (iq[i] as number[])[k] = ((iq[i] as number[])[k] as number) - t.probability;
    else if (t.to !== END && isTarget(t.to)) toTarget[i] = (toTarget[i] as number) + t.probability;
  }
  const probability = solve(iq, toTarget);
  const steps = solve(iq, new Array<number>(n).fill(1));
  if (!probability || !steps)
    throw new Error("the journey model has a closed loop without an end; cannot solve it");
  return transient.map((state, i) => ({
    state,
    probability: probability[i] as number,
    expectedSteps: steps[i] as number,
  }));
}
