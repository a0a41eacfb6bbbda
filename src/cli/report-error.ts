/**
 * The one place where an error becomes what the user sees: one message on stderr and the exit code of the CLI
 * contract. By kind (src/errors/kei-error.ts):
 *
 *   usage, data               exit 2   `kei: <message>`   (bad usage or bad input that stopped the run)
 *   unreachable, busy, engine exit 1   `kei: <message>`   (a failed run)
 *   anything else             exit 1   `kei: internal error: <message>` and how to see the stack (a bug in kei)
 *
 * No stack trace reaches the user unless KEI_DEBUG is set (to anything but "" or "0"); then the stack and the
 * chain of causes follow the message. Errors of the layers kei runs on are given their kind here, where they
 * reach the CLI: Commander's (it has printed its own message; --help and --version end here with exit 0) and
 * Node's file errors on a path kei was given (data).
 */
import { CommanderError } from "commander";
import { KeiError, type KeiErrorKind } from "../errors/kei-error.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./cli-error.js";

/** A KeiError's kind, or "internal" for anything kei did not expect. */
export type ErrorClass = KeiErrorKind | "internal";

export const EXIT_CODES: Readonly<Record<ErrorClass, number>> = {
  usage: EXIT_USAGE,
  data: EXIT_USAGE,
  unreachable: EXIT_FAILED,
  busy: EXIT_FAILED,
  engine: EXIT_FAILED,
  internal: EXIT_FAILED,
};

/** What the user is told: the text for stderr (ending in a newline, or empty) and the exit code. */
export interface ErrorReport {
  readonly exitCode: number;
  readonly text: string;
}

/** Node's error for a file it could not open, read or write (ENOENT, EACCES, EISDIR, ...): it names the path. */
function isFileError(e: unknown): e is NodeJS.ErrnoException {
  const x = e as NodeJS.ErrnoException;
  return e instanceof Error && typeof x.code === "string" && typeof x.syscall === "string" && !!x.path;
}

/** The kind of whatever was thrown. */
export function errorClass(e: unknown): ErrorClass {
  if (e instanceof KeiError) return e.kind;
  if (isFileError(e)) return "data";
  return "internal";
}

/** The message, without any line that looks like a stack frame (an engine's message may carry one). */
function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text
    .split("\n")
    .filter((line) => !/^\s+at\s/.test(line))
    .join("\n");
}

/** The stack of `e` and of each of its causes, for KEI_DEBUG. */
function stackOf(e: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let x: unknown = e; x !== undefined && x !== null && !seen.has(x); x = (x as Error).cause) {
    seen.add(x);
    const stack = x instanceof Error ? (x.stack ?? `${x.name}: ${x.message}`) : String(x);
    lines.push(x === e ? stack : `Caused by: ${stack}`);
    if (!(x instanceof Error)) break;
  }
  return lines;
}

/** Turns a thrown value into the user's message and the exit code; `debug` adds the stacks. */
export function describeError(e: unknown, debug: boolean): ErrorReport {
  if (e instanceof CommanderError) {
    return { exitCode: e.exitCode === EXIT_OK ? EXIT_OK : EXIT_USAGE, text: "" };
  }
  const kind = errorClass(e);
  const lines = [kind === "internal" ? `kei: internal error: ${messageOf(e)}` : `kei: ${messageOf(e)}`];
  if (debug) lines.push(...stackOf(e));
  else if (kind === "internal") {
    lines.push("kei: this is a bug in kei; run again with KEI_DEBUG=1 to see the stack trace, and report it");
  }
  return { exitCode: EXIT_CODES[kind], text: `${lines.join("\n")}\n` };
}

/** Whether KEI_DEBUG asks for stack traces. */
export function debugRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.KEI_DEBUG;
  return v !== undefined && v !== "" && v !== "0";
}

/** Writes the report of `e` to stderr and returns the exit code. */
export function reportError(
  e: unknown,
  stderr: Pick<NodeJS.WritableStream, "write"> = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const report = describeError(e, debugRequested(env));
  if (report.text) stderr.write(report.text);
  return report.exitCode;
}
