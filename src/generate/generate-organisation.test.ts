import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { CsvSource } from "../ingest/readers/csv-source.js";
import { isMissing, parseValue, ValueError } from "../schema/parse-value.js";
import { TABLES, type TableName } from "../schema/tables.js";
import { generateOrganisation } from "./generate-organisation.js";
import type { Truth } from "./truth.js";

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of ["customers", "contacts", "web_events", "feedback", "reasons", "costs", "kpis"]) {
    out[f] = createHash("sha256")
      .update(await readFile(join(dir, `${f}.csv`)))
      .digest("hex");
  }
  out.truth = createHash("sha256")
    .update(await readFile(join(dir, "truth.json")))
    .digest("hex");
  return out;
}

async function readRows(dir: string, table: TableName): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for await (const b of new CsvSource(join(dir, `${table}.csv`)).batches(10_000)) {
    for (const r of b) {
      if (r.error) throw new Error(`${table} row ${r.row}: ${r.error}`);
      rows.push(r.values as Record<string, string>);
    }
  }
  return rows;
}

describe("generateOrganisation", () => {
  it("is deterministic for a seed and differs between seeds", async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await generateOrganisation({ outDir: a, customers: 500, seed: 7 });
    await generateOrganisation({ outDir: b, customers: 500, seed: 7 });
    await generateOrganisation({ outDir: c, customers: 500, seed: 8 });
    expect(await hashes(a)).toEqual(await hashes(b));
    expect((await hashes(c)).contacts).not.toBe((await hashes(a)).contacts);
  });

  it("refuses sizes it cannot make", async () => {
    await expect(generateOrganisation({ outDir: await tempDir(), customers: 0 })).rejects.toThrow(
      "customers must be a whole number from 1 to 5000000, got 0",
    );
  });

  it("writes only rows the data model accepts, with unique keys and known customers and reasons", async () => {
    const dir = await tempDir();
    await generateOrganisation({ outDir: dir, customers: 400, seed: 3 });
    const ids: Record<string, Set<string>> = {};
    for (const table of Object.keys(TABLES) as TableName[]) {
      const spec = TABLES[table];
      const seen = new Set<string>();
      for (const row of await readRows(dir, table)) {
        for (const col of spec.columns) {
          const v = row[col.name];
          if (isMissing(v)) {
            expect(col.required, `${table}.${col.name} required`).toBe(false);
            continue;
          }
          const parsed = parseValue(v, col, "Europe/Amsterdam");
          if (parsed instanceof ValueError) throw new Error(`${table}.${col.name}: ${parsed.reason}`);
        }
        const key = spec.key.map((k) => row[k] ?? "").join("|");
        expect(seen.has(key), `duplicate ${table} key ${key}`).toBe(false);
        seen.add(key);
      }
      ids[table] = seen;
    }
    for (const c of await readRows(dir, "contacts")) {
      expect(ids.customers?.has(c.customer_id as string)).toBe(true);
      expect(ids.reasons?.has(c.reason as string)).toBe(true);
    }
    for (const f of await readRows(dir, "feedback")) {
      if (f.contact_id) expect(ids.contacts?.has(f.contact_id)).toBe(true);
    }
  });
});

describe("planted truth at 20,000 customers", () => {
  let dir: string;
  let truth: Truth;
  let contacts: { customer: string; reason: string; ts: number }[];
  let seconds: number;

  beforeAll(async () => {
    dir = await tempDir();
    const t0 = performance.now();
    await generateOrganisation({ outDir: dir, customers: 20_000, seed: 42 });
    seconds = (performance.now() - t0) / 1000;
    truth = JSON.parse(await readFile(join(dir, "truth.json"), "utf8"));
    contacts = (await readRows(dir, "contacts")).map((r) => ({
      customer: r.customer_id as string,
      reason: r.reason as string,
      ts: Date.parse(r.ts as string) / 1000,
    }));
  }, 120_000);

  it("generates in seconds", () => {
    console.log(`generated 20,000 customers in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(30);
  });

  it("first-time resolution measured with the 7-day job rule is the planted rate within 3 standard errors", () => {
    // Jobs: a contact for the same customer and reason within 7 days of the previous one continues the job.
    const byKey = new Map<string, number[]>();
    for (const c of contacts) {
      const k = `${c.customer}|${c.reason}`;
      const list = byKey.get(k) ?? [];
      list.push(c.ts);
      byKey.set(k, list);
    }
    const jobs = new Map<string, { jobs: number; single: number }>();
    for (const [k, times] of byKey) {
      const reason = k.split("|")[1] as string;
      times.sort((a, b) => a - b);
      const s = jobs.get(reason) ?? { jobs: 0, single: 0 };
      let size = 1;
      for (let i = 1; i <= times.length; i++) {
        if (i < times.length && (times[i] as number) - (times[i - 1] as number) <= 7 * 86400) {
          size++;
          continue;
        }
        s.jobs++;
        if (size === 1) s.single++;
        size = 1;
      }
      jobs.set(reason, s);
    }
    for (const [code, r] of Object.entries(truth.reasons)) {
      const m = jobs.get(code);
      if (!m) throw new Error(`no jobs for ${code}`);
      // Complaints only come from repeated jobs, so a single-contact job is a first-time resolution.
      const measured = m.single / m.jobs;
      const se = Math.sqrt((r.fcr * (1 - r.fcr)) / m.jobs);
      expect(
        Math.abs(measured - r.fcr),
        `${code}: measured ${measured.toFixed(3)} planted ${r.fcr}`,
      ).toBeLessThan(3 * se);
      expect(m.jobs).toBe(r.realised.jobs);
    }
  });

  it("web-to-call is the planted rate within 3 standard errors, failing flows highest", () => {
    for (const [code, r] of Object.entries(truth.reasons)) {
      const n = r.realised.online_attempts;
      const se = Math.sqrt((r.web_to_call * (1 - r.web_to_call)) / n);
      expect(Math.abs(r.realised.web_to_call - r.web_to_call), code).toBeLessThan(3 * se);
    }
    const ranked = Object.entries(truth.reasons).sort(
      (a, b) => b[1].realised.web_to_call - a[1].realised.web_to_call,
    );
    expect(
      ranked
        .slice(0, 2)
        .map(([c]) => c)
        .sort(),
    ).toEqual(["meterstand_doorgeven", "termijnbedrag_aanpassen"]);
    expect(ranked.slice(0, 2).every(([, r]) => r.failing_online_flow)).toBe(true);
  });

  it("customers with failed jobs leave clearly more often", () => {
    const c = truth.churn.realised;
    const p1 = c.left_share_with_failed_jobs;
    const p0 = c.left_share_without_failed_jobs;
    const se = Math.sqrt(
      (p1 * (1 - p1)) / c.customers_with_failed_jobs + (p0 * (1 - p0)) / c.customers_without_failed_jobs,
    );
    expect(p1 - p0).toBeGreaterThan(4 * se);
  });

  it("the agents' resolved flag is optimistic: often set on contacts that were followed by a repeat", () => {
    expect(truth.agent_resolved_gap.resolved_flag_when_repeat_followed).toBeGreaterThan(0.55);
    expect(truth.agent_resolved_gap.resolved_flag_when_resolved).toBeGreaterThan(0.93);
  });
});
