/**
 * A small Dutch and English sentiment lexicon, scored in SQL, so Emotion can use open text until the
 * text-mining issue brings a proper scorer (stemming, negation scope, emotions). A text's score is
 * (positive hits - negative hits) / (all hits), from -1 to 1; no hit, no score. Terms match as lower-case
 * substrings, so each positive term that a negation turns around is listed again, negated, as negative:
 * "niet tevreden" then counts as one negative and cancels the positive "tevreden" inside it.
 */
import type { Dialect } from "../store/dialect/dialect.js";
import { join, type Sql, sql } from "../store/sql.js";

export const POSITIVE_TERMS = [
  "tevreden",
  "snel geholpen",
  "vriendelijk",
  "duidelijk",
  "prima",
  "top",
  "goed geregeld",
  "makkelijk",
  "handig",
  "fijn",
  "blij",
  "netjes",
  "vlot",
  "klopt",
  "opgelost",
  "super",
  "great",
  "happy",
  "quick",
  "friendly",
  "clear",
  "easy",
  "helpful",
  "fine",
  "fair",
  "smooth",
  "solved",
] as const;

export const NEGATIVE_TERMS = [
  "slecht",
  "lang gewacht",
  "in de wacht",
  "teleurgesteld",
  "boos",
  "niet geholpen",
  "geen antwoord",
  "te hoog",
  "lukt niet",
  "werkt niet",
  "fout",
  "vast",
  "nog steeds",
  "meerdere keren",
  "moeilijk",
  "niet opdagen",
  "disappointed",
  "wrong",
  "too high",
  "waited",
  "on hold",
  "crash",
  "never",
  "poor",
  "hard",
  "failing",
  "not accept",
  "does not work",
  "not work",
] as const;

/** Negated positives: each cancels its positive and counts as a negative. */
export const NEGATED_TERMS = [
  "niet tevreden",
  "onduidelijk",
  "niet duidelijk",
  "niet vriendelijk",
  "niet makkelijk",
  "niet handig",
  "niet prima",
  "niet opgelost",
  "klopt niet",
  "not happy",
  "unhappy",
  "not helpful",
  "unhelpful",
  "not clear",
  "unclear",
  "not easy",
  "not fine",
  "not solved",
  "not quick",
] as const;

/** Number of terms found in the text, parenthesised so it can be subtracted as a whole. */
function hits(terms: readonly string[], text: Sql): Sql {
  const each = terms.map((t) => sql`(CASE WHEN lower(${text}) LIKE ${`%${t}%`} THEN 1 ELSE 0 END)`);
  return sql`(${join(each, " + ")})`;
}

/** Sentiment of a text column as an Emotion signal on 0-100 (50 + 50 x score), NULL without a lexicon hit. */
export function textEmotionSql(_d: Dialect, text: Sql): Sql {
  const pos = sql`(${hits(POSITIVE_TERMS, text)} - ${hits(NEGATED_TERMS, text)})`;
  // A negated term also matched its positive: taking it off the positives and adding it to the negatives
  // turns that one hit around.
  const neg = sql`(${hits(NEGATIVE_TERMS, text)} + ${hits(NEGATED_TERMS, text)})`;
  return sql`CASE WHEN ${text} IS NULL OR (${pos}) + (${neg}) <= 0 THEN NULL
    ELSE 50.0 + 50.0 * ((${pos}) - (${neg})) / ((${pos}) + (${neg})) END`;
}
