/**
 * One job: tried online or through a contact, repeated until resolved, with waits, transfers, channel switches,
 * complaints and a survey that follow the reason's planted truth.
 */

import type { Rng } from "../stats/rng.js";
import { AFTER_ONLINE, CHANNELS, FIRST_CHANNEL, type GenChannel, type ReasonProfile } from "./catalogue.js";
import { survey } from "./simulate-survey.js";
import { onlineSession } from "./simulate-visits.js";
import { dayOf, formatLocal, type JobContext, month, monthIndex, timeOn } from "./simulation.js";
import { feedbackText } from "./text-templates.js";

export interface JobOutcome {
  failed: boolean;
  complaint: boolean;
  lastDay: number;
}

function otherChannel(rng: Rng, segment: "particulier" | "zakelijk", current: GenChannel): GenChannel {
  for (let i = 0; i < 10; i++) {
    const c = rng.weighted(FIRST_CHANNEL[segment]);
    if (c !== current) return c;
  }
  return current === "phone" ? "chat" : "phone";
}

export function simulateJob(ctx: JobContext, r: ReasonProfile, day: number): JobOutcome {
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
