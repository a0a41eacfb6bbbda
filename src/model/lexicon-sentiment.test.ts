import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { alias, sql } from "../store/sql.js";
import { NEGATED_TERMS, POSITIVE_TERMS, textEmotionSql, withTextEmotionSql } from "./lexicon-sentiment.js";

describe("lexicon text emotion", () => {
  let store: DuckDBStore;
  beforeAll(async () => {
    store = await DuckDBStore.open(":memory:");
  });
  afterAll(async () => {
    await store.close();
  });
  // Both ways give the same score: the one expression, and the three steps the jobs table uses.
  const score = async (text: string | null) => {
    const one = (
      await store.query<{ v: number | null }>(sql`SELECT ${textEmotionSql(store.dialect, sql`${text}`)} AS v`)
    )[0]?.v;
    const rows = sql`SELECT CAST(${text} AS VARCHAR) AS w`;
    const steps = (
      await store.query<{ v: number | null }>(
        sql`SELECT v FROM (${withTextEmotionSql(store.dialect, rows, alias("w"), "v")}) AS t`,
      )
    )[0]?.v;
    expect(steps).toBe(one);
    return one;
  };

  it.each([
    ["Prima geholpen.", 100],
    ["Niet tevreden. Lang gewacht aan de telefoon.", 0],
    ["Quick and friendly", 100],
    ["De jaarafrekening klopt niet", 0],
    ["Onduidelijk, maar wel vriendelijk", 50],
    ["Not happy: the app does not work", 0],
    ["Snel geholpen, maar ik moest meerdere keren bellen", 50],
    // Whole words only: "blij" is not in "blijft", "top" not in "stop"; the storing persists, the customer quits.
    ["De storing blijft, stop ermee", 0],
    ["VRIENDELIJK!!! en duidelijk...", 100],
    ["Zoë: héél tevreden", 100],
  ])("%s -> %d", async (text, want) => {
    expect(await score(text)).toBeCloseTo(want, 9);
  });

  it("gives no score without a lexicon hit or text", async () => {
    expect(await score("Meterstand doorgegeven")).toBeNull();
    expect(await score("Storingsdienst stopt")).toBeNull();
    expect(await score("Topdienst, ik blijf klant")).toBeNull();
    expect(await score(null)).toBeNull();
  });

  it("lists every negated phrase with the positive term it cancels", () => {
    for (const phrase of NEGATED_TERMS) {
      const words = ` ${phrase} `;
      expect(
        POSITIVE_TERMS.some((p) => words.includes(` ${p} `)),
        phrase,
      ).toBe(true);
    }
  });
});
