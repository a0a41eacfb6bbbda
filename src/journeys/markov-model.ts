/**
 * A first-order Markov model of journeys. A case's events are cut into episodes where more than `windowHours`
 * pass between two events (what a customer does weeks later is a new episode); each episode ends in the absorbing
 * state END. Transition probabilities are counts over their row. With a set of target states made absorbing too,
 * the absorbing probabilities say how likely an episode in a state ends up in a target (e.g. a phone call, a
 * complaint) before it ends, and the expected number of steps until it is absorbed.
 * Computed in kei from the event log (the matrix is small: one row per activity).
 */
import { solve } from "../stats/solve-linear.js";
import type { EventLog } from "./event-log.js";

export const END = "END";

export interface Transition {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly probability: number;
}

export interface MarkovModel {
  readonly states: string[];
  readonly transitions: Transition[];
}

export function markovModel(log: EventLog, windowHours = 24): MarkovModel {
  const counts = new Map<string, Map<string, number>>();
  const add = (a: string, b: string) => {
    let row = counts.get(a);
    if (!row) {
      row = new Map();
      counts.set(a, row);
    }
    row.set(b, (row.get(b) ?? 0) + 1);
  };
  const gap = windowHours * 3600 * 1000;
  for (const events of log.cases.values()) {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as (typeof events)[number];
      const next = events[i + 1];
      add(e.activity, next && next.time - e.time <= gap ? next.activity : END);
    }
  }
  const transitions: Transition[] = [];
  for (const [from, row] of counts) {
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    for (const [to, count] of row) transitions.push({ from, to, count, probability: count / total });
  }
  transitions.sort((a, b) => a.from.localeCompare(b.from) || b.count - a.count || a.to.localeCompare(b.to));
  return { states: [...counts.keys()].sort(), transitions };
}

/** The most likely next states after `state`, with their probabilities. */
export function nextSteps(model: MarkovModel, state: string, top = 5): Transition[] {
  return model.transitions.filter((t) => t.from === state).slice(0, top);
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
