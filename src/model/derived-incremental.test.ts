/**
 * Incremental derived builds: after a second ingest that touches a few customers (new customers, and new
 * contacts, visits and feedback of existing ones, some joining a job already stored), the jobs and journey events
 * equal a build from scratch, on every engine, with only the touched customers rebuilt. An ingest of costs alone
 * keeps the tables and moves their version on.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateOrganisation } from "../generate/generate-organisation.js";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { analysisOptions } from "../options/analysis-options.js";
import { BUILD_BUCKETS } from "../store/clickhouse/clickhouse-derived.js";
import { testEngines } from "../store/engine-fixtures.js";
import { raw, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { derivedTables, jobFactsSql } from "./jobs-table.js";
import { journeyEventsBuildSql } from "./journey-events.js";

const engines = await testEngines();
const CUT = "2026-03-01";
let parts: { first: string; second: string; costs: string };

/** Splits a demo CSV: the touched customers' rows from the cut on go to the second ingest, all else to the first. */
async function split(file: string, touched: (customer: string) => boolean, dir: string) {
  const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
  const header = (lines[0] as string).split(",");
  const c = header.indexOf("customer_id");
  const t = header.indexOf("ts");
  const first = [lines[0]];
  const second = [lines[0]];
  for (const line of lines.slice(1)) {
    // The id and time columns come before any free text, so a plain split finds them.
    const f = line.split(",");
    const customer = f[c] ?? "";
    const late = t < 0 || (f[t] ?? "") >= CUT;
    (touched(customer) && late ? second : first).push(line);
  }
  const name = file.split("/").pop() as string;
  await writeFile(join(dir, "a", name), `${first.join("\n")}\n`);
  await writeFile(join(dir, "b", name), `${second.join("\n")}\n`);
}

beforeAll(async () => {
  const dir = await tempDir();
  const data = join(dir, "data");
  await generateOrganisation({ outDir: data, customers: 600, seed: 8 });
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(dir, "a"));
  await mkdir(join(dir, "b"));
  await mkdir(join(dir, "c"));
  // About 8% of the customers: their later rows, and for a few of them the whole customer, arrive second.
  const touched = (id: string) => Number(id.replace(/\D/g, "")) % 12 === 5;
  for (const t of ["contacts", "web_events", "feedback"]) await split(join(data, `${t}.csv`), touched, dir);
  const customers = (await readFile(join(data, "customers.csv"), "utf8")).trimEnd().split("\n");
  const late = (line: string) => Number((line.split(",")[0] ?? "").replace(/\D/g, "")) % 48 === 5;
  await writeFile(
    join(dir, "a", "customers.csv"),
    `${customers.filter((l, i) => i === 0 || !late(l)).join("\n")}\n`,
  );
  await writeFile(
    join(dir, "b", "customers.csv"),
    `${customers.filter((l, i) => i === 0 || late(l)).join("\n")}\n`,
  );
  for (const t of ["reasons", "costs"]) {
    await writeFile(join(dir, "a", `${t}.csv`), await readFile(join(data, `${t}.csv`)));
  }
  const costs = (await readFile(join(data, "costs.csv"), "utf8")).trimEnd().split("\n");
  await writeFile(join(dir, "c", "costs.csv"), `${costs[0]}\nletter,1.25\n`);
  parts = { first: join(dir, "a"), second: join(dir, "b"), costs: join(dir, "c") };
}, 120_000);

/** Values as the stored table types them: a computed 0/1 may come back as a boolean from a bare query. */
const plain = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === "boolean" ? Number(v) : typeof v === "number" ? Number(v.toPrecision(12)) : v,
      ]),
    ),
  );

async function rowsOf(store: Store, relation: string, order: string) {
  return plain(await store.query(raw(`SELECT * FROM ${relation} ORDER BY ${order}`)));
}

describe.each(engines)("incremental derived builds on $name", (engine) => {
  it.skipIf(engine.skip !== undefined)(
    `equal a build from scratch${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const store = await engine.open();
      const dir = await tempDir();
      const o = analysisOptions();
      const opts = (n: string) => ({ timeZone: "Europe/Amsterdam", rejectsPath: join(dir, n) });
      try {
        await ingestFiles(store, [parts.first], opts("r1.csv"));
        // On ClickHouse the first, full build runs in buckets of customers (about 5,000 web events each here), as
        // it does at scale; the comparison with a build from scratch below covers the rows it kept.
        const bucket = BUILD_BUCKETS.rows;
        BUILD_BUCKETS.rows = 5_000;
        try {
          expect((await store.refreshDerived(derivedTables(o)))[0]).toMatchObject({ mode: "full" });
        } finally {
          BUILD_BUCKETS.rows = bucket;
        }
        const second = await ingestFiles(store, [parts.second], opts("r2.csv"));
        expect(second.files.reduce((a, f) => a + f.stored, 0)).toBeGreaterThan(0);
        const builds = await store.refreshDerived(derivedTables(o));
        for (const b of builds) expect(b).toMatchObject({ mode: "incremental" });
        expect(builds[0]?.customers).toBeGreaterThan(20);
        const d = store.dialect;
        const jobKey = "customer_id, reason, grp";
        const jobs = await rowsOf(store, "jobs", jobKey);
        const scratch = plain(
          await store.query(sql`SELECT * FROM (${jobFactsSql(d, o)}) AS j ORDER BY ${raw(jobKey)}`),
        );
        expect(jobs.length).toBe(scratch.length);
        expect(jobs).toEqual(scratch);
        const eventKey = "mode, e_customer, e_reason, t, event_key";
        const events = await rowsOf(store, "journey_events", eventKey);
        const eventsScratch = plain(
          await store.query(
            sql`SELECT * FROM (${journeyEventsBuildSql(d, o)}) AS e ORDER BY ${raw(eventKey)}`,
          ),
        );
        expect(events).toEqual(eventsScratch);
        // Costs are read by neither table: both are kept as they are, at the new version.
        const version = await store.dataVersion();
        await ingestFiles(store, [parts.costs], opts("r3.csv"));
        expect(await store.dataVersion()).not.toBe(version);
        const kept = await store.refreshDerived(derivedTables(o));
        for (const b of kept) expect(b).toMatchObject({ mode: "kept" });
        for (const spec of derivedTables(o)) expect(await store.derivedFresh(spec)).toBe(true);
      } finally {
        await store.close();
        await engine.cleanup();
      }
    },
    300_000,
  );
});
