/**
 * `kei validate`'s findings in words, for the CLI and the API alike. A relation is stated only when its interval
 * allows it (validate-relative-risk.ts: `relation`); otherwise the sentence says why none is claimed. Signs are
 * said in words, and one against expectation (a higher KEI with more leaving) is called unexpected. Monthly
 * correlations are reported at every pre-declared lag, none picked as the strongest. Fitted weights are offered.
 */
import { FOLLOW_UP_DAYS } from "./followed-jobs.js";
import type { Validation } from "./validate-kei.js";
import type { MonthlySeries } from "./validate-months.js";
import { MIN_VERDICT_UNITS, type RiskComparison, ratioInterval } from "./validate-relative-risk.js";
import { LOOKBACK_DAYS } from "./validate-same-customers.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const r2 = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
const ci2 = (i: readonly [number, number] | null) => (i ? ` (95% interval ${r2(i[0])} to ${r2(i[1])})` : "");

/** Why no relation is claimed, or null when one is. */
function noClaim(r: Pick<RiskComparison, "relation" | "exposed" | "unexposed">, what: string): string | null {
  switch (r.relation) {
    case "no-churn":
      return `nobody left within ${FOLLOW_UP_DAYS} days after any of them, so there is nothing to validate against`;
    case "too-few":
      return `with ${r.exposed.n} and ${r.unexposed.n} ${what} in the two groups, fewer than the ${MIN_VERDICT_UNITS} each that kei needs, no relation is claimed`;
    case "no-interval":
      return "one group has no leavers (or all come from one customer), so there is no interval and no relation is claimed";
    case "none-shown":
      return "the interval contains 1: no relation shown";
    default:
      return null;
  }
}

function riskSentence(
  r: RiskComparison,
  s: { exposed: string; unexposed: string; units: string; after: string },
): string {
  const head = `Customers leave within ${FOLLOW_UP_DAYS} days after ${pct(r.exposed.rate)} of ${s.exposed}, against ${pct(r.unexposed.rate)} after ${s.unexposed}`;
  const rr =
    r.relativeRisk === null
      ? ""
      : `: relative risk ${r2(r.relativeRisk)}, 95% interval ${ratioInterval(r.interval)} (clustered by customer, ${r.exposed.n + r.unexposed.n} ${s.units} of ${r.customers} customers)`;
  const why = noClaim(r, s.units);
  if (why) return `${head}${rr}; ${why}.`;
  if (r.relation === "more-leaving")
    return `${head}${rr}: ${s.exposed} are followed by more leaving${s.after}.`;
  return `${head}${rr}: unexpected, ${s.exposed} are followed by less leaving.`;
}

function correlationWords(r: number | null, more: string): string | null {
  if (r === null) return null;
  if (Math.abs(r) < 0.1)
    return `hardly related to leaving (correlation ${r.toFixed(3)} per job, under 0.1 in size)`;
  return r < 0
    ? `${more} go with less leaving (correlation ${r.toFixed(3)})`
    : `unexpected: ${more} go with more leaving (correlation ${r.toFixed(3)})`;
}

function monthWords(
  v: MonthlySeries,
  series: (number | null)[],
  ci: (readonly [number, number] | null)[],
  name: string,
  target: string,
  expectNegative: boolean,
): string {
  return v.lags
    .map((lag, i) => {
      const r = series[i] ?? null;
      const when = lag === 0 ? "the same month" : `${lag} month${lag > 1 ? "s" : ""} later`;
      const interval = ci[i] ?? null;
      const shown = interval !== null && (interval[0] > 0 || interval[1] < 0);
      const sign =
        r === null
          ? "n/a"
          : !shown
            ? "no relation shown"
            : r < 0
              ? `a higher ${name} with lower ${target}${expectNegative ? ", as expected" : ""}`
              : `a higher ${name} with higher ${target}${expectNegative ? ", unexpected" : ""}`;
      return `${when} r = ${r2(r)}${ci2(interval)}, ${sign}`;
    })
    .join("; ");
}

