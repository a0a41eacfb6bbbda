/**
 * The jobs table's facts, worked out by hand, the same on every engine: a customer's two contacts on one
 * reason four days apart are one job (window 7 days); a third eleven days later is the next.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { analysisOptions } from "../options/analysis-options.js";
import { testEngines } from "../store/engine-fixtures.js";
import { sql } from "../store/sql.js";
import { derivedTables } from "./jobs-table.js";

const engines = await testEngines();
const day = 86_400;
const T0 = Date.UTC(2025, 2, 3, 9) / 1000; // Monday 3 March 2025, 10:00 in Amsterdam

describe.each(engines)("the jobs table on $name", (engine) => {
  it.skipIf(engine.skip !== undefined)(
    `holds each job's facts${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const dir = await tempDir();
      const store = await engine.open();
      try {
        await ingestFiles(
          store,
          [
            await writeCsvFiles(dir, {
              customers: ["customer_id,segment,product,end_date", "C1,zakelijk,gas,2025-06-30"].join("\n"),
              reasons: ["reason,label_nl,label_en,lifecycle_stage", "storing,Storing,Outage,usage"].join(
                "\n",
              ),
              contacts: [
                "contact_id,customer_id,ts,channel,reason,wait_s,transfers,complaint",
                "K1,C1,2025-03-03T09:00:00Z,phone,storing,60,2,false",
                "K2,C1,2025-03-07T09:00:00Z,chat,storing,30,1,false",
                "K3,C1,2025-03-18T09:00:00Z,phone,storing,0,0,false",
              ].join("\n"),
              feedback: [
                "feedback_id,customer_id,contact_id,ts,source,text",
                "F1,C1,K2,2025-03-07T12:00:00Z,complaint,Nog steeds geen stroom",
              ].join("\n"),
            }),
          ],
          { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") },
        );
        await store.refreshDerived(derivedTables(analysisOptions()));
        const rows = await store.query(
          sql`SELECT grp, first_t, last_t, follow_up_end_t, contacts, channels, switches, transfers, escalated,
              complaints, complaint, effective, segment, product, end_date, lifecycle_stage, first_day, first_month,
              first_quarter FROM jobs ORDER BY grp`,
        );
        expect(rows).toEqual([
          {
            grp: 1,
            first_t: T0,
            last_t: T0 + 4 * day,
            follow_up_end_t: T0 + 11 * day,
            contacts: 2,
            channels: 2,
            switches: 1,
            // 2 + 1 transfers: more than the default 2, an escalation.
            transfers: 3,
            escalated: 1,
            // No contact flagged complaint, but a complaint about K2: the job had a complaint.
            complaints: 0,
            complaint: 1,
            effective: 0,
            segment: "zakelijk",
            product: "gas",
            end_date: "2025-06-30",
            lifecycle_stage: "usage",
            first_day: "2025-03-03",
            first_month: "2025-03-01",
            first_quarter: "2025-01-01",
          },
          {
            grp: 2,
            first_t: T0 + 15 * day,
            last_t: T0 + 15 * day,
            follow_up_end_t: T0 + 22 * day,
            contacts: 1,
            channels: 1,
            switches: 0,
            transfers: 0,
            escalated: 0,
            complaints: 0,
            complaint: 0,
            effective: 1,
            segment: "zakelijk",
            product: "gas",
            end_date: "2025-06-30",
            lifecycle_stage: "usage",
            first_day: "2025-03-18",
            first_month: "2025-03-01",
            first_quarter: "2025-01-01",
          },
        ]);
      } finally {
        await store.close();
        await engine.cleanup();
      }
    },
  );

  it.skipIf(engine.skip !== undefined)(
    `counts outbound contacts in the job but not as the customer's effort${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const dir = await tempDir();
      const store = await engine.open();
      try {
        await ingestFiles(
          store,
          [
            await writeCsvFiles(dir, {
              contacts: [
                "contact_id,customer_id,ts,channel,reason,direction,wait_s,transfers",
                "K1,C2,2025-03-03T09:00:00Z,phone,storing,inbound,600,1",
                "K2,C2,2025-03-05T09:00:00Z,email,storing,outbound,90000,2",
                "K3,C2,2025-03-08T09:00:00Z,phone,storing,inbound,0,0",
                // A single contact on its own reason, without feedback: one job, effective.
                "K4,C3,2025-03-03T09:00:00Z,chat,storing,inbound,300,0",
              ].join("\n"),
              feedback: [
                "feedback_id,customer_id,contact_id,ts,source,text",
                // A complaint given as feedback about an unflagged single contact: the job is not effective.
                "F9,C3,K4,2025-03-03T12:00:00Z,complaint,Onbeschoft",
              ].join("\n"),
            }),
          ],
          { timeZone: "Europe/Amsterdam", rejectsPath: join(dir, "r.csv") },
        );
        await store.refreshDerived(derivedTables(analysisOptions()));
        const rows = await store.query<Record<string, unknown>>(
          sql`SELECT customer_id, contacts, inbound_contacts, switches, wait_s, wait_norms, transfers, escalated, complaint,
              effective, c_contacts, c_switches, c_wait, c_transfers, ease, complaint_signals FROM jobs ORDER BY customer_id`,
        );
        const third = 1 / 3;
        // C2: three contacts, two of them the customer's. The e-mail is the company's: no effort, and the phone
        // call after it is not a switch (an outbound contact breaks the pair). Waiting 600 s of the phone's 1,800;
        // inbound transfers 1 of the anchor 3; all transfers (3) make it an escalation.
        // ease = 100 x (1 - (0.30 x 1/3 + 0.20 x 1/3 + 0.15 x 1/3)) = 78.33.
        // C3: one chat of 300 s against the chat norm of 600 s: 100 x (1 - 0.20 x 0.5) = 90.
        expect(rows.map((r) => ({ ...r, ease: Number(r.ease) }))).toEqual([
          {
            customer_id: "C2",
            contacts: 3,
            inbound_contacts: 2,
            switches: 0,
            wait_s: 600,
            wait_norms: expect.closeTo(third, 12),
            transfers: 3,
            escalated: 1,
            complaint: 0,
            effective: 0,
            c_contacts: expect.closeTo(third, 12),
            c_switches: 0,
            c_wait: expect.closeTo(third, 12),
            c_transfers: expect.closeTo(third, 12),
            ease: expect.closeTo(100 * (1 - 0.65 * third), 9),
            complaint_signals: 0,
          },
          {
            customer_id: "C3",
            contacts: 1,
            inbound_contacts: 1,
            switches: 0,
            wait_s: 300,
            wait_norms: 0.5,
            transfers: 0,
            escalated: 0,
            complaint: 1,
            effective: 0,
            c_contacts: 0,
            c_switches: 0,
            c_wait: 0.5,
            c_transfers: 0,
            ease: 90,
            complaint_signals: 1,
          },
        ]);
      } finally {
        await store.close();
        await engine.cleanup();
      }
    },
  );
});
