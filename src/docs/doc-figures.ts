/**
 * Every figure docs/methodology.md quotes from the demo organisation (`DOC_DEMO`), computed by the analytics
 * themselves, so the text cannot go stale: the text marks each quoted figure (`<!--fig:NAME-->VALUE`,
 * figure-markers.ts), `doc-figures.test.ts` fails when a marked value differs from the code's, and
 * `npm run docs:figures -- --write` writes the code's values into the text.
 */
import type { Truth } from "../generate/truth.js";
import type { Store } from "../store/store.js";
import type { Figures } from "./figure-markers.js";
import { type Figure, keiFigures, oneAnchorFigures } from "./kei-figures.js";
import { validateFigures, webToCallFigures } from "./validate-figures.js";
import { withDemoStore } from "./with-demo-store.js";

export { DOC_DEMO } from "./with-demo-store.js";

/** The figures of an ingested demo store and its truth.json, by name, each as the text writes it. */
export async function computeDocFigures(store: Store, truth: Truth): Promise<Figures> {
  const all: Figure[] = [
    ...(await keiFigures(store, truth)),
    ...(await validateFigures(store)),
    ...(await webToCallFigures(store, truth)),
    // With other settings last: the store then rebuilds its jobs for them.
    ...(await oneAnchorFigures(store)),
  ];
  const figures: Record<string, string> = {};
  for (const [name, value] of all) {
    if (name in figures) throw new Error(`figure ${name} is computed twice`);
    figures[name] = value;
  }
  return figures;
}

/** The figures of the demo organisation, generated and ingested afresh (DuckDB, a temporary folder). */
export function demoDocFigures(): Promise<Figures> {
  return withDemoStore(computeDocFigures);
}
