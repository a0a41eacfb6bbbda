/**
 * The KEI's invariants on random contact histories (fast-check), on DuckDB: see the properties below.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jobContactsSql, jobTableSql } from "../model/job-table.js";
import { analysisOptions } from "../options/analysis-options.js";
import { DuckDBStore } from "../store/duckdb/duckdb-store.js";
import { sql } from "../store/sql.js";
import { keiIndex } from "./kei-index.js";

const OPTIONS = { minCellSize: 1, minEmotionSignals: 1, maxKeiInterval: 100 };

describe("KEI invariants (property)", () => {
  const contact = fc.record({
    customer: fc.constantFrom("P", "Q"),
    reason: fc.constantFrom("storing", "verhuizen"),
    day: fc.integer({ min: 0, max: 40 }),
    hour: fc.integer({ min: 0, max: 23 }),
    channel: fc.constantFrom("phone", "chat", "email"),
    transfers: fc.integer({ min: 0, max: 4 }),
    complaint: fc.boolean(),
  });

  async function load(
    rows: {
      customer: string;
      reason: string;
      day: number;
      hour: number;
      channel: string;
      transfers: number;
      complaint: boolean;
      /** Seconds into the hour; by default the row's index, which keeps times distinct. */
      second?: number;
    }[],
  ) {
    const store = await DuckDBStore.open(":memory:");
    await store.ensureSchema();
    const session = await store.beginLoad();
    const f = await session.addFile("contacts", "contacts");
    const base = Date.UTC(2025, 0, 1) / 1000;
    await session.append(
      f,
      rows.map((r, i) => ({
        row: i + 1,
        values: [
          `K${i}`,
          r.customer,
          base + r.day * 86400 + r.hour * 3600 + (r.second ?? i),
          r.channel,
          r.reason,
          "inbound",
          0,
          0,
          r.transfers,
          null,
          r.complaint,
          null,
          null,
        ],
      })),
    );
    await session.commit();
    return store;
  }

  it("puts every contact in exactly one job, and keeps every score within 0-100", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contact, { minLength: 1, maxLength: 25 }), async (rows) => {
        const store = await load(rows);
        try {
          const o = analysisOptions();
          const members = await store.query<{ contact_id: string }>(
            sql`SELECT contact_id FROM (${jobContactsSql(store.dialect, o)}) AS jc`,
          );
          expect(members.map((m) => m.contact_id).sort()).toEqual(rows.map((_, i) => `K${i}`).sort());
          const jobs = await store.query<{ contacts: number; ease: number }>(
            sql`SELECT contacts, ease FROM (${jobTableSql(store.dialect, o)}) AS j`,
          );
          expect(jobs.reduce((a, j) => a + j.contacts, 0)).toBe(rows.length);
          for (const j of jobs) expect(j.ease).toBeGreaterThanOrEqual(0);
          for (const j of jobs) expect(j.ease).toBeLessThanOrEqual(100);
          for (const c of await keiIndex(store, { by: ["reason"], options: OPTIONS })) {
            // Effectiveness and the KEI are null where every job is censored.
            for (const v of [c.effectiveness, c.ease, c.kei].filter((x) => x !== null)) {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(100);
            }
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it("adding a repeat contact never raises effectiveness", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contact, { minLength: 1, maxLength: 15 }),
        fc.nat(),
        fc.integer({ min: 0, max: 6 }),
        async (rows, pick, later) => {
          const original = rows[pick % rows.length] as (typeof rows)[number];
          // The same customer and reason again, 0-6 days after a contact: within the 7-day window.
          const repeat = {
            ...original,
            day: original.day + later,
            hour: original.hour,
            complaint: false,
            transfers: 0,
          };
          // Over every job, censored or not (a repeat after the data's end would change which jobs are judged).
          const eff = async (list: typeof rows) => {
            const store = await load(list);
            try {
              const r = await store.query<{ n: number | null }>(
                sql`SELECT sum(effective) AS n FROM (${jobTableSql(store.dialect, analysisOptions())}) AS j`,
              );
              return Number(r[0]?.n ?? 0);
            } finally {
              await store.close();
            }
          };
          // Effective jobs (a count) can only fall: the repeat makes a job ineffective or joins a failed one.
          expect(await eff([...rows, repeat])).toBeLessThanOrEqual((await eff(rows)) + 1e-9);
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** Spearman's rank correlation (no ties expected). */
