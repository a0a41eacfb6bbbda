/**
 * Exit codes of the CLI contract: 0 success, 1 a failed run, 2 bad usage or bad input that stopped the run.
 * Which error gets which code is decided in one place, report-error.ts.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A bad flag, option or config value: printed without a stack, exit 2 (a KeiError of kind "usage"). */
export { UsageError } from "../errors/kei-error.js";
