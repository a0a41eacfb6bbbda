/**
 * The KEI's settings, with their defaults (docs/methodology.md explains each). Every number can be
 * overridden in kei.config.json under `analysis`.
 */

export interface EaseAnchors {
  /** Contacts per job at which the "extra contacts" penalty is full (1 contact = none). */
  readonly contacts: number;
  /** Channel switches at which that penalty is full. */
  readonly switches: number;
  /** Seconds waited in all (summed over the job's contacts) at which that penalty is full. */
  readonly waitSeconds: number;
  /** Transfers in all at which that penalty is full. */
  readonly transfers: number;
}

export interface KeiOptions {
  /** A contact for the same reason within this many days after the previous one joins its job. */
  readonly jobWindowDays: number;
  /** Web or app events on the reason's pages this many hours before a job's first contact: web-to-call. */
  readonly webWindowHours: number;
  /** More transfers than this in a job is an escalation loop. */
  readonly escalationTransfers: number;
  /** Cells with fewer jobs are suppressed. */
  readonly minCellSize: number;
  readonly easeAnchors: EaseAnchors;
  /** Weights of the five effort components of Ease; they sum to 1. */
  readonly easeWeights: {
    contacts: number;
    switches: number;
    wait: number;
    transfers: number;
    webToCall: number;
  };
  /** Weights of Effectiveness, Ease and Emotion in the KEI. */
  readonly weights: { effectiveness: number; ease: number; emotion: number };
  /** IANA zone for months and quarters. */
  readonly timeZone: string;
}

export const DEFAULT_KEI_OPTIONS: KeiOptions = {
  jobWindowDays: 7,
  webWindowHours: 24,
  escalationTransfers: 2,
  minCellSize: 30,
  easeAnchors: { contacts: 4, switches: 2, waitSeconds: 1800, transfers: 3 },
  easeWeights: { contacts: 0.3, switches: 0.15, wait: 0.2, transfers: 0.15, webToCall: 0.2 },
  weights: { effectiveness: 1 / 3, ease: 1 / 3, emotion: 1 / 3 },
  timeZone: "Europe/Amsterdam",
};

export function keiOptions(overrides: Partial<KeiOptions> = {}): KeiOptions {
  const o = { ...DEFAULT_KEI_OPTIONS, ...overrides };
  const sum = Object.values(o.easeWeights).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`the ease weights must sum to 1, they sum to ${sum}`);
  for (const [k, v] of Object.entries(o.easeAnchors)) {
    if (!(v > 0)) throw new Error(`ease anchor ${k} must be positive, got ${v}`);
  }
  if (o.easeAnchors.contacts < 2)
    throw new Error(`ease anchor contacts must be 2 or more, got ${o.easeAnchors.contacts}`);
  return o;
}
