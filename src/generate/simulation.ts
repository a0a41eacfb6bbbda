/**
 * What the simulation of the fictional organisation shares: where rows go (Sink), the counts kept for truth.json
 * (Tally), a customer's context, and the calendar: 546 days from 2025-01-01 in Amsterdam time.
 */
import { zonedWallTimeToEpoch, zoneOffsetSeconds } from "../schema/local-time.js";
import type { Rng } from "../stats/rng.js";
import { REASONS } from "./catalogue.js";
import type { Cell } from "./csv-writer.js";

const ZONE = "Europe/Amsterdam";
/** 2025-01-01 00:00 as wall-clock seconds; the history runs 546 days, to 2026-06-30. */
const WALL_START = Date.UTC(2025, 0, 1) / 1000;
export const DAYS = 546;
const DAY = 86400;

export interface Sink {
  customer(cells: Cell[]): void;
  contact(cells: Cell[]): void;
  web(cells: Cell[]): void;
  feedback(cells: Cell[]): void;
  nextId(kind: "K" | "W" | "S" | "F"): string;
}

/** Counts kept while simulating, for truth.json (realised rates) and kpis.csv. */
export interface Tally {
  reasons: Map<
    string,
    { jobs: number; firstTime: number; online: number; onlineFailed: number; contacts: number; cost: number }
  >;
  agentResolvedWhenRepeated: { yes: number; all: number };
  agentResolvedWhenResolved: { yes: number; all: number };
  churn: { withFailed: number; withFailedLeft: number; withoutFailed: number; withoutFailedLeft: number };
  /** Per month index 0..17 and segment. */
  months: Map<
    string,
    { contacts: number; repeats: number; complaints: number; active: number; left: number; revenue: number }
  >;
}

export function newTally(): Tally {
  return {
    reasons: new Map(
      REASONS.map((r) => [
        r.code,
        { jobs: 0, firstTime: 0, online: 0, onlineFailed: 0, contacts: 0, cost: 0 },
      ]),
    ),
    agentResolvedWhenRepeated: { yes: 0, all: 0 },
    agentResolvedWhenResolved: { yes: 0, all: 0 },
    churn: { withFailed: 0, withFailedLeft: 0, withoutFailed: 0, withoutFailedLeft: 0 },
    months: new Map(),
  };
}

/** ISO 8601 with the Amsterdam offset in force, e.g. 2025-03-01T09:30:00+01:00. */
export function formatLocal(epoch: number): string {
  const off = zoneOffsetSeconds(ZONE, epoch);
  const local = new Date((epoch + off) * 1000).toISOString().slice(0, 19);
  const h = Math.floor(Math.abs(off) / 3600);
  const m = Math.floor((Math.abs(off) % 3600) / 60);
  return `${local}${off < 0 ? "-" : "+"}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export const dateOf = (day: number) => new Date((WALL_START + day * DAY) * 1000).toISOString().slice(0, 10);
export const monthIndex = (day: number) => {
  const d = new Date((WALL_START + day * DAY) * 1000);
  return (d.getUTCFullYear() - 2025) * 12 + d.getUTCMonth();
};

/** Epoch of `day` at a local time drawn within the channel's opening hours. */
export function timeOn(rng: Rng, day: number, hours: readonly [number, number]): number {
  const wall = WALL_START + day * DAY + Math.floor(rng.uniform(hours[0], hours[1]) * 3600);
  return zonedWallTimeToEpoch(wall, ZONE);
}

export const dayOf = (epoch: number) =>
  Math.floor((epoch + zoneOffsetSeconds(ZONE, epoch) - WALL_START) / DAY);

export function month(tally: Tally, m: number, segment: string) {
  const key = `${m}|${segment}`;
  let k = tally.months.get(key);
  if (!k) {
    k = { contacts: 0, repeats: 0, complaints: 0, active: 0, left: 0, revenue: 0 };
    tally.months.set(key, k);
  }
  return k;
}

export interface JobContext {
  rng: Rng;
  sink: Sink;
  tally: Tally;
  customer: string;
  segment: "particulier" | "zakelijk";
}
