import { describe, expect, it } from "vitest";
import { parseStoreLocation } from "./store-location.js";

describe("parseStoreLocation", () => {
  it("defaults to ./kei.duckdb and takes any other path as a DuckDB file", () => {
    expect(parseStoreLocation(undefined)).toEqual({ engine: "duckdb", path: "./kei.duckdb" });
    expect(parseStoreLocation("/data/x.duckdb")).toEqual({ engine: "duckdb", path: "/data/x.duckdb" });
  });
  it("reads one ClickHouse node, the password only from the environment", () => {
    expect(
      parseStoreLocation("clickhouse://127.0.0.1:8123/kei", { KEI_CLICKHOUSE_PASSWORD: "s3cret" }),
    ).toEqual({
      engine: "clickhouse",
      nodes: ["http://127.0.0.1:8123"],
      database: "kei",
      user: "default",
      password: "s3cret",
    });
  });
  it("reads a cluster of nodes", () => {
    const l = parseStoreLocation("clickhouse://h1:8124,h2:8125/kei?cluster=kei_cluster", {});
    expect(l).toMatchObject({
      nodes: ["http://h1:8124", "http://h2:8125"],
      database: "kei",
      cluster: "kei_cluster",
    });
  });
  it.each([
    [
      "clickhouse://u:pw@h:8123/kei",
      "put no password in the store address; set KEI_CLICKHOUSE_PASSWORD instead",
    ],
    [
      "clickhouse://h1:1,h2:2/kei",
      'several ClickHouse nodes given in "clickhouse://h1:1,h2:2/kei" but no ?cluster=NAME',
    ],
    [
      "clickhouse://h:8123/kei?shards=2",
      'unknown option "shards" in "clickhouse://h:8123/kei?shards=2"; the only option is cluster=NAME',
    ],
    ["clickhouse://h:8123/kei;drop", 'bad ClickHouse database name "kei;drop"'],
    [
      "postgres://h/kei",
      'unsupported store "postgres://h/kei": use a DuckDB file path or clickhouse://HOST:PORT/DATABASE',
    ],
  ])("refuses %s", (db, message) => {
    expect(() => parseStoreLocation(db, {})).toThrow(message);
  });
  it.each([
    "clickhouse://admin:Geheim!42@h:8123",
    "clickhouse://admin:Geheim!42@h:8123/kei?shards=2",
    "clickhouse://admin:Geheim!42@h1:1,h2:2/kei",
    "clickhouse://admin%3AGeheim!42@h:8123/kei",
    "clickhouse://Geheim!42@h1:1,h2:2/kei",
    "clickhouse://admin:Ge@heim!42@h:8123/kei",
    "https://admin:Geheim!42@h:8123/kei",
  ])("never repeats a password, or a user name that may be one, in its error: %s", (db) => {
    let message = "";
    try {
      parseStoreLocation(db, {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe("");
    expect(message).not.toMatch(/Geheim|heim!42|admin/);
  });
});
