/**
 * One customer's 18 months at the fictional energy supplier: their jobs (one thing they try to get
 * done, on one contact reason), each tried online or through a contact, repeated until resolved, with
 * waits, transfers, channel switches, complaints and feedback that follow the reason's planted truth,
 * and a chance to leave that rises with every failed job.
 */

import type { Rng } from "../stats/rng.js";
import {
  CHURN,
  PRODUCTS,
  REASON_BY_CODE,
  REASONS,
  REGIONS,
  type ReasonProfile,
  SEGMENTS,
} from "./catalogue.js";
import { simulateJob } from "./simulate-job.js";
import { browse } from "./simulate-visits.js";
import { DAYS, dateOf, type JobContext, month, monthIndex, type Sink, type Tally } from "./simulation.js";

const JOB_SPACING_DAYS = 14;

function seasonWeight(code: string, day: number): number {
  const m = monthIndex(day) % 12;
  if (code === "jaarafrekening") return m >= 1 && m <= 3 ? 3 : 0.6;
  if (code === "storing") return m <= 1 || m >= 10 ? 2 : 0.7;
  return 1;
}

function drawDays(rng: Rng, r: ReasonProfile, from: number, to: number, scale: number): number[] {
  const n = rng.poisson((r.perYear * scale * (to - from)) / 365);
  const days: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let tries = 0; tries < 20; tries++) {
      const d = rng.int(from, to - 1);
      if (rng.next() * 3 < seasonWeight(r.code, d)) {
        days.push(d);
        break;
      }
    }
  }
  return days;
}

export function simulateCustomer(rng: Rng, index: number, sink: Sink, tally: Tally): void {
  const id = `C${String(index + 1).padStart(7, "0")}`;
  const segment = rng.weighted(SEGMENTS) as keyof typeof PRODUCTS;
  const product = rng.weighted(PRODUCTS[segment]);
  const region = rng.pick(REGIONS);
  const value = segment === "zakelijk" ? rng.lognormal(14000, 0.8) : rng.lognormal(1900, 0.3);
  const isNew = rng.chance(0.22);
  const startDay = isNew ? rng.int(0, DAYS - 60) : -rng.int(30, 4500);
  const from = Math.max(0, startDay);
  const scale = segment === "zakelijk" ? 1.3 : 1;
  let churnDay = from + Math.floor(rng.exponential(30.44 / CHURN.baseMonthly));

  const jobs: { day: number; reason: ReasonProfile }[] = [];
  for (const r of REASONS)
    for (const d of drawDays(rng, r, from, DAYS, scale)) jobs.push({ day: d, reason: r });
  if (isNew) {
    jobs.push({ day: startDay, reason: REASON_BY_CODE.get("aanmelden") as ReasonProfile });
    if (rng.chance(0.6))
      jobs.push({
        day: startDay + rng.int(1, 4),
        reason: REASON_BY_CODE.get("overstappen") as ReasonProfile,
      });
  }
  jobs.sort((a, b) => a.day - b.day || a.reason.code.localeCompare(b.reason.code));

  const lastEnd = new Map<string, number>();
  let failedJobs = 0;
  const ctx: JobContext = { rng, sink, tally, customer: id, segment };
  for (const job of jobs) {
    if (job.day >= churnDay || job.day >= DAYS) break;
    const prev = lastEnd.get(job.reason.code);
    if (prev !== undefined && job.day < prev + JOB_SPACING_DAYS) continue;
    const out = simulateJob(ctx, job.reason, job.day);
    lastEnd.set(job.reason.code, out.lastDay);
    if (out.failed) {
      failedJobs++;
      if (rng.chance(out.complaint ? CHURN.perComplaintJob : CHURN.perFailedJob)) {
        churnDay = Math.min(churnDay, out.lastDay + rng.int(5, 90));
      }
    }
  }
  const left = churnDay < DAYS;
  if (left && rng.chance(CHURN.cancelContact)) {
    const day = Math.max(from, churnDay - rng.int(3, 20));
    const prev = lastEnd.get("opzeggen");
    if (prev === undefined || day >= prev + JOB_SPACING_DAYS)
      simulateJob(ctx, REASON_BY_CODE.get("opzeggen") as ReasonProfile, day);
  }
  browse(ctx, from, left ? churnDay : DAYS);

  const c = tally.churn;
  if (failedJobs > 0) {
    c.withFailed++;
    if (left) c.withFailedLeft++;
  } else {
    c.withoutFailed++;
    if (left) c.withoutFailedLeft++;
  }
  const endDay = left ? churnDay : DAYS;
  for (let m = monthIndex(from); m <= monthIndex(endDay - 1); m++) {
    const k = month(tally, m, segment);
    k.active++;
    k.revenue += value / 12;
  }
  if (left) month(tally, monthIndex(churnDay), segment).left++;
  sink.customer([
    id,
    segment,
    product,
    region,
    dateOf(startDay),
    left ? dateOf(churnDay) : null,
    value.toFixed(2),
  ]);
}
