/**
 * Figures computed by code, quoted in Markdown behind a marker: `<!--fig:validate.jobs.relativeRisk-->2.95`. The
 * marker is an HTML comment, so the rendered page shows the figure alone. The quoted value is the token right
 * after the marker, one of:
 * - a date, `2026-07-11`;
 * - a number: optional sign, thousands commas, decimals, optionally a range to a second number and a percent
 *   sign (`5,516`, `-0.19`, `+2.6`, `0.42-0.73`, `44.0-45.9%`);
 * - a word (letters, `_` and `-`: `waiting`, `betalingsregeling`).
 * So `2.951` never passes for `2.95`, and a sentence's own comma or full stop is never part of a value.
 */

const NUMBER = String.raw`[+-]?\d+(?:,\d{3})*(?:\.\d+)?`;
const VALUE = String.raw`\d{4}-\d{2}-\d{2}|${NUMBER}(?:-${NUMBER})?%?|[A-Za-z][A-Za-z_-]*`;
const MARKER = String.raw`<!--fig:([\w.-]+)-->(${VALUE})?`;

/** Named figures, each as the text writes it. */
export type Figures = Readonly<Record<string, string>>;

export interface QuotedFigure {
  readonly name: string;
  /** The value after the marker; null when none follows it. */
  readonly quoted: string | null;
  /** 1-based line of the marker. */
  readonly line: number;
}

export function quotedFigures(text: string): QuotedFigure[] {
  return [...text.matchAll(new RegExp(MARKER, "g"))].map((m) => ({
    name: m[1] as string,
    quoted: m[2] ?? null,
    line: text.slice(0, m.index).split("\n").length,
  }));
}

/**
 * What disagrees between the text and the figures, one message each (none: they agree): a marker naming no
 * figure, a quoted value other than the figure, and a figure the text never quotes.
 */
export function figureProblems(text: string, figures: Figures): string[] {
  const problems: string[] = [];
  const quoted = quotedFigures(text);
  for (const q of quoted) {
    const value = figures[q.name];
    if (value === undefined) problems.push(`line ${q.line}: fig:${q.name} names no figure the code computes`);
    else if (q.quoted !== value) {
      problems.push(
        `line ${q.line}: fig:${q.name} says ${JSON.stringify(q.quoted)}, the code gives "${value}"`,
      );
    }
  }
  const names = new Set(quoted.map((q) => q.name));
  for (const [name, value] of Object.entries(figures)) {
    if (!names.has(name)) problems.push(`fig:${name} ("${value}") is quoted nowhere in the text`);
  }
  return problems;
}

/** The text with every marked value replaced by its figure; markers naming no figure are left as they are. */
export function rewriteFigures(text: string, figures: Figures): string {
  return text.replace(new RegExp(MARKER, "g"), (all, name: string) => {
    const value = figures[name];
    return value === undefined ? all : `<!--fig:${name}-->${value}`;
  });
}

/** A Markdown table of the figures: name, the code's value, and what the text quotes where it differs. */
export function figureTable(text: string, figures: Figures): string {
  const quoted = quotedFigures(text);
  const rows = Object.entries(figures).map(([name, value]) => {
    const said = [...new Set(quoted.filter((q) => q.name === name).map((q) => q.quoted ?? "(nothing)"))];
    const text = said.length === 0 ? "not quoted" : said.every((q) => q === value) ? "" : said.join(", ");
    return `| \`${name}\` | ${value} | ${text} |`;
  });
  return ["| figure | code | text, where it differs |", "|---|---|---|", ...rows].join("\n");
}
