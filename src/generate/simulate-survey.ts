/** A survey after a job's last contact. */
import type { ReasonProfile } from "./catalogue.js";
import { formatLocal, type JobContext } from "./simulation.js";
import { feedbackText } from "./text-templates.js";

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** A survey after the job's last contact; scores and tone follow the reason's emotion and the job's course. */
export function survey(
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
