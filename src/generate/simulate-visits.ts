/** Web and app visits: an online attempt at a job on its reason's pages, and browsing without a job. */
import { GENERIC_PAGES, REASONS, type ReasonProfile } from "./catalogue.js";
import { formatLocal, type JobContext, timeOn } from "./simulation.js";
import { feedbackText } from "./text-templates.js";

/** An online attempt on the reason's pages; returns the session's last event time. */
export function onlineSession(ctx: JobContext, r: ReasonProfile, day: number, fails: boolean): number {
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

/** Browsing without a job: generic pages, now and then a search; some visitors not logged in. */
export function browse(ctx: JobContext, from: number, to: number): void {
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
