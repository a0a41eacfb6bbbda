/**
 * docs/methodology.md against the code: every figure it quotes from the demo organisation behind a marker
 * (`<!--fig:NAME-->VALUE`) is the figure the analytics compute now, and every figure computed is quoted.
 * When this fails after a change to an analytic, `npm run docs:figures -- --write` writes the new values into
 * the text; then read the sentences around them, which may need new words too.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { demoDocFigures } from "./doc-figures.js";
import { type Figures, figureProblems, quotedFigures, rewriteFigures } from "./figure-markers.js";

const METHODOLOGY = fileURLToPath(new URL("../../docs/methodology.md", import.meta.url));

describe("figure markers", () => {
  const figures: Figures = {
    "a.rr": "2.95",
    "a.ci": "0.42-0.73",
    "b.when": "2026-07-11",
    "c.word": "waiting",
  };
  const text = [
    "risk <!--fig:a.rr-->2.95 (<!--fig:a.ci-->0.42-0.73), until <!--fig:b.when-->2026-07-11.",
    "<!--fig:c.word-->waiting weighs most; again <!--fig:a.rr-->2.95, and <!--fig:a.ci-->0.42-0.73%.",
  ].join("\n");

  it("reads the value right after each marker, without the sentence's punctuation", () => {
    expect(quotedFigures(text).map((q) => [q.name, q.quoted, q.line])).toEqual([
      ["a.rr", "2.95", 1],
      ["a.ci", "0.42-0.73", 1],
      ["b.when", "2026-07-11", 1],
      ["c.word", "waiting", 2],
      ["a.rr", "2.95", 2],
      ["a.ci", "0.42-0.73%", 2],
    ]);
  });

  it("names every disagreement: another value, a longer number, an unknown marker, a figure never quoted", () => {
    const wrong = `${text.replace("0.73%", "0.73")}\n<!--fig:a.rr-->2.951 <!--fig:z.gone-->1.0 <!--fig:a.ci-->`;
    expect(figureProblems(wrong, { ...figures, "d.new": "7" })).toEqual([
      'line 3: fig:a.rr says "2.951", the code gives "2.95"',
      "line 3: fig:z.gone names no figure the code computes",
      'line 3: fig:a.ci says null, the code gives "0.42-0.73"',
      'fig:d.new ("7") is quoted nowhere in the text',
    ]);
    expect(figureProblems(text.replace("0.73%", "0.73"), figures)).toEqual([]);
  });

  it("rewrites the values after the markers and nothing else", () => {
    const next = { ...figures, "a.rr": "3.01", "a.ci": "0.4-0.8" };
    const rewritten = rewriteFigures(text.replace("0.73%", "0.73"), next);
    expect(rewritten).toBe(
      text.replace("0.73%", "0.73").replaceAll("2.95", "3.01").replaceAll("0.42-0.73", "0.4-0.8"),
    );
    expect(figureProblems(rewritten, next)).toEqual([]);
  });
});

describe("docs/methodology.md quotes the demo organisation's figures as the code computes them", () => {
  let figures: Figures = {};
  let text = "";
  beforeAll(async () => {
    figures = await demoDocFigures();
    text = await readFile(METHODOLOGY, "utf8");
  }, 120_000);

  it("agrees on every marked figure (fix: npm run docs:figures -- --write)", () => {
    expect(figureProblems(text, figures)).toEqual([]);
  });
});
