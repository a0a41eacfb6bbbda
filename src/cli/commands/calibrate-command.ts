import type { Command } from "commander";
import { calibrateEase } from "../../kei/index.js";
import { analysisOptionsFromConfig, type EaseWeights } from "../../options/analysis-options.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

export function calibrateCommand(program: Command): void {
  program
    .command("calibrate")
    .description(
      "suggest Ease weights that agree best with customers' CES answers; behaviour stays the measure",
    )
    .addHelpText(
      "after",
      "\nPut the suggested weights in kei.config.json under analysis.easeWeights to use them.",
    )
    .action(async (opts: GlobalOptions) => {
      const ctx = await loadContext(opts);
      const c = await withStore(ctx, (store) => calibrateEase(store, analysisOptionsFromConfig(ctx.config)));
      if (ctx.json) {
        printJson(c);
        return;
      }
      const f = (w: EaseWeights) =>
        Object.entries(w)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(", ");
      say(ctx, `Jobs with a CES answer: ${c.n}`);
      say(
        ctx,
        `current weights:    ${f(c.current)} (correlation with CES ${c.correlationCurrent?.toFixed(3) ?? "n/a"})`,
      );
      if (!c.calibrated) {
        say(ctx, "Too few CES answers (30 or more needed) to calibrate.");
        return;
      }
      say(
        ctx,
        `calibrated weights: ${f(c.calibrated)} (correlation with CES ${c.correlationCalibrated?.toFixed(3) ?? "n/a"})`,
      );
      say(
        ctx,
        `To use them, add to kei.config.json: {"analysis": {"easeWeights": ${JSON.stringify(c.calibrated)}}}`,
      );
    });
}
