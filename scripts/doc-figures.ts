/**
 * `npm run docs:figures`: the figures docs/methodology.md quotes from the demo organisation, computed afresh, as
 * a Markdown table beside what the text says; exits 1 when they disagree. With `--write`, writes the code's
 * values into the text after their markers (`<!--fig:NAME-->`) first. See src/docs/doc-figures.ts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DOC_DEMO, demoDocFigures } from "../src/docs/doc-figures.js";
import { figureProblems, figureTable, rewriteFigures } from "../src/docs/figure-markers.js";

const doc = fileURLToPath(new URL("../docs/methodology.md", import.meta.url));
const figures = await demoDocFigures();
let text = await readFile(doc, "utf8");
if (process.argv.includes("--write")) {
  const written = rewriteFigures(text, figures);
  if (written !== text) await writeFile(doc, written);
  text = written;
}
console.log(`Figures of the demo organisation (${DOC_DEMO.customers} customers, seed ${DOC_DEMO.seed}):\n`);
console.log(figureTable(text, figures));
const problems = figureProblems(text, figures);
if (problems.length > 0) {
  console.error(`\n${problems.length} disagreement(s) with docs/methodology.md:\n${problems.join("\n")}`);
  process.exitCode = 1;
}
