/**
 * One customer's 18 months at the fictional energy supplier: their jobs (one thing they try to get
 * done, on one contact reason), each tried online or through a contact, repeated until resolved, with
 * waits, transfers, channel switches, complaints and feedback that follow the reason's planted truth,
 * and a chance to leave that rises with every failed job.
 */
import { zonedWallTimeToEpoch, zoneOffsetSeconds } from "../schema/local-time.js";
import {
  AFTER_ONLINE,
  CHANNELS,
  CHURN,
  FIRST_CHANNEL,
  GENERIC_PAGES,
  type GenChannel,
  PRODUCTS,
  REASON_BY_CODE,
  REASONS,
  REGIONS,
  type ReasonProfile,
  SEGMENTS,
} from "./catalogue.js";
import type { Cell } from "./csv-writer.js";
import type { Rng } from "./random.js";
import { feedbackText } from "./text-templates.js";

const ZONE = "Europe/Amsterdam";
/** 2025-01-01 00:00 as wall-clock seconds; the history runs 546 days, to 2026-06-30. */
const WALL_START = Date.UTC(2025, 0, 1) / 1000;
export const DAYS = 546;
const DAY = 86400;
/** Independent jobs on the same reason are at least this far apart, so the 7-day job rule finds exactly them. */
const JOB_SPACING_DAYS = 14;

export interface Sink {
  customer(cells: Cell[]): void;
  contact(cells: Cell[]): void;
  web(cells: Cell[]): void;
  feedback(cells: Cell[]): void;
  nextId(kind: "K" | "W" | "S" | "F"): string;
}

/** Counts kept while simulating, for truth.json (realised rates) and kpis.csv. */
export interface Tally {
  reasons: Map<
    string,
    { jobs: number; firstTime: number; online: number; onlineFailed: number; contacts: number; cost: number }
  >;
  agentResolvedWhenRepeated: { yes: number; all: number };
  agentResolvedWhenResolved: { yes: number; all: number };
  churn: { withFailed: number; withFailedLeft: number; withoutFailed: number; withoutFailedLeft: number };
  /** Per month index 0..17 and segment. */
  months: Map<
    string,
    { contacts: number; repeats: number; complaints: number; active: number; left: number; revenue: number }
  >;
}

export function newTally(): Tally {
  return {
    reasons: new Map(
      REASONS.map((r) => [
        r.code,
        { jobs: 0, firstTime: 0, online: 0, onlineFailed: 0, contacts: 0, cost: 0 },
      ]),
    ),
    agentResolvedWhenRepeated: { yes: 0, all: 0 },
    agentResolvedWhenResolved: { yes: 0, all: 0 },
    churn: { withFailed: 0, withFailedLeft: 0, withoutFailed: 0, withoutFailedLeft: 0 },
    months: new Map(),
  };
}

