/**
 * The CLI contract, driven as scripts drive it: a child process, its exit code, and with --json exactly
 * one JSON document on stdout.
 */
import { spawnSync } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GOOD, tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";

const MAIN = fileURLToPath(new URL("./run-main-fixtures.ts", import.meta.url));
// tsx by absolute URL, so the CLI can run from any working folder (the config file test needs one).
const TSX = import.meta.resolve("tsx");

function kei(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    encoding: "utf8",
    cwd,
    env: { ...process.env, KEI_CLICKHOUSE_PASSWORD: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kei CLI", () => {
  it("explains every command with --help", () => {
    const top = kei(["--help"]);
    expect(top.code).toBe(0);
    for (const c of [
      "demo",
      "generate",
      "ingest",
      "status",
      "index",
      "nps",
      "validate",
      "calibrate",
      "journeys",
    ]) {
      expect(top.stdout).toContain(c);
      const h = kei([c, "--help"]);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain("--db <store>");
      expect(h.stdout).toContain("--json");
    }
  });

  it("ingest --json prints exactly the contract's document; status --json the counts", async () => {
    const dir = await tempDir();
    await writeCsvFiles(join(dir, "in"));
    await writeFile(
      join(dir, "in", "contacts.csv"),
      `${GOOD.contacts}\nK9,C1,not-a-time,phone,storing,,,,,,,\n`,
    );
    const db = join(dir, "kei.duckdb");
    const r = kei(["ingest", join(dir, "in"), "--db", db, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const contacts = doc.files.find((f: { table: string }) => f.table === "contacts");
    expect(Object.keys(contacts)).toEqual(["file", "table", "read", "stored", "rejected", "duplicates"]);
    expect(contacts).toMatchObject({ read: 4, stored: 3, rejected: 1, duplicates: 0 });
    expect(doc.rejects).toMatch(/kei-rejects-\d{8}T\d{6}\.\d{3}-[0-9a-f]{6}\.csv$/);
    expect(r.stderr).toContain('rejected: contacts.csv row 4, column ts: bad timestamp "not-a-time"');
    // Personal data: the new store and the rejects file are the owner's only.
    expect((await stat(db)).mode & 0o777).toBe(0o600);
    expect((await stat(doc.rejects)).mode & 0o777).toBe(0o600);
    // A second run straight after keeps its own rejects file: nothing of the first run's is overwritten.
    const again = JSON.parse(kei(["ingest", join(dir, "in"), "--db", db, "--json"]).stdout);
    expect(again.rejects).not.toBe(doc.rejects);
    expect((await readFile(doc.rejects, "utf8")).split("\n")[1]).toContain("not-a-time");

    const s = kei(["status", "--db", db, "--json"]);
    expect(s.code).toBe(0);
    const status = JSON.parse(s.stdout);
    expect(status.store).toMatchObject({ engine: "duckdb", nodes: [db] });
    expect(status.store.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.tables).toEqual({
      customers: 2,
      contacts: 3,
      web_events: 3,
      feedback: 2,
      reasons: 2,
      costs: 3,
      kpis: 3,
    });
  });

  it("journeys dfg and variants of a log file print the contract's JSON", async () => {
    const dir = await tempDir();
    const log = join(dir, "log.csv");
    await writeFile(
      log,
      "case_id,activity,timestamp\n1,web,2025-01-01T10:00:00Z\n1,phone,2025-01-01T12:00:00Z\n2,web,2025-01-02T10:00:00Z\n2,phone,2025-01-02T11:00:00Z\n3,phone,2025-01-03T09:00:00Z\n",
    );
    const dfg = kei(["journeys", "dfg", log, "--json"]);
    expect(dfg.code, dfg.stderr).toBe(0);
    expect(JSON.parse(dfg.stdout)).toEqual({
      edges: [{ from: "web", to: "phone", count: 2 }],
      start: { web: 2, phone: 1 },
      end: { phone: 3 },
    });
    const variants = kei(["journeys", "variants", log, "--json"]);
    expect(JSON.parse(variants.stdout)).toEqual([
      { variant: ["web", "phone"], count: 2 },
      { variant: ["phone"], count: 1 },
    ]);
    expect(kei(["journeys", "dfg", join(dir, "missing.xes")]).code).toBe(2);
    const dot = kei(["journeys", "dfg", log, "--dot", join(dir, "dfg.dot"), "--json"]);
    expect(dot.code, dot.stderr).toBe(0);
    expect(await readFile(join(dir, "dfg.dot"), "utf8")).toContain('"web" -> "phone" [label="2 (1.5 h)"');
    // The 60% view: web > phone covers 2 of 3 cases; the lone phone case goes.
    const top = kei(["journeys", "variants", log, "--variants", "60%", "--json"]);
    expect(JSON.parse(top.stdout)).toEqual([{ variant: ["web", "phone"], count: 2 }]);
    const second = JSON.parse(kei(["journeys", "markov", log, "--order", "2", "--json"]).stdout);
    expect(second.transitions).toContainEqual({
      from: "web",
      to: "web > phone",
      next: "phone",
      count: 2,
      probability: 1,
    });
    const next = JSON.parse(kei(["journeys", "markov", log, "--from", "web", "--json"]).stdout);
    expect(next.map((t: { next: string; probability: number }) => [t.next, t.probability])).toEqual([
      ["phone", 1],
    ]);
    expect(kei(["journeys", "variants", log, "--variants", "1.5"]).code).toBe(2);
    expect(kei(["journeys", "variants", log, "--cases", "job"]).code).toBe(2);
    expect(kei(["journeys", "conformance", "--path", "web"]).code).toBe(2);
  });

  it("exits 2 with a clear message on bad usage and bad input", async () => {
    const dir = await tempDir();
    expect(kei(["ingest"]).code).toBe(2);
    expect(kei(["frobnicate"]).code).toBe(2);
    const missing = kei(["ingest", join(dir, "nope.csv"), "--db", join(dir, "k.duckdb")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.csv: no such file or folder");
    await writeFile(join(dir, "kei.config.json"), JSON.stringify({ timeZone: "Mars/Olympus" }));
    const bad = kei(["status", "--db", join(dir, "k.duckdb")], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('timeZone: unknown time zone "Mars/Olympus"');
    const ch = kei(["status", "--db", "clickhouse://u:pw@127.0.0.1:1/kei"]);
    expect(ch.code).toBe(2);
    expect(ch.stderr).toContain("put no password in the store address");
    expect(kei(["generate", "--out", dir, "--customers", "-5"]).stderr).toContain(
      '--customers must be a positive whole number, got "-5"',
    );
  });

  it("demo --json generates, ingests and reports the tables", async () => {
    const dir = await tempDir();
    const r = kei(["demo", "--no-serve", "--customers", "300", "--dir", join(dir, "demo"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.db).toBe(join(dir, "demo", "kei.duckdb"));
    expect(doc.tables.customers).toBe(300);
    expect(doc.tables.contacts).toBeGreaterThan(300);
    expect(doc.tables.reasons).toBe(11);
    const index = kei(["index", "--by", "reason", "--db", doc.db, "--json"]);
    expect(index.code, index.stderr).toBe(0);
    const cells = JSON.parse(index.stdout);
    expect(cells.map((c: { key: { reason: string } }) => c.key.reason)).toContain("storing");
    expect(Object.keys(cells[0])).toEqual([
      "key",
      "jobs",
      "effectiveness",
      "ease",
      "emotion",
      "kei",
      "kei_ci",
      "effectiveness_ci",
      "ease_ci",
      "emotion_ci",
      "agent_resolved",
      "emotion_coverage",
      "complaint_share",
      "emotion_feedback",
      "suppressed",
      "suppressed_because",
      "partial",
      "censored_jobs",
      "rank",
      "rank_ci",
    ]);
    // By month: the demo's first and last months are partial (no job window of data before or after them).
    const months = JSON.parse(kei(["index", "--by", "month", "--db", doc.db, "--json"]).stdout);
    expect(months[0].partial).toBe(true);
    expect(months.at(-1).partial).toBe(true);
    expect(months[1].partial).toBe(false);
    expect(months.at(-1).censored_jobs).toBeGreaterThan(0);
    const human = kei(["index", "--by", "month", "--db", doc.db]);
    expect(human.stdout).toContain("* partial period");
    expect(kei(["index", "--by", "week", "--db", doc.db]).stderr).toContain('unknown dimension "week"');
    const validate = kei(["validate", "--db", doc.db, "--json"]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(Object.keys(JSON.parse(validate.stdout))).toEqual([
      "dataEnd",
      "observedUntil",
      "cutoff",
      "weight",
      "jobs",
      "nps",
      "sameCustomers",
      "reach",
      "months",
      "fittedWeights",
      "verdict",
    ]);
    expect(JSON.parse(validate.stdout).jobs.relativeRiskCi).toHaveLength(2);
    const nps = kei(["nps", "--by", "quarter", "--db", doc.db, "--json"]);
    expect(nps.code, nps.stderr).toBe(0);
    expect(JSON.parse(nps.stdout)[0]).toHaveProperty("margin");
    const stored = kei(["journeys", "dfg", "--db", doc.db, "--json"]);
    expect(stored.code, stored.stderr).toBe(0);
    expect(JSON.parse(stored.stdout).start).toHaveProperty(["visit:web:meterstand_doorgeven"]);
    const exported = kei([
      "journeys",
      "export",
      "--db",
      doc.db,
      "--out",
      join(dir, "journeys.xes"),
      "--json",
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).cases).toBeGreaterThan(250);
    const jobs = kei(["journeys", "variants", "--db", doc.db, "--cases", "job", "--top", "3", "--json"]);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(JSON.parse(jobs.stdout)).toHaveLength(3);
    const conformance = kei([
      "journeys",
      "conformance",
      "--db",
      doc.db,
      "--reason",
      "meterstand_doorgeven",
      "--path",
      "visit:app|visit:web",
      "--json",
    ]);
    expect(conformance.code, conformance.stderr).toBe(0);
    const [meter] = JSON.parse(conformance.stdout);
    expect(meter.paths).toEqual([["visit:app:meterstand_doorgeven"], ["visit:web:meterstand_doorgeven"]]);
    expect(meter.following).toBeGreaterThan(0);
    // Run again: the demo replaces its own store, so the counts are the same.
    const again = JSON.parse(
      kei(["demo", "--no-serve", "--customers", "300", "--dir", join(dir, "demo"), "--json"]).stdout,
    );
    expect(again.tables).toEqual(doc.tables);
  });
});
