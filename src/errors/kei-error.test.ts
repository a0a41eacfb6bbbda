/**
 * The typed errors: one class per kind, each a KeiError and an Error, named after its class (a layer's own
 * subclass too), keeping the engine's error as its cause.
 */
import { describe, expect, it } from "vitest";
import {
  BusyError,
  DataError,
  EngineError,
  KEI_ERROR_KINDS,
  KeiError,
  UnreachableError,
  UsageError,
} from "./kei-error.js";

describe("KeiError", () => {
  it("has one class per kind, each with its kind", () => {
    const errors = [
      new UsageError("bad flag"),
      new DataError("bad file"),
      new UnreachableError("no server"),
      new BusyError("written by another run"),
      new EngineError("query failed"),
    ];
    expect(errors.map((e) => e.kind)).toEqual([...KEI_ERROR_KINDS]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(KeiError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
    }
  });

  it("gives a layer's subclass its kind and its own name, and keeps the cause", () => {
    class ReaderError extends DataError {}
    const cause = new Error("IO Error: disk");
    const e = new ReaderError("contacts.csv: cannot read", { cause });
    expect(e.kind).toBe("data");
    expect(e.name).toBe("ReaderError");
    expect(String(e)).toBe("ReaderError: contacts.csv: cannot read");
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(DataError);
    expect(e).not.toBeInstanceOf(UsageError);
  });
});
