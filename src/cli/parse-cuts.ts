/** The `--by`, `--from`, `--to` flags shared by `kei index` and `kei nps`, checked with usage errors. */
import { checkDimensions, type KeiDimension } from "../kei/kei-index.js";
import { UsageError } from "./cli-error.js";

export function parseCuts(opts: { by: string; from?: string; to?: string }): KeiDimension[] {
  try {
    for (const d of [opts.from, opts.to]) {
      if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
        throw new Error(`bad date "${d}" (expected YYYY-MM-DD)`);
    }
    return checkDimensions(
      opts.by
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
