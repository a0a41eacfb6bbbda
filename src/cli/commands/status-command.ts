import type { Command } from "commander";
import { TABLES, type TableName } from "../../schema/tables.js";
import { type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";

export function statusCommand(program: Command): void {
  program
    .command("status")
    .description(
      "show the store (engine, version, nodes), its data version (changes with every ingest that stores rows) and the row count of every table",
    )
    .action(async (opts: GlobalOptions) => {
      const ctx = await loadContext(opts);
      const { info, tables, dataVersion, derived } = await withStore(ctx, async (store) => ({
        info: await store.info(),
        tables: await store.tableCounts(),
        dataVersion: await store.dataVersion(),
        derived: await store.derivedCounts(),
      }));
      if (ctx.json) {
        printJson({ store: info, dataVersion, tables, derived });
        return;
      }
      say(ctx, `store:   ${info.engine} ${info.version}${info.cluster ? ` (cluster ${info.cluster})` : ""}`);
      say(ctx, `nodes:   ${info.nodes.join(", ")}`);
      say(ctx, `data version: ${dataVersion}`);
      const lang = ctx.config.language;
      const width = Math.max(12, ...Object.keys(derived).map((n) => n.length));
      for (const [name, n] of Object.entries(tables)) {
        say(
          ctx,
          `  ${TABLES[name as TableName].label[lang].padEnd(28)} ${name.padEnd(width)} ${String(n).padStart(12)}`,
        );
      }
      for (const [name, n] of Object.entries(derived)) {
        say(
          ctx,
          `  ${(lang === "nl" ? "Afgeleide tabel" : "Derived table").padEnd(28)} ${name.padEnd(width)} ${String(n).padStart(12)}`,
        );
      }
    });
}
