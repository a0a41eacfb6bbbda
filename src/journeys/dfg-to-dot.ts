/**
 * A directly-follows graph as Graphviz DOT, to look at rather than read: `dot -Tsvg dfg.dot > dfg.svg`, or paste it
 * into any online Graphviz viewer. Edges are labelled with their count and median time, and drawn thicker the more
 * often they are taken; start and end counts hang off two extra nodes, as pm4py and Disco draw them.
 */
import type { Dfg } from "./discover-dfg.js";

const quote = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;

function hours(seconds: number): string {
  return seconds < 3600 ? `${(seconds / 60).toFixed(0)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

export function dfgToDot(dfg: Dfg): string {
  const max = Math.max(
    1,
    ...dfg.edges.map((e) => e.count),
    ...Object.values(dfg.start),
    ...Object.values(dfg.end),
  );
  const width = (n: number) => (1 + (5 * n) / max).toFixed(2);
  const lines = [
    "digraph dfg {",
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  "__start" [label="start", shape=circle, fillcolor="#cfe8cf"];',
    '  "__end" [label="end", shape=doublecircle, fillcolor="#f4d0d0"];',
  ];
  for (const [a, n] of Object.entries(dfg.start).sort())
    lines.push(`  "__start" -> ${quote(a)} [label="${n}", penwidth=${width(n)}, style=dashed];`);
  for (const e of dfg.edges)
    lines.push(
      `  ${quote(e.from)} -> ${quote(e.to)} [label="${e.count} (${hours(e.medianSeconds)})", penwidth=${width(e.count)}];`,
    );
  for (const [a, n] of Object.entries(dfg.end).sort())
    lines.push(`  ${quote(a)} -> "__end" [label="${n}", penwidth=${width(n)}, style=dashed];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
