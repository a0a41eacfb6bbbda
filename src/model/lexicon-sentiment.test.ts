import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { sql } from "../store/sql.js";
import { textEmotionSql } from "./lexicon-sentiment.js";

describe("lexicon text emotion", () => {
  let store: DuckDBStore;
  beforeAll(async () => {
    store = await DuckDBStore.open(":memory:");
  });
  afterAll(async () => {
    await store.close();
  });
  const score = async (text: string | null) =>
    (
      await store.query<{ v: number | null }>(sql`SELECT ${textEmotionSql(store.dialect, sql`${text}`)} AS v`)
    )[0]?.v;

  it.each([
    ["Prima geholpen.", 100],
    ["Niet tevreden. Lang gewacht aan de telefoon.", 0],
    ["Quick and friendly", 100],
    ["De jaarafrekening klopt niet", 0],
    ["Onduidelijk, maar wel vriendelijk", 50],
    ["Not happy: the app does not work", 0],
    ["Snel geholpen, maar ik moest meerdere keren bellen", 50],
  ])("%s -> %d", async (text, want) => {
    expect(await score(text)).toBeCloseTo(want, 9);
  });

  it("gives no score without a lexicon hit or text", async () => {
    expect(await score("Meterstand doorgegeven")).toBeNull();
    expect(await score(null)).toBeNull();
  });
});
