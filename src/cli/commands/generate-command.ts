import { resolve } from "node:path";
import type { Command } from "commander";
import { generateOrganisation } from "../../generate/index.js";
import { UsageError } from "../cli-error.js";
import { type GlobalOptions, loadContext, printJson, say } from "../context.js";
import { createProgress } from "../progress.js";

export function parseCount(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`--seed must be a whole number >= 0, got "${value}"`);
  return n;
}

export async function runGenerate(
  json: boolean,
  outDir: string,
  customers: number,
  seed: number,
): Promise<{ file: string; rows: number }[]> {
  const progress = createProgress(!json, "customers");
  progress.start(customers, "generating");
  try {
    const result = await generateOrganisation({
      outDir,
      customers,
      seed,
      onProgress: (done) => progress.update(done),
    });
    return result.files.map((f) => ({ file: f.file, rows: f.rows }));
  } finally {
    progress.stop();
  }
}

export function generateCommand(program: Command): void {
  program
    .command("generate")
    .description(
      "write the fictional Dutch energy supplier as contract files (CSV) and truth.json, without ingesting",
    )
    .requiredOption("--out <dir>", "folder to write to")
    .option("--customers <n>", "number of customers", "20000")
    .option("--seed <s>", "random seed; the same seed gives the same files", "42")
    .action(async (opts: GlobalOptions & { out: string; customers: string; seed: string }) => {
      const ctx = await loadContext(opts);
      const files = await runGenerate(
        ctx.json,
        resolve(opts.out),
        parseCount(opts.customers, "--customers"),
        parseSeed(opts.seed),
      );
      if (ctx.json) printJson({ files });
      else for (const f of files) say(ctx, `${String(f.rows).padStart(10)}  ${f.file}`);
    });
}
