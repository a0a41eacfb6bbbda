import type { Command } from "commander";
import { checkWeight, validateKei } from "../../kei/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

interface ValidateFlags extends GlobalOptions {
  readonly weight: string;
}

export function validateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "check the KEI against churn and NPS: churn after jobs done right or not and after NPS answers (relative risks with intervals clustered by customer), the KEI against NPS on the same customers, how many leavers each saw, month by month, and weights you could try",
    )
    .option(
      "--weight <count|value>",
      "count jobs, answers and customers each the same (count), or by customers.annual_value_eur (value)",
      "count",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  kei validate\n  kei validate --weight value --json\n\nMethod and caveats: docs/methodology.md, section 'Validation against churn and NPS'.",
    )
    .action(async (opts: ValidateFlags) => {
      const ctx = await loadContext(opts);
      const weight = checkWeight(opts.weight);
      const v = await withStore(ctx, (store) =>
        validateKei(store, analysisOptionsFromConfig(ctx.config), { weight }),
      );
      if (ctx.json) {
        printJson(v);
        return;
      }
      say(
        ctx,
        `Contacts up to ${v.dataEnd ?? "(no contacts)"}; leaving observable up to ${v.observedUntil ?? "-"}, so jobs and answers up to ${v.cutoff ?? "-"} are followed up for 90 days.${v.weight === "value" ? " Weighted by annual value." : ""}`,
      );
      for (const line of v.verdict) say(ctx, `- ${line}`);
    });
}
