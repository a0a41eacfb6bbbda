/**
 * truth.json: what the fictional organisation was built to contain (planted) and what the draw
 * produced (realised), so analytics can be tested against it.
 */
import { CHANNELS, CHURN, REASONS } from "./catalogue.js";
import type { Tally } from "./simulation.js";
import { PLANTED_TOPICS } from "./text-templates.js";

export interface ReasonTruth {
  label_nl: string;
  label_en: string;
  lifecycle_stage: string;
  colour: string;
  /** Planted chance that the first contact of a job resolves it. */
  fcr: number;
  /** Planted ease 0-100 (waits, transfers, channel switches grow as it falls). */
  ease: number;
  /** Planted emotion 0-100 (survey scores and tone of text follow it). */
  emotion: number;
  /** Planted chance that an online attempt fails and a contact follows within 24 h. */
  web_to_call: number;
  failing_online_flow: boolean;
  /** Mean channel cost per contact-job, realised. */
  cost_eur: number;
  topics: string[];
  realised: {
    /** Jobs with at least one contact. */
    jobs: number;
    /** Share of those resolved at the first contact. */
    fcr: number;
    online_attempts: number;
    /** Share of online attempts followed by a contact within 24 h. */
    web_to_call: number;
    contacts: number;
  };
}

export interface Truth {
  seed: number;
  customers: number;
  period: { from: string; to: string };
  time_zone: string;
  reasons: Record<string, ReasonTruth>;
  /** The agents' `resolved` flag against behaviour. */
  agent_resolved_gap: { resolved_flag_when_repeat_followed: number; resolved_flag_when_resolved: number };
  churn: {
    model: string;
    base_monthly: number;
    per_failed_job_90d: number;
    per_complaint_job_90d: number;
    realised: {
      left_share_with_failed_jobs: number;
      left_share_without_failed_jobs: number;
      customers_with_failed_jobs: number;
      customers_without_failed_jobs: number;
    };
  };
  channels: Record<string, { cost_per_contact_eur: number }>;
  topics: string[];
}

const share = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function buildTruth(seed: number, customers: number, tally: Tally): Truth {
  const byWebToCall = [...REASONS].sort((a, b) => b.webToCall - a.webToCall);
  const failing = new Set(byWebToCall.filter((r) => r.webToCall >= 0.3).map((r) => r.code));
  const reasons: Record<string, ReasonTruth> = {};
  for (const r of REASONS) {
    const s = tally.reasons.get(r.code);
    if (!s) continue;
    reasons[r.code] = {
      label_nl: r.label_nl,
      label_en: r.label_en,
      lifecycle_stage: r.lifecycle_stage,
      colour: r.colour,
      fcr: r.fcr,
      ease: r.ease,
      emotion: r.emotion,
      web_to_call: r.webToCall,
      failing_online_flow: failing.has(r.code),
      cost_eur: Number(share(s.cost, s.jobs).toFixed(2)),
      topics: [...r.topics],
      realised: {
        jobs: s.jobs,
        fcr: share(s.firstTime, s.jobs),
        online_attempts: s.online,
        web_to_call: share(s.onlineFailed, s.online),
        contacts: s.contacts,
      },
    };
  }
  const c = tally.churn;
  return {
    seed,
    customers,
    period: { from: "2025-01-01", to: "2026-06-30" },
    time_zone: "Europe/Amsterdam",
    reasons,
    agent_resolved_gap: {
      resolved_flag_when_repeat_followed: share(
        tally.agentResolvedWhenRepeated.yes,
        tally.agentResolvedWhenRepeated.all,
      ),
      resolved_flag_when_resolved: share(
        tally.agentResolvedWhenResolved.yes,
        tally.agentResolvedWhenResolved.all,
      ),
    },
    churn: {
      model:
        "leave date = earliest of a base exponential (base_monthly hazard) and, per failed job (a repeat contact or a complaint), with chance per_failed_job_90d (per_complaint_job_90d with a complaint) a date 5-90 days after the job",
      base_monthly: CHURN.baseMonthly,
      per_failed_job_90d: CHURN.perFailedJob,
      per_complaint_job_90d: CHURN.perComplaintJob,
      realised: {
        left_share_with_failed_jobs: share(c.withFailedLeft, c.withFailed),
        left_share_without_failed_jobs: share(c.withoutFailedLeft, c.withoutFailed),
        customers_with_failed_jobs: c.withFailed,
        customers_without_failed_jobs: c.withoutFailed,
      },
    },
    channels: Object.fromEntries(
      Object.entries(CHANNELS).map(([k, v]) => [k, { cost_per_contact_eur: v.cost }]),
    ),
    topics: [...PLANTED_TOPICS],
  };
}
