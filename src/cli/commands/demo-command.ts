import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { webToCall } from "../../journeys/index.js";
import { keiIndex } from "../../kei/index.js";
import { analysisOptionsFromConfig } from "../../options/analysis-options.js";
import type { Store } from "../../store/store.js";
import { UsageError } from "../cli-error.js";
import { type Context, type GlobalOptions, loadContext, printJson, say, withStore } from "../context.js";
import { runIngest } from "../run-ingest.js";
import { parseCount, parseSeed, runGenerate } from "./generate-command.js";

const DEMO_DIR = "kei-demo";

interface DemoOptions extends GlobalOptions {
  customers: string;
  seed: string;
  serve: boolean;
  dir: string;
  replace?: boolean;
}

async function printKeiByReason(ctx: Context, store: Store): Promise<void> {
  const cells = await keiIndex(store, { by: ["reason"], options: analysisOptionsFromConfig(ctx.config) });
  const f = (v: number | null) => (v === null ? "–" : v.toFixed(1)).padStart(7);
  say(ctx, "");
  say(ctx, "KEI by contact reason, worst first (0-100; docs/methodology.md explains each figure):");
  say(ctx, `  ${"reason".padEnd(26)}${"jobs".padStart(7)}  effectiveness    ease  emotion     KEI`);
  for (const c of [...cells].sort((a, b) => (a.kei ?? 0) - (b.kei ?? 0))) {
    say(
      ctx,
      `  ${(c.key.reason ?? "").padEnd(26)}${String(c.jobs).padStart(7)}        ${f(c.effectiveness)} ${f(c.ease)}  ${f(c.emotion)} ${f(c.kei)}`,
    );
  }
}

async function printFailingFlows(ctx: Context, store: Store): Promise<void> {
  const { byGroup } = await webToCall(store, { options: analysisOptionsFromConfig(ctx.config) });
  say(ctx, "");
  say(
    ctx,
    "Where the website and app fail most: visits followed by a contact on their reason within 24 h, above the rate of comparable customers without a visit (kei journeys web-to-call):",
  );
  say(
    ctx,
    `  ${"page group".padEnd(26)}${"visits".padStart(8)}${"then a contact".padStart(16)}${"baseline".padStart(10)}${"avoidable".padStart(11)}${"EUR".padStart(9)}`,
  );
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  for (const g of [...byGroup].sort((a, b) => b.avoidableContacts - a.avoidableContacts).slice(0, 3)) {
    say(
      ctx,
      `  ${g.key.padEnd(26)}${String(g.sessions).padStart(8)}${pct(g.share).padStart(16)}${pct(g.baselineRate).padStart(10)}${g.avoidableContacts.toFixed(0).padStart(11)}${g.avoidableCostEur.toFixed(0).padStart(9)}`,
    );
  }
}

export function demoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "generate the fictional Dutch energy supplier, ingest it and show what kei measures (examples based on fictional data)",
    )
    .option("--customers <n>", "number of customers", "20000")
    .option("--seed <s>", "random seed; the same seed gives the same organisation", "42")
    .option("--dir <dir>", "folder for the demo's files and, unless --db is given, its store", DEMO_DIR)
    .option("--replace", "allow replacing the data in a non-empty store given with --db")
    .option("--no-serve", "do not start the dashboard afterwards")
    .addHelpText(
      "after",
      `\nWithout --db the demo keeps everything in ./${DEMO_DIR}/ (data/ with the CSV files and truth.json, kei.duckdb),\nreplaced on every run. Explore it afterwards with: kei status --db ${DEMO_DIR}/kei.duckdb`,
    )
    .action(async (opts: DemoOptions) => {
      const dir = resolve(opts.dir);
      const ownStore = opts.db === undefined;
      const dbPath = join(dir, "kei.duckdb");
      // The demo never writes into the store of the config file: only into its own, or an explicit --db.
      const ctx = await loadContext({ ...opts, db: opts.db ?? dbPath });
      const customers = parseCount(opts.customers, "--customers");
      const seed = parseSeed(opts.seed);
      if (ownStore) {
        await rm(dbPath, { force: true });
        await rm(`${dbPath}.wal`, { force: true });
      } else if (ctx.location.engine === "duckdb" && opts.replace) {
        await rm(ctx.location.path, { force: true });
        await rm(`${ctx.location.path}.wal`, { force: true });
      }
      const started = Date.now();
      const dataDir = join(dir, "data");
      await rm(dataDir, { recursive: true, force: true });
      const generated = await runGenerate(ctx.json, dataDir, customers, seed);
      const tables = await withStore(ctx, async (store) => {
        const before = await store.tableCounts();
        const rows = Object.values(before).reduce((a, b) => a + b, 0);
        if (rows > 0) {
          throw new UsageError(
            `the store already holds ${rows} rows; pass --replace (DuckDB) or use an empty database, or leave out --db to use ./${DEMO_DIR}/`,
          );
        }
        // The generated tables only: truth.json beside them is for tests, not a table.
        await runIngest(
          ctx,
          store,
          generated.map((f) => f.file),
          { rejects: join(dir, "rejects.csv") },
        );
        // What analytics exist run on the demo too; the JSON output keeps the CLI contract's shape.
        if (!ctx.json) {
          await printKeiByReason(ctx, store);
          await printFailingFlows(ctx, store);
        }
        return store.tableCounts();
      });
      const where = ctx.location.engine === "duckdb" ? ctx.location.path : (opts.db as string);
      if (ctx.json) {
        printJson({ db: where, tables });
        return;
      }
      say(ctx, "");
      say(
        ctx,
        `Demo organisation ready in ${((Date.now() - started) / 1000).toFixed(1)} s (examples based on fictional data):`,
      );
      for (const [t, n] of Object.entries(tables)) say(ctx, `  ${t.padEnd(12)} ${String(n).padStart(10)}`);
      say(ctx, `store: ${where}`);
      say(ctx, `files and the planted truth: ${dataDir}`);
      say(
        ctx,
        `Next: kei index --by month,reason --db ${where}   kei validate --db ${where}   kei journeys web-to-call --db ${where}`,
      );
      if (opts.serve) {
        say(ctx, "The dashboard is not part of this version yet; nothing to serve.");
      }
    });
}
