/** The `--by`, `--from`, `--to` flags shared by `kei index` and `kei nps`, checked with usage errors. */
import { checkDimensions, type KeiDimension } from "../kei/index.js";
import { UsageError } from "./cli-error.js";

export function parseCuts(opts: { by: string; from?: string; to?: string }): KeiDimension[] {
  for (const d of [opts.from, opts.to]) {
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new UsageError(`bad date "${d}" (expected YYYY-MM-DD)`);
  }
  // An unknown dimension is a UsageError of checkDimensions' own.
  return checkDimensions(
    opts.by
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
