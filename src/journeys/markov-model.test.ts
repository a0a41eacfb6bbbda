/**
 * The Markov model by hand, and on the demo organisation: the probability that a web or app visit on a reason ends
 * up in a contact on that reason is the planted web-to-call rate, within sampling error.
 *
 * By hand: case 1 web -> phone (1 h later) -> survey (2 h later); case 2 web -> phone (3 h); case 3 web, then
 * phone 3 days later (a new episode); case 4 phone -> phone (a day and a half later: new episode).
 * Transitions: web -> phone 2, web -> END 1; phone -> survey 1, phone -> END 4 (cases 2, 3, 4, 4);
 * survey -> END 1. So P(web -> phone) = 2/3; with phone as target, from web: 2/3 in 1 + 1/3 x 0 steps... expected
 * steps from web: 1 (every path takes one step to a target or the end).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import type { Truth } from "../generate/truth.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { buildLog } from "./event-log.js";
import { absorption, END, markovModel, nextSteps, stateActivity } from "./markov-model.js";
import { storedJourneyLog } from "./stored-journeys.js";
import { storedMarkov } from "./stored-markov.js";

const h = (n: number) => Date.UTC(2025, 0, 1) + n * 3600_000;

describe("markovModel", () => {
  const log = buildLog([
    { caseId: "1", event: { activity: "web", time: h(0) } },
    { caseId: "1", event: { activity: "phone", time: h(1) } },
    { caseId: "1", event: { activity: "survey", time: h(3) } },
    { caseId: "2", event: { activity: "web", time: h(0) } },
    { caseId: "2", event: { activity: "phone", time: h(3) } },
    { caseId: "3", event: { activity: "web", time: h(0) } },
    { caseId: "3", event: { activity: "phone", time: h(72) } },
    { caseId: "4", event: { activity: "phone", time: h(0) } },
    { caseId: "4", event: { activity: "phone", time: h(36) } },
  ]);
  const model = markovModel(log, 24);

  it("counts transitions within 24 h episodes", () => {
    expect(model.transitions.map((t) => [t.from, t.to, t.count])).toEqual([
      ["phone", END, 4],
      ["phone", "survey", 1],
      ["survey", END, 1],
      ["web", "phone", 2],
      ["web", END, 1],
    ]);
    expect(nextSteps(model, "web")[0]?.probability).toBeCloseTo(2 / 3, 12);
  });

  it("gives absorbing probabilities and expected steps", () => {
    const a = absorption(model, (s) => s === "phone");
    const web = a.find((x) => x.state === "web");
    expect(web?.probability).toBeCloseTo(2 / 3, 12);
    expect(web?.expectedSteps).toBeCloseTo(1, 12);
    // survey only ends; reaching phone from it is impossible.
    expect(a.find((x) => x.state === "survey")?.probability).toBe(0);
  });

  it("second order: the next step depends on the last two activities", () => {
    // Case 1: web, web>phone, phone>survey, END. Case 2: web, web>phone, END. Case 3: web, END; phone, END
    // (a new episode). Case 4: phone, END; phone, END.
    const m2 = markovModel(log, 24, 2);
    expect(m2.transitions.map((t) => [t.from, t.to, t.next, t.count])).toEqual([
      ["phone", END, END, 3],
      ["phone > survey", END, END, 1],
      ["web", "web > phone", "phone", 2],
      ["web", END, END, 1],
      ["web > phone", END, END, 1],
      ["web > phone", "phone > survey", "survey", 1],
    ]);
    // After web then phone, a survey follows half the time; after phone alone (first order) one time in five.
    expect(nextSteps(m2, "web > phone").find((t) => t.next === "survey")?.probability).toBe(0.5);
    expect(nextSteps(model, "phone").find((t) => t.next === "survey")?.probability).toBe(0.2);
    // Absorption works on the activity a state stands for: from web, P(reaches survey) = 2/3 x 1/2.
    const a = absorption(m2, (s) => stateActivity(s) === "survey");
    expect(a.find((x) => x.state === "web")?.probability).toBeCloseTo(1 / 3, 12);
    expect(a.find((x) => x.state === "web")?.expectedSteps).toBeCloseTo(1 + 2 / 3, 12);
  });
});

describe("on the demo organisation", () => {
  it("a visit on a reason's pages ends up in a contact on that reason at the planted web-to-call rate", async () => {
    const dir = await tempDir();
    await generateOrganisation({ outDir: join(dir, "data"), customers: 4000, seed: 21 });
    const truth = JSON.parse(await readFile(join(dir, "data", "truth.json"), "utf8")) as Truth;
    const store = await DuckDBStore.open(join(dir, "kei.duckdb"));
    try {
      await store.ensureSchema();
      await ingestFiles(store, [join(dir, "data")], {
        timeZone: "Europe/Amsterdam",
        rejectsPath: join(dir, "r.csv"),
      });
      // Counted in the database; the same model as counted in kei from the journey log.
      const model = await storedMarkov(store, 24);
      expect(model).toEqual(markovModel(await storedJourneyLog(store), 24));
      for (const reason of ["meterstand_doorgeven", "termijnbedrag_aanpassen", "storing", "jaarafrekening"]) {
        const planted = truth.reasons[reason];
        if (!planted) throw new Error(reason);
        const isContact = (s: string) => s.endsWith(`:${reason}`) && !s.startsWith("visit:");
        const a = absorption(model, isContact);
        const web = a.find((x) => x.state === `visit:web:${reason}`);
        const n = planted.realised.online_attempts;
        const se = Math.sqrt((planted.web_to_call * (1 - planted.web_to_call)) / n);
        // Within 3 standard errors, plus a little for contacts on the reason that follow a successful visit by chance.
        expect(Math.abs((web?.probability ?? 0) - planted.web_to_call), reason).toBeLessThan(3 * se + 0.02);
      }
    } finally {
      await store.close();
    }
  }, 120_000);
});
