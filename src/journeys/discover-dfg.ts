/**
 * Directly-follows graph of an event log (after pm4py's `discover_dfg`): a pair (a, b) counts once each time
 * b directly follows a within a case; start and end activities count the cases they begin and end. With the
 * median, mean and 90th-percentile time between a and b (performance DFG).
 */
import type { EventLog } from "./event-log.js";

export interface DfgEdge {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** Median seconds from a to b (the mean of the middle two for an even count). */
  readonly medianSeconds: number;
  /** Mean seconds from a to b. */
  readonly meanSeconds: number;
  /** 90th percentile of the seconds from a to b, by nearest rank (the value at rank ceil(0.9 n)). */
  readonly p90Seconds: number;
}

export interface Dfg {
  readonly edges: DfgEdge[];
  readonly start: Record<string, number>;
  readonly end: Record<string, number>;
}

function performance(xs: number[]): Pick<DfgEdge, "medianSeconds" | "meanSeconds" | "p90Seconds"> {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return {
    medianSeconds: s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2,
    meanSeconds: s.reduce((a, b) => a + b, 0) / s.length,
    p90Seconds: s[Math.ceil(0.9 * s.length) - 1] as number,
  };
}

export function discoverDfg(log: EventLog): Dfg {
  const gaps = new Map<string, { from: string; to: string; seconds: number[] }>();
  const start: Record<string, number> = {};
  const end: Record<string, number> = {};
  for (const events of log.cases.values()) {
    const first = events[0];
    const last = events[events.length - 1];
    if (!first || !last) continue;
    start[first.activity] = (start[first.activity] ?? 0) + 1;
    end[last.activity] = (end[last.activity] ?? 0) + 1;
    for (let i = 1; i < events.length; i++) {
      const a = events[i - 1] as (typeof events)[number];
      const b = events[i] as (typeof events)[number];
      const key = `${a.activity}\u0000${b.activity}`;
      let g = gaps.get(key);
      if (!g) {
        g = { from: a.activity, to: b.activity, seconds: [] };
        gaps.set(key, g);
      }
      g.seconds.push((b.time - a.time) / 1000);
    }
  }
  const edges = [...gaps.values()]
    .map((g) => ({ from: g.from, to: g.to, count: g.seconds.length, ...performance(g.seconds) }))
    .sort((x, y) => y.count - x.count || compareText(x.from, y.from) || compareText(x.to, y.to));
  return { edges, start, end };
}

export interface Variant {
  readonly variant: string[];
  readonly count: number;
}

/** Variants (a case's full sequence of activities), most frequent first; ties by sequence. */
export function discoverVariants(log: EventLog): Variant[] {
  const counts = new Map<string, { variant: string[]; count: number }>();
  for (const events of log.cases.values()) {
    const variant = events.map((e) => e.activity);
    const key = variant.join("\u0000");
    const v = counts.get(key);
    if (v) v.count++;
    else counts.set(key, { variant, count: 1 });
  }
  return sortVariants([...counts.values()]);
}

/** Text order by UTF-16 code units: the same on every machine (no locale), and fast. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most frequent first; ties by their sequence of activities. Keys are built once: logs have ~1M variants. */
export function sortVariants<V extends Variant>(variants: V[]): V[] {
  return variants
    .map((v) => ({ v, key: v.variant.join("\u0000") }))
    .sort((a, b) => b.v.count - a.v.count || compareText(a.key, b.key))
    .map((x) => x.v);
}
