/**
 * The `kei` command line. Commands follow `docs/cli.md` (the CLI contract); every command takes
 * `--db`, `--config` and `--json`. Exit codes: 0 success, 1 a failed run, 2 bad usage or bad input; an error
 * becomes its message and exit code in report-error.ts, with no stack trace unless KEI_DEBUG is set.
 */
import { Command, Option } from "commander";
import { EXIT_OK } from "./cli-error.js";
import { calibrateCommand } from "./commands/calibrate-command.js";
import { demoCommand } from "./commands/demo-command.js";
import { generateCommand } from "./commands/generate-command.js";
import { indexCommand } from "./commands/index-command.js";
import { ingestCommand } from "./commands/ingest-command.js";
import { journeysCommand } from "./commands/journeys-command.js";
import { npsCommand } from "./commands/nps-command.js";
import { statusCommand } from "./commands/status-command.js";
import { validateCommand } from "./commands/validate-command.js";
import { reportError } from "./report-error.js";

export function buildProgram(): Command {
  const program = new Command("kei")
    .description(
      "kei: the Klantervaringsindex (customer experience index), measured from what customers do across channels",
    )
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");
  for (const add of [
    demoCommand,
    generateCommand,
    ingestCommand,
    statusCommand,
    indexCommand,
    npsCommand,
    validateCommand,
    calibrateCommand,
    journeysCommand,
  ])
    add(program);
  for (const cmd of program.commands.flatMap((c) => [c, ...c.commands])) {
    cmd
      .addOption(
        new Option(
          "--db <store>",
          "DuckDB file, or clickhouse://HOST:PORT/DB[?cluster=NAME] (default ./kei.duckdb)",
        ),
      )
      .addOption(new Option("--config <file>", "config file (default ./kei.config.json when present)"))
      .addOption(new Option("--json", "print one JSON document on stdout, nothing else there"))
      .exitOverride();
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `kei index | head` closes stdout early: that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  // Everything kei creates (stores, rejects files, exports) holds personal data: readable by the owner only.
  process.umask(0o077);
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return EXIT_OK;
  } catch (e) {
    return reportError(e);
  }
}
