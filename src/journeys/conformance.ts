/**
 * Conformance of jobs to a desired path: per contact reason, the path the organisation wants a job to take
 * (e.g. `["app"]` for a meter reading: done in the app, no contact), or a few paths it accepts equally (app or
 * website), and how the jobs on that reason went. A job follows when its sequence of activities is exactly one
 * of the paths. Every other job is aligned to the nearest path by a longest common subsequence: the path's steps
 * left out are "skipped", the job's steps outside the alignment are "extra" (the nearest path has the fewest
 * skipped plus extra steps; the first one given on a tie). The deviations most worth acting on are the steps
 * most often skipped or added.
 */

import type { DesiredPath } from "../options/analysis-options.js";
import { compareText, sortVariants } from "./discover-dfg.js";

export type { DesiredPath } from "../options/analysis-options.js";

export interface JobVariant {
  readonly reason: string;
  readonly variant: readonly string[];
  readonly count: number;
  /** A self-service episode (visits without a contact) rather than one of the KEI's jobs. */
  readonly selfService?: boolean;
}

export interface Deviation {
  readonly kind: "skipped" | "extra";
  readonly step: string;
  /** Jobs with this deviation (a job counts once per step and kind). */
  readonly jobs: number;
  /** Of all jobs on the reason. */
  readonly share: number;
}

export interface DeviatingVariant {
  readonly variant: string[];
  readonly count: number;
  readonly share: number;
  readonly skipped: string[];
  readonly extra: string[];
}

export interface Conformance {
  readonly reason: string;
  /** The accepted paths, steps written out (`channel:reason`). */
  readonly paths: string[][];
  /** The journeys judged: the KEI's jobs and the self-service episodes on the reason. */
  readonly cases: number;
  /** The KEI's jobs on the reason (the same count as `kei index --by reason`). */
  readonly jobs: number;
  /** Episodes of visits without a contact: the customer served themselves (or gave up without contacting). */
  readonly selfService: number;
  /** Cases whose sequence is exactly the path. */
  readonly following: number;
  /** following / cases; null without cases on the reason (a share of nothing is not 0%). */
  readonly share: number | null;
  /** Jobs that take every step of the path in order, with extra steps between or around them. */
  readonly withDetours: number;
  readonly deviations: Deviation[];
  /** The most frequent sequences that are not the path, most frequent first. */
  readonly variants: DeviatingVariant[];
}

/**
 * One step of a desired path as an activity: a bare channel is a contact (`phone` -> `phone:R`), `visit:web` a
 * visit to the reason's pages (`visit:web:R`); a full activity stays as it is.
 */
function expandStep(reason: string, step: string): string {
  if (!step.includes(":")) return `${step}:${reason}`;
  if (/^visit:[^:]+$/.test(step)) return `${step}:${reason}`;
  return step;
}

/** The accepted paths of a reason, each step expanded as `expandStep` says. */
export function expandPaths(reason: string, desired: DesiredPath): string[][] {
  const paths = desired.every((p) => typeof p === "string")
    ? [desired as readonly string[]]
    : (desired as readonly (readonly string[])[]);
  return paths.map((steps) => steps.map((s) => expandStep(reason, s)));
}

/** The path's steps missing from the sequence and the sequence's steps outside a longest common subsequence. */
export function alignToPath(
  variant: readonly string[],
  path: readonly string[],
): { skipped: string[]; extra: string[] } {
  const n = variant.length;
  const m = path.length;
  // lcs[i][j]: LCS length of variant[i..] and path[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        variant[i] === path[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const skipped: string[] = [];
  const extra: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && variant[i] === path[j]) {
      i++;
      j++;
    } else if (
      j < m &&
      (i >= n || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))
    ) {
      skipped.push(path[j] as string);
      j++;
    } else {
      extra.push(variant[i] as string);
      i++;
    }
  }
  return { skipped, extra };
}

export function conformance(
  jobVariants: readonly JobVariant[],
  desired: Readonly<Record<string, DesiredPath>>,
  top = 5,
): Conformance[] {
  return Object.keys(desired)
    .sort()
    .map((reason) => {
      const paths = expandPaths(reason, desired[reason] ?? []);
      const keys = new Set(paths.map((p) => p.join("\u0000")));
      const rows = jobVariants.filter((v) => v.reason === reason);
      const cases = rows.reduce((a, v) => a + v.count, 0);
      const selfService = rows.reduce((a, v) => a + (v.selfService ? v.count : 0), 0);
      const share = (n: number) => (cases > 0 ? n / cases : 0);
      let following = 0;
      let withDetours = 0;
      const deviations = new Map<string, { kind: "skipped" | "extra"; step: string; jobs: number }>();
      const deviating: DeviatingVariant[] = [];
      for (const v of rows) {
        if (keys.has(v.variant.join("\u0000"))) {
          following += v.count;
          continue;
        }
        const { skipped, extra } = paths
          .map((p) => alignToPath(v.variant, p))
          .reduce((best, a) =>
            a.skipped.length + a.extra.length < best.skipped.length + best.extra.length ? a : best,
          );
        if (skipped.length === 0) withDetours += v.count;
        for (const [kind, steps] of [
          ["skipped", skipped],
          ["extra", extra],
        ] as const) {
          for (const step of new Set(steps)) {
            const k = `${kind}\u0000${step}`;
            const dv = deviations.get(k) ?? { kind, step, jobs: 0 };
            dv.jobs += v.count;
            deviations.set(k, dv);
          }
        }
        deviating.push({ variant: [...v.variant], count: v.count, share: share(v.count), skipped, extra });
      }
      return {
        reason,
        paths,
        cases,
        jobs: cases - selfService,
        selfService,
        following,
        share: cases > 0 ? following / cases : null,
        withDetours,
        deviations: [...deviations.values()]
          .map((dv) => ({ ...dv, share: share(dv.jobs) }))
          .sort((a, b) => b.jobs - a.jobs || compareText(a.kind, b.kind) || compareText(a.step, b.step)),
        variants: sortVariants(deviating).slice(0, top),
      };
    });
}
