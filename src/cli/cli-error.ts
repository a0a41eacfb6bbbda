/** Exit codes of the CLI contract: 0 success, 1 a failed run, 2 bad usage or bad input that stopped the run. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error the user can fix (bad flag, bad file, bad config): printed without a stack, exit 2. */
export class UsageError extends Error {}
