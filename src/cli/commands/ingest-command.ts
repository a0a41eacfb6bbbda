import type { Command } from "commander";
import { type GlobalOptions, INGEST_MEMORY_LIMIT, loadContext, printJson, withStore } from "../context.js";
import { runIngest } from "../run-ingest.js";

export function ingestCommand(program: Command): void {
  program
    .command("ingest")
    .description(
      "ingest contract files (CSV, Parquet, NDJSON) or folders of them; every row is stored, a duplicate, or written to the rejects file with its reason",
    )
    .argument("<paths...>", "files or folders; a file's table is recognised by its name (contacts.csv, ...)")
    .option("--table <name>", "treat every file as this table")
    .option("--rejects <file>", "where to write rejected rows (CSV); default beside the store")
    .addHelpText(
      "after",
      "\nExamples:\n  kei ingest data/\n  kei ingest export.csv --table contacts --json\n\nPer file: read = stored + rejected + duplicates. A run is atomic: if it stops half-way, the store is unchanged.",
    )
    .action(async (paths: string[], opts: GlobalOptions & { table?: string; rejects?: string }) => {
      const ctx = await loadContext(opts);
      const report = await withStore(ctx, (store) => runIngest(ctx, store, paths, opts), {
        memoryLimit: INGEST_MEMORY_LIMIT,
      });
      if (ctx.json)
        printJson({
          files: report.files,
          rejects: report.rejects,
          addedReasons: report.addedReasons,
          unknownCustomerContacts: report.unknownCustomerContacts,
          warnings: report.warnings,
        });
    });
}
