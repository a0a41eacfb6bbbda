/**
 * kei's typed errors, in one module below every layer: each error says what kind of problem stopped kei, so
 * the CLI (and the coming API) answers it without reading its message. The kinds:
 *
 * - `usage`: a bad flag, option, store address or config value; the user fixes the command or the config.
 * - `data`: an input file (a table to ingest, an event log) that stopped the run; the user fixes the file.
 * - `unreachable`: the store cannot be reached or opened (server down, unknown host, wrong login, a file that
 *   is not a DuckDB store).
 * - `busy`: another kei run is writing the store; the user tries again when it is done.
 * - `engine`: the engine failed while answering (a query refused, out of memory, a full disk).
 *
 * The message is written for the user and is complete without a stack; `cause` keeps the engine's own error
 * for KEI_DEBUG. A layer's own error class extends the class of its kind (ConfigError is a UsageError,
 * StoreBusyError a BusyError), so its name stays what callers import. Anything thrown that is not a KeiError
 * is a bug in kei: an internal error (src/cli/report-error.ts).
 */

export type KeiErrorKind = "usage" | "data" | "unreachable" | "busy" | "engine";

export const KEI_ERROR_KINDS: readonly KeiErrorKind[] = ["usage", "data", "unreachable", "busy", "engine"];

export abstract class KeiError extends Error {
  abstract readonly kind: KeiErrorKind;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The class's own name (ConfigError, StoreBusyError, ...) in a KEI_DEBUG stack and in String(e).
    this.name = new.target.name;
  }
}

/** A bad flag, option, store address or config value. */
export class UsageError extends KeiError {
  readonly kind = "usage";
}

/** An input file that stopped the run: unreadable, of an unknown table, missing a required column, malformed. */
export class DataError extends KeiError {
  readonly kind = "data";
}

/** The store cannot be reached or opened: connection refused, unknown host, wrong login, not a store. */
export class UnreachableError extends KeiError {
  readonly kind = "unreachable";
}

/** The store is being written by another kei run. */
export class BusyError extends KeiError {
  readonly kind = "busy";
}

/** The engine failed while answering a query or writing. */
export class EngineError extends KeiError {
  readonly kind = "engine";
}
