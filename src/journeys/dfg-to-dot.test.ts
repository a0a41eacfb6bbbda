import { expect, it } from "vitest";
import { dfgToDot } from "./dfg-to-dot.js";

it("draws the graph as DOT with counts, medians and widths by frequency, quoting names", () => {
  const dot = dfgToDot({
    edges: [
      { from: "web", to: 'pho"ne', count: 4, medianSeconds: 5400, meanSeconds: 6000, p90Seconds: 9000 },
      { from: "web", to: "chat", count: 1, medianSeconds: 600, meanSeconds: 600, p90Seconds: 600 },
    ],
    start: { web: 5 },
    end: { 'pho"ne': 4, chat: 1 },
  });
  expect(dot.split("\n")).toEqual([
    "digraph dfg {",
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  "__start" [label="start", shape=circle, fillcolor="#cfe8cf"];',
    '  "__end" [label="end", shape=doublecircle, fillcolor="#f4d0d0"];',
    '  "__start" -> "web" [label="5", penwidth=6.00, style=dashed];',
    '  "web" -> "pho\\"ne" [label="4 (1.5 h)", penwidth=5.00];',
    '  "web" -> "chat" [label="1 (10 min)", penwidth=2.00];',
    '  "chat" -> "__end" [label="1", penwidth=2.00, style=dashed];',
    '  "pho\\"ne" -> "__end" [label="4", penwidth=5.00, style=dashed];',
    "}",
    "",
  ]);
});
