/** Ingest with a progress bar and a readable summary; shared by `kei ingest` and `kei demo`. */
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { type IngestReport, ingestFiles } from "../ingest/ingest-files.js";
import { derivedTables } from "../kei/index.js";
import { analysisOptionsFromConfig } from "../options/analysis-options.js";
import type { Store } from "../store/store.js";
import { type Context, say } from "./context.js";
import { createProgress } from "./progress.js";

const SHOWN_REJECTS = 10;

/**
 * A rejects file of its own per run: the time to the millisecond plus a random tag, so that two runs in one
 * second (or at once, from two processes) never overwrite each other's rejects.
 */
export function defaultRejectsPath(ctx: Context, now = new Date()): string {
  const stamp = `${now.toISOString().replace(/[-:]/g, "").replace("Z", "")}-${randomBytes(3).toString("hex")}`;
  const dir =
    ctx.config.ingest.rejectsDir ??
    (ctx.location.engine === "duckdb" ? dirname(resolve(ctx.location.path)) : ".");
  return resolve(join(dir, `kei-rejects-${stamp}.csv`));
}

export async function runIngest(
  ctx: Context,
  store: Store,
  paths: readonly string[],
  options: { table?: string; rejects?: string } = {},
): Promise<IngestReport> {
  const progress = createProgress(!ctx.json, "bytes");
  let current = -1;
  let shown = 0;
  try {
    const report = await ingestFiles(store, paths, {
      timeZone: ctx.config.timeZone,
      mappings: ctx.config.ingest.mappings,
      batchSize: ctx.config.ingest.batchSize,
      rejectsPath: options.rejects ?? defaultRejectsPath(ctx),
      ...(options.table ? { table: options.table } : {}),
      onProgress: (p) => {
        if (p.fileIndex !== current) {
          if (current >= 0) progress.stop();
          current = p.fileIndex;
          progress.start(p.bytesTotal, basename(p.file).padEnd(18));
        }
        progress.update(p.bytesRead);
      },
      onReject: (m) => {
        if (shown++ < SHOWN_REJECTS) process.stderr.write(`rejected: ${m}\n`);
      },
      onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
    });
    progress.stop();
    if (report.addedReasons.length > 0 || report.files.some((f) => f.stored > 0)) {
      await buildDerived(ctx, store);
    }
    if (shown > SHOWN_REJECTS) {
      process.stderr.write(`... and ${shown - SHOWN_REJECTS} more messages in ${report.rejects}\n`);
    }
    if (!ctx.json) printIngestReport(ctx, report);
    return report;
  } catch (e) {
    // A bad input file is an IngestInputError (kind "data"): report-error.ts gives it its exit code.
    progress.stop();
    throw e;
  }
}

/**
 * Builds the derived tables (the jobs) for the new data version, so the next question is answered from them.
 * A failure here loses nothing: the run is committed, and the next command builds them.
 */
async function buildDerived(ctx: Context, store: Store): Promise<void> {
  if (!ctx.json) process.stderr.write("building derived tables...\n");
  const builds = await store.refreshDerived(derivedTables(analysisOptionsFromConfig(ctx.config)));
  if (ctx.json) return;
  for (const b of builds) {
    const how =
      b.mode === "incremental"
        ? `, ${b.customers} changed customers rebuilt`
        : b.mode === "kept"
          ? ", kept: nothing it reads changed"
          : "";
    process.stderr.write(`derived table ${b.name}: ${b.rows} rows (${b.seconds.toFixed(1)} s${how})\n`);
  }
}

function printIngestReport(ctx: Context, report: IngestReport): void {
  const rows = report.files.map((f) => [
    basename(f.file),
    f.table,
    String(f.read),
    String(f.stored),
    String(f.rejected),
    String(f.duplicates),
  ]);
  const header = ["file", "table", "read", "stored", "rejected", "duplicates"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  say(ctx, line(header));
  for (const r of rows) say(ctx, line(r));
  if (report.rejects) say(ctx, `rejected rows, with their reasons: ${report.rejects}`);
  if (report.addedReasons.length > 0) {
    say(
      ctx,
      `reasons not in the reasons table, added with their code as label: ${report.addedReasons.join(", ")}`,
    );
  }
  if (report.unknownCustomerContacts > 0) {
    say(ctx, `contacts whose customer is not in customers (kept): ${report.unknownCustomerContacts}`);
  }
}