/** ISO 8601 with the Amsterdam offset in force, e.g. 2025-03-01T09:30:00+01:00. */
export function formatLocal(epoch: number): string {
  const off = zoneOffsetSeconds(ZONE, epoch);
  const local = new Date((epoch + off) * 1000).toISOString().slice(0, 19);
  const h = Math.floor(Math.abs(off) / 3600);
  const m = Math.floor((Math.abs(off) % 3600) / 60);
  return `${local}${off < 0 ? "-" : "+"}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

const dateOf = (day: number) => new Date((WALL_START + day * DAY) * 1000).toISOString().slice(0, 10);
const monthIndex = (day: number) => {
  const d = new Date((WALL_START + day * DAY) * 1000);
  return (d.getUTCFullYear() - 2025) * 12 + d.getUTCMonth();
};

/** Epoch of `day` at a local time drawn within the channel's opening hours. */
function timeOn(rng: Rng, day: number, hours: readonly [number, number]): number {
  const wall = WALL_START + day * DAY + Math.floor(rng.uniform(hours[0], hours[1]) * 3600);
  return zonedWallTimeToEpoch(wall, ZONE);
}

const dayOf = (epoch: number) => Math.floor((epoch + zoneOffsetSeconds(ZONE, epoch) - WALL_START) / DAY);

/** Seasonality: the annual bill peaks in February-April, outages in winter. */
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

interface JobOutcome {
  failed: boolean;
  complaint: boolean;
  lastDay: number;
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

function month(tally: Tally, m: number, segment: string) {
  const key = `${m}|${segment}`;
  let k = tally.months.get(key);
  if (!k) {
    k = { contacts: 0, repeats: 0, complaints: 0, active: 0, left: 0, revenue: 0 };
    tally.months.set(key, k);
  }
  return k;
}

interface JobContext {
  rng: Rng;
  sink: Sink;
  tally: Tally;
  customer: string;
  segment: "particulier" | "zakelijk";
}

function otherChannel(rng: Rng, segment: "particulier" | "zakelijk", current: GenChannel): GenChannel {
  for (let i = 0; i < 10; i++) {
    const c = rng.weighted(FIRST_CHANNEL[segment]);
    if (c !== current) return c;
  }
  return current === "phone" ? "chat" : "phone";
}

/** An online attempt on the reason's pages; returns the session's last event time. */
function onlineSession(ctx: JobContext, r: ReasonProfile, day: number, fails: boolean): number {
  const { rng, sink } = ctx;
  const channel = rng.chance(0.35) ? "app" : "web";
  const session = sink.nextId("S");
  let t = timeOn(rng, day, [7, 23]);
  const events: [string, string, string | null][] = [];
  if (r.pages.some((p) => p.startsWith("/mijn"))) events.push(["/mijn", "login", null]);
  for (const p of r.pages) events.push([p, "view", r.code]);
  events.push([r.pages[r.pages.length - 1] as string, "submit", r.code]);
  if (fails && rng.chance(0.7)) events.push([r.pages[r.pages.length - 1] as string, "error", r.code]);
  if (!fails) events.push([r.pages[0] as string, "view", r.code]);
  for (const [page, action, reason] of events) {
    sink.web([sink.nextId("W"), session, ctx.customer, formatLocal(t), channel, page, reason, action]);
    t += rng.int(10, 150);
  }
  return t;
}

function simulateJob(ctx: JobContext, r: ReasonProfile, day: number): JobOutcome {
  const { rng, sink, tally } = ctx;
  const stats = tally.reasons.get(r.code);
  if (!stats) throw new Error(`unknown reason ${r.code}`);
  let t: number;
  let channel: GenChannel;
  if (rng.chance(r.online)) {
    stats.online++;
    const fails = rng.chance(r.webToCall);
    const end = onlineSession(ctx, r, day, fails);
    if (!fails) return { failed: false, complaint: false, lastDay: day };
    stats.onlineFailed++;
    t = end + rng.int(1200, 20 * 3600);
    channel = rng.weighted(AFTER_ONLINE);
  } else {
    channel = rng.weighted(FIRST_CHANNEL[ctx.segment]);
    t = timeOn(rng, day, CHANNELS[channel].hours);
  }
  stats.jobs++;
  const ease = r.ease;
  let complaint = false;
  let lastContact = "";
  let contacts = 0;
  for (let k = 1; ; k++) {
    const resolved = k >= 5 || rng.chance(k === 1 ? r.fcr : Math.min(0.95, r.fcr + 0.2 * (k - 1)));
    if (k === 1 && resolved) stats.firstTime++;
    const isComplaint: boolean = !complaint && k >= 3 && rng.chance(0.55);
    complaint ||= isComplaint;
    const ch = CHANNELS[channel];
    const escalation = !resolved && rng.chance(0.22);
    const transfers = escalation ? 3 + rng.poisson(0.5) : rng.poisson((100 - ease) / 70);
    const wait = Math.round(rng.lognormal(ch.wait * (1 + (100 - ease) / 35), 0.5));
    const handle = Math.round(rng.lognormal(ch.handle * (1 + (100 - ease) / 120), 0.4));
    const agentSays = resolved ? rng.chance(0.96) : rng.chance(0.64);
    const bucket = resolved ? tally.agentResolvedWhenResolved : tally.agentResolvedWhenRepeated;
    bucket.all++;
    if (agentSays) bucket.yes++;
    const cost = rng.chance(0.85) ? ch.cost.toFixed(2) : null;
    const id = sink.nextId("K");
    const direction = k > 1 && rng.chance(0.08) ? "outbound" : "inbound";
    sink.contact([
      id,
      ctx.customer,
      formatLocal(t),
      channel,
      r.code,
      direction,
      wait,
      handle,
      transfers,
      agentSays,
      isComplaint,
      cost,
    ]);
    stats.contacts++;
    stats.cost += ch.cost;
    contacts++;
    const m = month(tally, monthIndex(dayOf(t)), ctx.segment);
    m.contacts++;
    if (k > 1) m.repeats++;
    if (isComplaint) {
      m.complaints++;
      const lang = rng.chance(0.1) ? "en" : "nl";
      sink.feedback([
        sink.nextId("F"),
        ctx.customer,
        id,
        formatLocal(t + rng.int(600, 7200)),
        "complaint",
        null,
        null,
        null,
        feedbackText(rng, lang, r.topics, 0.05, true),
        lang,
      ]);
    }
    lastContact = id;
    if (resolved) break;
    // The repeat comes 1-5 days later, within the 7-day job window, often on another channel.
    const switchChance = 0.15 + (100 - ease) / 200;
    channel = rng.chance(switchChance) ? otherChannel(rng, ctx.segment, channel) : channel;
    t = timeOn(rng, dayOf(t) + rng.int(1, 5), CHANNELS[channel].hours);
  }
  if (rng.chance(0.2)) survey(ctx, r, t, lastContact, contacts, complaint);
  return { failed: contacts > 1 || complaint, complaint, lastDay: dayOf(t) };
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** A survey after the job's last contact; scores and tone follow the reason's emotion and the job's course. */
function survey(
  ctx: JobContext,
  r: ReasonProfile,
  t: number,
  contact: string,
  contacts: number,
  complaint: boolean,
): void {
  const { rng, sink } = ctx;
  const x = clamp(
    r.emotion / 100 - 0.1 * (contacts - 1) - (complaint ? 0.12 : 0) + 0.08 * rng.normal(),
    0,
    1,
  );
  // Recommendation skews high in real surveys: a middling experience (x = 0.5) answers 7, a good one 9-10.
  const nps = clamp(Math.round(2.5 + 8.5 * x + 1.4 * rng.normal()), 0, 10);
  const full = rng.chance(0.8);
  const ces = full
    ? clamp(Math.round(1 + (6 * r.ease) / 100 - 0.5 * (contacts - 1) + 0.7 * rng.normal()), 1, 7)
    : null;
  const csat = full ? clamp(Math.round(1 + 4 * x + 0.6 * rng.normal()), 1, 5) : null;
  const lang = rng.chance(0.1) ? "en" : "nl";
  const text = rng.chance(0.65) ? feedbackText(rng, lang, r.topics, x, contacts > 1) : null;
  const language = text && rng.chance(0.7) ? lang : null;
  sink.feedback([
    sink.nextId("F"),
    ctx.customer,
    contact,
    formatLocal(t + rng.int(3600, 48 * 3600)),
    "survey",
    nps,
    ces,
    csat,
    text,
    language,
  ]);
}

/** Browsing without a job: generic pages, now and then a search; some visitors not logged in. */
function browse(ctx: JobContext, from: number, to: number): void {
  const { rng, sink } = ctx;
  const sessions = rng.poisson((2 * (to - from)) / 365);
  for (let s = 0; s < sessions; s++) {
    const channel = rng.chance(0.3) ? "app" : "web";
    const anonymous = rng.chance(0.15);
    const session = sink.nextId("S");
    let t = timeOn(rng, rng.int(from, Math.max(from, to - 1)), [7, 23]);
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) {
      const action = rng.chance(0.15) ? "search" : "view";
      sink.web([
        sink.nextId("W"),
        session,
        anonymous ? null : ctx.customer,
        formatLocal(t),
        channel,
        rng.pick(GENERIC_PAGES),
        null,
        action,
      ]);
      t += rng.int(5, 120);
    }
  }
  if (rng.chance(0.03)) {
    const lang = rng.chance(0.15) ? "en" : "nl";
    const r = rng.pick(REASONS);
    const t = timeOn(rng, rng.int(from, Math.max(from, to - 1)), [8, 23]);
    sink.feedback([
      sink.nextId("F"),
      ctx.customer,
      null,
      formatLocal(t),
      rng.chance(0.5) ? "review" : "social",
      null,
      null,
      null,
      feedbackText(rng, lang, r.topics, r.emotion / 100, false),
      null,
    ]);
  }
}