export function validationVerdict(v: Omit<Validation, "verdict">): string[] {
  const out: string[] = [];
  const weighted = v.weight === "value" ? " (weighted by annual value)" : "";
  if (v.cutoff === null) return ["No contacts in the store: nothing to validate."];
  const j = v.jobs;
  out.push(
    riskSentence(
      {
        exposed: j.notEffective,
        unexposed: j.effective,
        relativeRisk: j.relativeRisk,
        interval: j.relativeRiskCi,
        customers: j.customers,
        relation: j.relation,
      },
      {
        exposed: "jobs not done right the first time",
        unexposed: "jobs done right",
        units: "jobs",
        after: weighted,
      },
    ),
  );
  if (j.relation !== "no-churn") {
    const ease = correlationWords(j.easeCorrelation, "easier jobs");
    const emo = correlationWords(j.emotionCorrelation, "happier jobs");
    if (ease) out.push(`Ease: ${ease}.`);
    if (emo) out.push(`Emotion: ${emo}.`);
  }
  const n = v.nps;
  out.push(
    riskSentence(
      {
        exposed: n.detractors,
        unexposed: n.others,
        relativeRisk: n.relativeRisk,
        interval: n.relativeRiskCi,
        customers: n.customers,
        relation: n.relation,
      },
      {
        exposed: "NPS answers by detractors (0-6)",
        unexposed: "answers by other respondents",
        units: "answers",
        after: weighted,
      },
    ),
  );
  const s = v.sameCustomers;
  if (s) {
    const enough = [s.kei, s.nps].every((r) => r.relation !== "too-few" && r.relation !== "no-churn");
    if (!enough || s.ratio === null) {
      out.push(
        `The KEI against NPS on the same customers: ${s.units} NPS answers with a job in the ${LOOKBACK_DAYS} days before them, too few (or without leavers) to compare them.`,
      );
    } else {
      const ratio =
        s.ratioCi === null
          ? "no interval"
          : s.ratioCi[0] > 1
            ? "the KEI singles out leavers better than NPS"
            : s.ratioCi[1] < 1
              ? "NPS singles out leavers better than the KEI"
              : "no difference shown";
      out.push(
        `The KEI against NPS on the same ${s.units} answers of ${s.customers} customers (each with its jobs in the ${LOOKBACK_DAYS} days before it): the lowest-KEI ${pct(s.keiShareFlagged)} leave ${r2(s.kei.relativeRisk)} times as often as the others (${ratioInterval(s.kei.interval)}), the detractors (${pct(s.npsShareFlagged)}) ${r2(s.nps.relativeRisk)} times (${ratioInterval(s.nps.interval)}); ratio ${r2(s.ratio)} (${ratioInterval(s.ratioCi)}): ${ratio}.`,
      );
    }
  }
  const r = v.reach;
  if (r.leavers > 0) {
    out.push(
      `Of ${r.leavers} customers who left, ${pct(r.withContact / r.leavers)} had a contact in their last ${FOLLOW_UP_DAYS} days, so the KEI saw their experience; ${pct(r.withNpsAnswer / r.leavers)} had answered an NPS survey.`,
    );
  }
  const w = v.fittedWeights;
  if (w) {
    const iv = (k: "effectiveness" | "ease" | "emotion") =>
      `${w[k].toFixed(2)}${w.intervals ? ` (${w.intervals[k][0].toFixed(2)}-${w.intervals[k][1].toFixed(2)})` : ""}`;
    const oos = w.outOfSample;
    const held = oos
      ? ` On held-out customers the KEI with weights fitted on the others correlates with leaving ${r2(oos.fittedCorrelation)}, with equal weights ${r2(oos.equalCorrelation)}: ${oos.better ? "the fitted weights predict better" : oos.differenceInterval && oos.differenceInterval[0] > 0 ? "equal weights predict better" : "no better prediction shown"}.`
      : "";
    out.push(
      `Weights you could try, fitted to leaving on ${w.n} jobs: Effectiveness ${iv("effectiveness")}, Ease ${iv("ease")}, Emotion ${iv("emotion")} (95% bootstrap intervals by customer).${held} An offer to test (kei index --weights fitted), not a finding.`,
    );
  }
  const m = v.months;
  const dropped = m.dropped.length > 0 ? ` (${m.dropped.length} partial or not fully observed left out)` : "";
  if (m.month.length < 12) {
    out.push(`With ${m.month.length} complete months${dropped}, monthly comparisons say little yet.`);
  }
  if (m.month.length >= 4) {
    out.push(
      `Month by month over ${m.month.length} complete months${dropped}, indications, not proof: the KEI and churn ${monthWords(m, m.keiLeadsChurn, m.keiLeadsChurnCi, "KEI", "churn", true)}; NPS and churn ${monthWords(m, m.npsLeadsChurn, m.npsLeadsChurnCi, "NPS", "churn", true)}.`,
    );
    for (const [name, k] of Object.entries(m.kpis)) {
      out.push(
        `${name}: the KEI and ${name} ${monthWords(m, k.keiLeads, k.keiLeadsCi, "KEI", name, false)}.`,
      );
    }
  }
  return out;
}
