/**
 * The KEI of a trend without mix artefacts, by direct standardisation: each period's figures as if its jobs had
 * a fixed mix of contact reasons. Reasons differ much more from each other (tarief_vraag about 80, betalingsregeling
 * about 45) than a reason's own figure moves from month to month, so a month busy with annual bills looks worse
 * than a quiet one, although no reason got worse. Standardised, a change means that reasons changed.
 *
 *   weight W_r   = jobs of reason r over the whole selected range / all jobs of the range (per value of the other
 *                  keys of the cut, e.g. per segment with `--by month,segment`): the fixed mix, stated in output;
 *   part_std(p)  = sum_r W_r part(p, r) / sum_r W_r, both sums over the reasons whose cell (p, r) shows the part,
 *                  for Effectiveness, Ease and Emotion each;
 *   KEI_std(p)   = the KEI formula on the standardised parts (their weighted mean, without Emotion when it is blank).
 *
 * A reason whose cell is suppressed in a period (too few jobs, or too imprecise) or has no Emotion leaves its
 * weight out of that period's sums, and the others' weights are scaled up (renormalised); `mixCoverage` says how
 * much of the fixed mix the period's KEI covers (1 = every reason shown). Below MIN_MIX_COVERAGE of the mix a
 * standardised figure would describe other reasons than the mix, and it is not given (null).
 *
 * The KEI is built from the standardised parts rather than as the mix-weighted mean of the reasons' own KEIs: a
 * reason without Emotion has a KEI of two parts, higher than one with Emotion, and averaging such KEIs would bring a
 * mix artefact back whenever a small reason's Emotion is shown in one month and blank in the next. With every part
 * present in every cell the two are the same (the KEI is linear in its parts).
 */
import { analysisOptions } from "../options/analysis-options.js";
import type { Store } from "../store/store.js";
import {
  checkDimensions,
  type KeiCell,
  type KeiDimension,
  type KeiIndexQuery,
  keiIndex,
} from "./kei-index.js";

/** Below this share of the fixed mix (0-1) a standardised figure is not given. */
export const MIN_MIX_COVERAGE = 0.5;

export interface ReasonWeight {
  readonly reason: string;
  /** Jobs of the reason over the whole range (within the other keys). */
  readonly jobs: number;
  /** Its share of the range's jobs, 0-1: its weight in every period. */
  readonly weight: number;
}

export interface StandardisedCell {
  /** The period and the other keys, without the reason: the key of the raw row it stands beside. */
  readonly key: Partial<Record<KeiDimension, string>>;
  readonly effectiveness: number | null;
  readonly ease: number | null;
  readonly emotion: number | null;
  readonly kei: number | null;
  /** Share (0-1) of the fixed mix whose reasons have a KEI in this period. */
  readonly mixCoverage: number;
  /** The fixed mix of the row's other keys. */
  readonly mix: readonly ReasonWeight[];
}

const PARTS = ["effectiveness", "ease", "emotion"] as const;

/**
 * Standardised rows from the cells of the same cut with `reason` added (`keiIndex` by period, other keys and
 * reason), one per period and other keys, in the order first met.
 */
export function standardiseByMix(
  cells: readonly KeiCell[],
  weights: { effectiveness: number; ease: number; emotion: number },
): StandardisedCell[] {
  const rowKey = (c: KeiCell) => {
    const { reason: _, ...rest } = c.key;
    return rest;
  };
  const groupOf = (k: Partial<Record<KeiDimension, string>>) =>
    JSON.stringify(
      Object.entries(k)
        .filter(([d]) => d !== "month" && d !== "quarter")
        .sort(),
    );
  // The fixed mix per group of other keys: every job of the range, shown or suppressed.
  const mixJobs = new Map<string, Map<string, number>>();
  for (const c of cells) {
    const g = groupOf(rowKey(c));
    const m = mixJobs.get(g) ?? new Map<string, number>();
    m.set(c.key.reason ?? "", (m.get(c.key.reason ?? "") ?? 0) + c.jobs);
    mixJobs.set(g, m);
  }
  const mixes = new Map<string, ReasonWeight[]>();
  for (const [g, m] of mixJobs) {
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    mixes.set(
      g,
      [...m.entries()]
        .map(([reason, jobs]) => ({ reason, jobs, weight: total > 0 ? jobs / total : 0 }))
        .sort((a, b) => b.weight - a.weight || a.reason.localeCompare(b.reason)),
    );
  }
  const rows = new Map<string, { key: Partial<Record<KeiDimension, string>>; cells: KeiCell[] }>();
  for (const c of cells) {
    const key = rowKey(c);
    const id = JSON.stringify(Object.entries(key).sort());
    const row = rows.get(id) ?? { key, cells: [] as KeiCell[] };
    row.cells.push(c);
    rows.set(id, row);
  }
  return [...rows.values()].map(({ key, cells: row }) => {
    const mix = mixes.get(groupOf(key)) ?? [];
    const w = new Map(mix.map((m) => [m.reason, m.weight]));
    const part = (name: (typeof PARTS)[number]) => {
      let sum = 0;
      let covered = 0;
      for (const c of row) {
        const v = c[name];
        if (v === null || c.suppressed) continue;
        const wr = w.get(c.key.reason ?? "") ?? 0;
        sum += wr * v;
        covered += wr;
      }
      return covered >= MIN_MIX_COVERAGE ? sum / covered : null;
    };
    const effectiveness = part("effectiveness");
    const ease = part("ease");
    const emotion = part("emotion");
    const present = [
      [weights.effectiveness, effectiveness],
      [weights.ease, ease],
      ...(emotion === null ? [] : [[weights.emotion, emotion]]),
    ] as [number, number | null][];
    const total = present.reduce((a, [wt]) => a + wt, 0);
    const kei =
      effectiveness === null || ease === null
        ? null
        : present.reduce((a, [wt, v]) => a + wt * (v as number), 0) / total;
    const mixCoverage = row
      .filter((c) => !c.suppressed && c.kei !== null)
      .reduce((a, c) => a + (w.get(c.key.reason ?? "") ?? 0), 0);
    return { key, effectiveness, ease, emotion, kei, mixCoverage, mix };
  });
}

/**
 * The standardised rows of a time cut (`q.by` holds month or quarter and not reason): the cells of the cut with
 * `reason` added, standardised to the range's reason mix. Also returns those cells (the mix-explained share
 * needs their jobs).
 */
export async function keiStandardised(
  store: Store,
  q: KeiIndexQuery,
): Promise<{ rows: StandardisedCell[]; cells: KeiCell[] }> {
  const by = checkDimensions(q.by);
  const cells = await keiIndex(store, { ...q, by: [...by, "reason"] });
  return { rows: standardiseByMix(cells, analysisOptions(q.options).weights), cells };
}
