/**
 * The figures docs/methodology.md quotes from `kei validate` (by count and by value) and `kei journeys
 * web-to-call` on the demo organisation, named as their markers in the text and written as the text writes them.
 */
import type { Truth } from "../generate/truth.js";
import { webToCall } from "../journeys/web-to-call.js";
import { validateKei } from "../kei/validate-kei.js";
import type { Store } from "../store/store.js";
import { count, fixed, percent, range } from "./figure-format.js";
import type { Figure } from "./kei-figures.js";

type Interval = readonly [number, number] | null | undefined;

/** A ratio and its interval as `name`, `name.low` and `name.high`, two decimals each. */
function ratio(name: string, value: number | null | undefined, interval: Interval): Figure[] {
  if (!interval) throw new Error(`no interval for ${name}`);
  return [
    [name, fixed(value, 2, name)],
    [`${name}.low`, fixed(interval[0], 2, name)],
    [`${name}.high`, fixed(interval[1], 2, name)],
  ];
}

export async function validateFigures(store: Store): Promise<Figure[]> {
  const v = await validateKei(store);
  const same = v.sameCustomers;
  const fitted = v.fittedWeights;
  if (!same || !fitted?.intervals || !fitted.outOfSample)
    throw new Error("kei validate had too little to compare");
  const figures: Figure[] = [
    ["validate.observedUntil", v.observedUntil ?? "none"],
    ["validate.cutoff", v.cutoff ?? "none"],
    ["validate.dataEnd", v.dataEnd ?? "none"],
    ["validate.jobs.notEffectiveRate", percent(v.jobs.notEffective.rate, 1)],
    ["validate.jobs.effectiveRate", percent(v.jobs.effective.rate, 1)],
    ...ratio("validate.jobs.relativeRisk", v.jobs.relativeRisk, v.jobs.relativeRiskCi),
    ...ratio("validate.nps.relativeRisk", v.nps.relativeRisk, v.nps.relativeRiskCi),
    ["validate.same.units", count(same.units)],
    ["validate.same.customers", count(same.customers)],
    ["validate.same.keiShare", percent(same.keiShareFlagged, 0)],
    ...ratio("validate.same.kei", same.kei.relativeRisk, same.kei.interval),
    ["validate.same.npsShare", percent(same.npsShareFlagged, 0)],
    ...ratio("validate.same.nps", same.nps.relativeRisk, same.nps.interval),
    ...ratio("validate.same.ratio", same.ratio, same.ratioCi),
    ["validate.reach.withContact", percent(v.reach.withContact / v.reach.leavers, 0)],
    ["validate.reach.withNps", percent(v.reach.withNpsAnswer / v.reach.leavers, 0)],
    ["validate.months.complete", count(v.months.month.length)],
  ];
  for (const part of ["effectiveness", "ease", "emotion"] as const) {
    figures.push(
      [`fittedWeights.${part}`, fixed(fitted[part], 2)],
      [`fittedWeights.${part}.interval`, range(fitted.intervals[part], 2)],
    );
  }
  figures.push(
    ["fittedWeights.heldOut.fitted", fixed(fitted.outOfSample.fittedCorrelation, 2)],
    ["fittedWeights.heldOut.equal", fixed(fitted.outOfSample.equalCorrelation, 2)],
  );
  const byValue = await validateKei(store, {}, { weight: "value" });
  return [
    ...figures,
    ...ratio("validate.value.jobs", byValue.jobs.relativeRisk, byValue.jobs.relativeRiskCi),
    ...ratio("validate.value.ratio", byValue.sameCustomers?.ratio, byValue.sameCustomers?.ratioCi),
  ];
}

/** Per online flow planted to fail, what the text quotes of it. */
const QUOTED_FLOWS: Readonly<Record<string, readonly string[]>> = {
  meterstand_doorgeven: [
    "excess",
    "interval",
    "observed",
    "baseline",
    "planted",
    "avoidable",
    "avoidableEur",
  ],
  termijnbedrag_aanpassen: ["excess", "interval", "planted", "realised", "avoidable", "avoidableEur"],
};

/** The online flows planted to fail, against their planted and realised rates, and all visits. */
export async function webToCallFigures(store: Store, truth: Truth): Promise<Figure[]> {
  const w = await webToCall(store);
  const failing = Object.keys(truth.reasons).filter((r) => truth.reasons[r]?.failing_online_flow);
  if (failing.sort().join() !== Object.keys(QUOTED_FLOWS).sort().join()) {
    throw new Error(`the online flows planted to fail are ${failing.join(", ")}, the text quotes others`);
  }
  const figures: Figure[] = [];
  for (const [reason, quoted] of Object.entries(QUOTED_FLOWS)) {
    const row = w.byReason.find((r) => r.key === reason);
    const planted = truth.reasons[reason];
    if (!row || !planted) throw new Error(`web-to-call has no row for ${reason}`);
    const name = `webToCall.${reason}`;
    const all: Record<string, string> = {
      excess: percent(row.excessRate, 1),
      interval: range(row.excessRateCi, 1, name, true),
      observed: percent(row.share, 1),
      baseline: percent(row.baselineRate, 1),
      planted: percent(planted.web_to_call, 0),
      realised: percent(planted.realised.web_to_call, 1),
      avoidable: count(row.avoidableContacts),
      avoidableEur: count(row.avoidableCostEur),
    };
    for (const field of quoted) figures.push([`${name}.${field}`, all[field] as string]);
  }
  return [
    ...figures,
    ["webToCall.all.sessions", count(w.total.sessions)],
    ["webToCall.all.avoidable", count(w.total.avoidableContacts)],
    ["webToCall.all.avoidableEur", count(w.total.avoidableCostEur)],
  ];
}
