/**
 * Conformance of the stored jobs to the desired paths: the jobs' sequences are counted per reason in the
 * database (one row per reason and distinct sequence); the alignment runs in kei on those counts.
 */
import type { AnalysisOverrides } from "../options/analysis-options.js";
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { type Conformance, conformance, type DesiredPath, type JobVariant } from "./conformance.js";
import { compareText, sortVariants } from "./discover-dfg.js";
import { journeyEventsSql } from "./stored-journeys.js";

/** The jobs' variants per reason (only `reason`'s when given), with the job window of `options`. */
export async function storedJobVariants(
  store: Store,
  q: { readonly reason?: string | undefined; readonly options?: AnalysisOverrides | undefined } = {},
): Promise<JobVariant[]> {
  const d = store.dialect;
  const events = await journeyEventsSql(store, { cases: "job", reason: q.reason, options: q.options });
  const rows = await store.query<{ j_reason: string; variant: string[]; n: number; self_service: number }>(
    // A job case has one reason, so partitioning by case and reason gives one row per job with its reason; a
    // self-service episode (visits without a contact) has a negative case number.
    sql`SELECT e_reason AS j_reason, self_service, variant, ${d.count()} AS n FROM (${d.sequenceArrays({
      from: sql`SELECT case_id, e_reason, activity, t, event_key, CASE WHEN grp < 0 THEN 1 ELSE 0 END AS self_service
        FROM (${events}) AS ev`,
      partitionBy: ["case_id", "e_reason", "self_service"],
      time: "t",
      id: "event_key",
      value: "activity",
      into: "variant",
    })}) AS jv GROUP BY e_reason, self_service, variant`,
  );
  // In a fixed order (by reason, then most frequent first), the same on every engine.
  return sortVariants(
    rows.map((r) => ({
      reason: r.j_reason,
      variant: [...r.variant].map(String),
      count: Number(r.n),
      ...(Number(r.self_service) === 1 ? { selfService: true } : {}),
    })),
  ).sort((a, b) => compareText(a.reason, b.reason));
}

export async function storedConformance(
  store: Store,
  desired: Readonly<Record<string, DesiredPath>>,
  q: { readonly top?: number | undefined; readonly options?: AnalysisOverrides | undefined } = {},
): Promise<Conformance[]> {
  const reasons = Object.keys(desired);
  // One reason: let the database leave the other reasons out.
  const variants = await storedJobVariants(store, {
    reason: reasons.length === 1 ? reasons[0] : undefined,
    options: q.options,
  });
  return conformance(variants, desired, q.top);
}
