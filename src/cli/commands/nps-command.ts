import type { Command } from "commander";
import { KEI_DIMENSIONS, npsIndex } from "../../kei/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";
import { parseCuts } from "../parse-cuts.js";

interface NpsOptions extends GlobalOptions {
  by: string;
  from?: string;
  to?: string;
}

export function npsCommand(program: Command): void {
  program
    .command("nps")
    .description(
      "NPS done right: promoters, passives, detractors and NPS with its 95% margin of error, by the KEI's cuts",
    )
    .option("--by <dims>", `comma-separated: ${KEI_DIMENSIONS.join(", ")}`, "month")
    .option("--from <date>", "first day (YYYY-MM-DD) of the answers")
    .option("--to <date>", "last day (YYYY-MM-DD)")
    .action(async (opts: NpsOptions) => {
      const ctx = await loadContext(opts);
      const by = parseCuts(opts);
      const cells = await withStore(ctx, (store) =>
        npsIndex(store, {
          by,
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          options: analysisOptionsFromConfig(ctx.config),
        }),
      );
      if (ctx.json) {
        printJson(cells);
        return;
      }
      const f = (v: number | null) => (v === null ? "–" : v.toFixed(1));
      say(
        ctx,
        `${by.map((b) => b.padEnd(24)).join("")}${"answers".padStart(8)}  promoters  passives  detractors     NPS`,
      );
      for (const c of cells) {
        const key = by.map((b) => (c.key[b] ?? "").padEnd(24)).join("");
        const body = c.suppressed
          ? "  (fewer answers than the minimum)"
          : `${f(c.promoters).padStart(11)}${f(c.passives).padStart(10)}${f(c.detractors).padStart(12)}  ${f(c.nps).padStart(6)} ± ${f(c.margin)}`;
        say(ctx, `${key}${String(c.responses).padStart(8)}${body}`);
      }
    });
}
