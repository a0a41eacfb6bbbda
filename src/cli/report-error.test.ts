/**
 * The one mapping from an error to the user's message and exit code: every kind, the layers' own error
 * classes, an internal error (a bug: its message, a hint to set KEI_DEBUG, never a stack), and KEI_DEBUG.
 */
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/config.js";
import {
  BusyError,
  DataError,
  EngineError,
  type KeiErrorKind,
  UnreachableError,
  UsageError,
} from "../errors/kei-error.js";
import { IngestInputError } from "../ingest/find-input-files.js";
import { EventLogError } from "../journeys/index.js";
import { OptionsError } from "../options/analysis-options.js";
import { ClickHouseLoginError, ClickHouseNode } from "../store/clickhouse/clickhouse-nodes.js";
import { testEngines } from "../store/engine-fixtures.js";
import { StoreBusyError } from "../store/store.js";
import { debugRequested, describeError, errorClass, reportError } from "./report-error.js";

const STACK_LINE = /^\s+at\s/m;
const clickhouse = (await testEngines()).find((e) => e.name === "clickhouse");

describe("describeError", () => {
  it("gives every kind its exit code and only its message", () => {
    const cases: [Error, KeiErrorKind, number][] = [
      [new UsageError("--by must name a dimension"), "usage", 2],
      [new DataError("contacts.csv: missing required column ts"), "data", 2],
      [new UnreachableError("cannot reach ClickHouse at http://h:1: connection refused"), "unreachable", 1],
      [new BusyError("the store k.duckdb is in use by another process"), "busy", 1],
      [new EngineError("ClickHouse at http://h:8123: Code: 241, memory limit exceeded"), "engine", 1],
    ];
    for (const [e, kind, exitCode] of cases) {
      expect(errorClass(e)).toBe(kind);
      expect(describeError(e, false)).toEqual({ exitCode, text: `kei: ${e.message}\n` });
    }
  });

  it("knows the layers' own error classes by their kind", () => {
    const cases: [Error, string, number][] = [
      [new ConfigError('kei.config.json: timeZone: unknown time zone "Mars"'), "usage", 2],
      [new OptionsError("invalid analysis options: jobWindowDays: must be positive"), "usage", 2],
      [new IngestInputError("nope.csv: no such file or folder"), "data", 2],
      [new EventLogError("log.xes:3:7: an <event> outside a <trace>"), "data", 2],
      [new StoreBusyError("the store is being written by another kei process"), "busy", 1],
      [new ClickHouseLoginError("ClickHouse at http://h:8123 refused the login"), "unreachable", 1],
    ];
    for (const [e, kind, exitCode] of cases) {
      expect(errorClass(e)).toBe(kind);
      expect(describeError(e, false).exitCode).toBe(exitCode);
    }
    // A file kei was given that Node cannot open is bad input too.
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/out.xes'"), {
      code: "ENOENT",
      syscall: "open",
      path: "/x/out.xes",
    });
    expect(describeError(enoent, false)).toEqual({ exitCode: 2, text: `kei: ${enoent.message}\n` });
  });

  it("reports anything else as an internal error with a hint, and no stack", () => {
    const bug = new TypeError("cells.map is not a function");
    expect(errorClass(bug)).toBe("internal");
    const r = describeError(bug, false);
    expect(r.exitCode).toBe(1);
    expect(r.text).toMatch(/^kei: internal error: cells\.map is not a function\n/);
    expect(r.text).toContain("KEI_DEBUG=1");
    expect(r.text).not.toMatch(STACK_LINE);
    expect(r.text).not.toContain("Caused by");
    expect(describeError("thrown text", false).text).toMatch(/^kei: internal error: thrown text\n/);
    // Stack frames inside an engine's message are left out too.
    const framed = new EngineError("Code: 1. DB::Exception: boom\n    at Object.query (node.js:1:1)");
    expect(describeError(framed, false).text).toBe("kei: Code: 1. DB::Exception: boom\n");
  });

  it("adds the stack and the causes only with KEI_DEBUG", () => {
    const e = new UnreachableError("cannot open the DuckDB store k.duckdb", { cause: new Error("IO Error") });
    expect(describeError(e, false).text).toBe("kei: cannot open the DuckDB store k.duckdb\n");
    const debug = describeError(e, true).text;
    expect(debug).toMatch(STACK_LINE);
    expect(debug).toContain("Caused by: Error: IO Error");
    expect(describeError(new RangeError("bug"), true).text).toMatch(STACK_LINE);
    expect([undefined, "", "0", "1", "yes"].map((v) => debugRequested({ KEI_DEBUG: v }))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it("lets Commander's errors through with its exit codes: 0 for --help, 2 for bad usage", () => {
    expect(describeError(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), false)).toEqual({
      exitCode: 0,
      text: "",
    });
    expect(describeError(new CommanderError(1, "commander.unknownCommand", "unknown"), false)).toEqual({
      exitCode: 2,
      text: "",
    });
  });
});

describe("reportError", () => {
  it("writes the message to stderr and returns the exit code", () => {
    const written: string[] = [];
    const stderr = { write: (s: string) => written.push(s) > 0 };
    expect(reportError(new Error("boom"), stderr, {})).toBe(1);
    expect(written.join("")).toMatch(/^kei: internal error: boom\n.*KEI_DEBUG=1/);
    expect(written.join("")).not.toMatch(STACK_LINE);
  });
});

describe("the ClickHouse node's errors", () => {
  it("are unreachable when the server is not there", async () => {
    const node = new ClickHouseNode({ url: "http://127.0.0.1:1", user: "default", password: "" });
    try {
      const e = await node.query("SELECT 1").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnreachableError);
      expect(describeError(e, false)).toEqual({
        exitCode: 1,
        text: "kei: cannot reach ClickHouse at http://127.0.0.1:1: connection refused (is the server running?)\n",
      });
    } finally {
      await node.close();
    }
  });

  it.skipIf(clickhouse?.skip !== undefined)("are engine failures when a query fails", async () => {
    const location = await clickhouse?.freshLocation();
    if (location?.engine !== "clickhouse") return;
    const node = new ClickHouseNode({
      url: location.nodes[0] as string,
      user: location.user,
      password: location.password,
    });
    try {
      const e = await node.query("SELECT no_such_column").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EngineError);
      const r = describeError(e, false);
      expect(r.exitCode).toBe(1);
      expect(r.text).toMatch(
        /^kei: ClickHouse at http:\/\/127\.0\.0\.1:\d+: Code: 47\b.*\(in: SELECT no_such_column\)\n$/,
      );
    } finally {
      await node.close();
    }
  });
});
