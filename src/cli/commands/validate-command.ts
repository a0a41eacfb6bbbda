import type { Command } from "commander";
import { validateKei } from "../../kei/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

export function validateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "check the KEI against churn and NPS: churn after jobs done right or not, after NPS answers, how many leavers each saw, and month by month",
    )
    .addHelpText("after", "\nMethod and caveats: docs/methodology.md, section 'Validation'.")
    .action(async (opts: GlobalOptions) => {
      const ctx = await loadContext(opts);
      const v = await withStore(ctx, (store) => validateKei(store, analysisOptionsFromConfig(ctx.config)));
      if (ctx.json) {
        printJson(v);
        return;
      }
      say(
        ctx,
        `Data up to ${v.dataEnd ?? "(no contacts)"}; jobs and answers followed up for 90 days, so up to ${v.cutoff ?? "-"}.`,
      );
      for (const line of v.verdict) say(ctx, `- ${line}`);
    });
}
