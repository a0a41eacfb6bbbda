/**
 * The KEI and its three parts by any cut (month, quarter, reason, channel, segment, product, lifecycle):
 * Effectiveness = share of the judged jobs (not censored, see data-coverage.ts) done in one contact without
 * complaint or escalation (x 100), none below `minCellSize` judged jobs;
 * Ease = mean job ease; Emotion = mean job emotion over jobs with a signal (NULL below 1% coverage or below
 * `minEmotionSignals` signals);
 * KEI = weighted mean of the parts present. Cells with fewer jobs than `minCellSize`, or whose KEI interval is wider
 * than `maxKeiInterval` points, are suppressed.
 */

import { jobsRelation } from "../model/jobs-table.js";
import {
  type AnalysisOptions,
  type AnalysisOverrides,
  analysisOptions,
} from "../options/analysis-options.js";
import { join, raw, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { censoredSql, type DataCoverage, dataCoverage, periodPartial } from "./data-coverage.js";
import { checkDimensions, type KeiDimension, keiCutSql } from "./kei-cut-sql.js";
import { keiInterval, keiMomentsSql } from "./kei-interval.js";

export { checkDimensions, KEI_DIMENSIONS, type KeiDimension } from "./kei-cut-sql.js";

export interface KeiIndexQuery {
  readonly by: readonly KeiDimension[];
  /** First day included (YYYY-MM-DD), on the job's first contact, in the configured zone. */
  readonly from?: string;
  /** Last day included. */
  readonly to?: string;
  readonly where?: Partial<Record<KeiDimension, string>>;
  readonly options?: AnalysisOverrides;
}

export interface KeiCell {
  readonly key: Partial<Record<KeiDimension, string>>;
  readonly jobs: number;
  readonly effectiveness: number | null;
  readonly ease: number | null;
  readonly emotion: number | null;
  readonly kei: number | null;
  /** 95% Wilson interval of Effectiveness (0-100), null when suppressed. */
  readonly effectivenessInterval: readonly [number, number] | null;
  /** 95% intervals of the mean Ease and Emotion (mean +/- 1.96 standard errors, within 0-100). */
  readonly easeInterval: readonly [number, number] | null;
  readonly emotionInterval: readonly [number, number] | null;
  /**
   * Share of jobs (0-100) whose first contact the agent marked resolved, over the jobs with that flag; null
   * without flags. Set beside Effectiveness it shows what people say against what they do.
   */
  readonly agentResolved: number | null;
  /** 95% interval of the KEI, clustered by customer (kei-interval.ts); null when suppressed or without a KEI. */
  readonly keiInterval: readonly [number, number] | null;
  /** Share of jobs with an emotion signal (0-1). */
  readonly emotionCoverage: number;
  /**
   * Emotion's two sources apart: the share of jobs (0-100) with a complaint (a flagged contact or complaint
   * feedback), and the mean survey-and-text emotion over the jobs that have one (null below `minEmotionSignals`
   * such jobs). Both null when the cell is suppressed.
   */
  readonly complaintShare: number | null;
  readonly emotionFeedback: number | null;
  /** True when the cell has fewer jobs than the minimum and its figures are withheld. */
  readonly suppressed: boolean;
  /** Why: fewer jobs than `minCellSize`, or a KEI interval wider than `maxKeiInterval`; null when shown. */
  readonly suppressedBecause: "jobs" | "precision" | null;
  /**
   * True when the row's month or quarter reaches outside the days whose jobs the data can judge (a job window
   * of data before and after them, see data-coverage.ts) or holds a censored job; false for rows without a period.
   */
  readonly partial: boolean;
  /**
   * Jobs in the cell without a full job window of data before their first or after their last contact: left out
   * of Effectiveness (`jobs` counts them; Ease and Emotion use them).
   */
  readonly censoredJobs: number;
}

/** Below this share of jobs with a signal, Emotion is not shown (a warning, not a guess). */
export const MIN_EMOTION_COVERAGE = 0.01;

export async function keiIndex(store: Store, q: KeiIndexQuery): Promise<KeiCell[]> {
  const o = analysisOptions(q.options);
  const by = checkDimensions(q.by);
  const { dims, keys, where } = keiCutSql(by, q);
  const groupBy = by.length > 0 ? sql`GROUP BY ${join(keys, ", ")}` : raw("");
  const orderBy = by.length > 0 ? sql`ORDER BY ${join(keys, ", ")}` : raw("");
  const d = store.dialect;
  const coverage = await dataCoverage(store, o);
  const censored = censoredSql(coverage, o);
  const jobs = await jobsRelation(store, o);
  // Effectiveness over the jobs the data can judge only (censored ones cannot show their repeat yet).
  const rows = await store.query<Record<string, unknown>>(
    sql`SELECT ${join([...dims, sql`${d.count()} AS n_jobs`], ", ")}, sum(${censored}) AS n_censored,
        100.0 * avg(CASE WHEN ${censored} = 0 THEN effective END) AS mean_effective, avg(ease) AS mean_ease, avg(emotion) AS mean_emotion,
        ${d.count(sql`emotion`)} AS n_emotion, 100.0 * avg(agent_resolved) AS mean_agent_resolved,
        100.0 * avg(complaint) AS share_complaint, avg(emotion_feedback) AS mean_emotion_feedback,
        ${d.count(sql`emotion_feedback`)} AS n_emotion_feedback,
        ${d.stddevSample(sql`ease`)} AS sd_ease, ${d.stddevSample(sql`emotion`)} AS sd_emotion
      FROM ${jobs} AS jobs ${where} ${groupBy} ${orderBy}`,
  );
  const moments = await store.query<Record<string, unknown>>(
    keiMomentsSql(d, { dims, keys, from: sql`${jobs} AS jobs`, where, censored }),
  );
  const cellKey = (r: Record<string, unknown>) => JSON.stringify(by.map((b) => String(r[`k_${b}`])));
  const byKey = new Map(moments.map((m) => [cellKey(m), m]));
  return rows.map((r) => toCell(r, by, o, coverage, byKey.get(cellKey(r))));
}

function toCell(
  r: Record<string, unknown>,
  by: readonly KeiDimension[],
  o: AnalysisOptions,
  coverage: DataCoverage,
  moments: Record<string, unknown> | undefined,
): KeiCell {
  const key: Partial<Record<KeiDimension, string>> = {};
  for (const b of by) key[b] = String(r[`k_${b}`]);
  const jobs = Number(r.n_jobs);
  const censoredJobs = Number(r.n_censored ?? 0);
  const judged = jobs - censoredJobs;
  // A period is partial when the data does not reach a job window beyond it, or when any of its jobs is censored.
  const partial =
    (key.month !== undefined && (periodPartial("month", key.month, coverage) || censoredJobs > 0)) ||
    (key.quarter !== undefined && (periodPartial("quarter", key.quarter, coverage) || censoredJobs > 0));
  const emotionShare = jobs > 0 ? Number(r.n_emotion) / jobs : 0;
  const withheld = (why: "jobs" | "precision"): KeiCell => ({
    key,
    jobs,
    effectiveness: null,
    effectivenessInterval: null,
    easeInterval: null,
    emotionInterval: null,
    ease: null,
    emotion: null,
    kei: null,
    agentResolved: null,
    emotionCoverage: emotionShare,
    complaintShare: null,
    emotionFeedback: null,
    keiInterval: null,
    suppressed: true,
    suppressedBecause: why,
    partial,
    censoredJobs,
  });
  if (jobs < o.minCellSize) return withheld("jobs");
  // Too few judged jobs: no Effectiveness, and no KEI (it would not be comparable with other cells).
  const effectiveness =
    judged >= o.minCellSize && r.mean_effective !== null ? Number(r.mean_effective) : null;
  const ease = Number(r.mean_ease);
  const emotion =
    emotionShare >= MIN_EMOTION_COVERAGE &&
    Number(r.n_emotion) >= o.minEmotionSignals &&
    r.mean_emotion !== null
      ? Number(r.mean_emotion)
      : null;
  const w = o.weights;
  const parts = [
    [w.effectiveness, effectiveness ?? 0],
    [w.ease, ease],
    ...(emotion === null ? [] : [[w.emotion, emotion]]),
  ] as [number, number][];
  const total = parts.reduce((a, [wt]) => a + wt, 0);
  const kei = effectiveness === null ? null : parts.reduce((a, [wt, v]) => a + wt * v, 0) / total;
  const agentResolved = r.mean_agent_resolved === null ? null : Number(r.mean_agent_resolved);
  const keiInt =
    kei === null || effectiveness === null || !moments
      ? null
      : keiInterval(
          moments,
          {
            e: { mean: effectiveness, n: judged, weight: w.effectiveness },
            a: { mean: ease, n: jobs, weight: w.ease },
            ...(emotion === null ? {} : { m: { mean: emotion, n: Number(r.n_emotion), weight: w.emotion } }),
          },
          kei,
        );
  // Set by precision: a KEI whose interval is wider than `maxKeiInterval` points says too little to compare.
  if (keiInt && keiInt[1] - keiInt[0] > o.maxKeiInterval) return withheld("precision");
  return {
    key,
    jobs,
    effectiveness,
    effectivenessInterval: effectiveness === null ? null : wilson(effectiveness / 100, judged),
    easeInterval: meanInterval(ease, r.sd_ease, jobs),
    emotionInterval: emotion === null ? null : meanInterval(emotion, r.sd_emotion, Number(r.n_emotion)),
    ease,
    emotion,
    kei,
    agentResolved,
    emotionCoverage: emotionShare,
    complaintShare: Number(r.share_complaint),
    emotionFeedback:
      Number(r.n_emotion_feedback) >= o.minEmotionSignals && r.mean_emotion_feedback !== null
        ? Number(r.mean_emotion_feedback)
        : null,
    keiInterval: keiInt,
    suppressed: false,
    suppressedBecause: null,
    partial,
    censoredJobs,
  };
}

/** Mean +/- 1.96 standard errors, kept within 0-100; null without a standard deviation. */
export function meanInterval(mean: number, sd: unknown, n: number): [number, number] | null {
  if (sd === null || sd === undefined || n < 2) return null;
  const half = (1.959964 * Number(sd)) / Math.sqrt(n);
  return [Math.max(0, mean - half), Math.min(100, mean + half)];
}

/**
 * Wilson score interval (95%) for a share `p` of `n`, as 0-100. Unlike p +/- 1.96 SE it stays within
 * 0-100 and behaves at shares near 0 or 1 and at small n.
 */
export function wilson(p: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 100];
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [100 * Math.max(0, centre - half), 100 * Math.min(1, centre + half)];
}
