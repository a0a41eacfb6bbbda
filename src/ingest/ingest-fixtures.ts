/**
 * Small hand-written contract files for the ingestion tests: one or more good rows per table, written
 * as CSV, and converted to NDJSON and Parquet so that every format carries the same rows.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { TableName } from "../schema/tables.js";

export const GOOD: Record<TableName, string> = {
  customers: [
    "customer_id,segment,product,region,start_date,end_date,annual_value_eur,loyalty_tier",
    "C1,particulier,stroom+gas,Utrecht,2021-04-01,,1850.5,gold",
    "C2,zakelijk,zakelijk-maatwerk,Zeeland,2019-01-15,2025-06-30,24000,",
  ].join("\n"),
  contacts: [
    "contact_id,customer_id,ts,channel,reason,direction,wait_s,handle_s,transfers,resolved,complaint,cost_eur",
    "K1,C1,2025-03-01T09:30:00,phone,storing,inbound,95,420,1,true,false,6.5",
    "K2,C1,2025-03-03T14:00:00+01:00,chat,storing,,12,300,0,ja,nee,",
    "K3,C2,2025-07-15T10:00:00Z,email,jaarafrekening,outbound,,,,,1,4",
  ].join("\n"),
  web_events: [
    "event_id,session_id,customer_id,ts,channel,page,reason,action",
    "W1,S1,C1,2025-03-01T08:55:00,web,/service/storingen,storing,view",
    "W2,S1,C1,2025-03-01T08:57:10,web,/service/storingen/melden,storing,error",
    "W3,S2,,2025-03-02T20:00:00,app,/home,,",
  ].join("\n"),
  feedback: [
    "feedback_id,customer_id,contact_id,ts,source,nps,ces,csat,text,language",
    'F1,C1,K1,2025-03-01T12:00:00,survey,3,2,2,"Lang gewacht, ""niet"" geholpen.\nSlecht.",nl',
    "F2,C2,,2025-07-20T09:00:00,review,,,,Quick and friendly,",
  ].join("\n"),
  reasons: [
    "reason,label_nl,label_en,lifecycle_stage,colour",
    "storing,Storing,Outage,usage,#d62728",
    "jaarafrekening,Jaarafrekening,Annual bill,billing,#1f77b4",
  ].join("\n"),
  costs: ["channel,cost_per_contact_eur", "phone,6.5", "chat,3.5", "email,4"].join("\n"),
  kpis: [
    "period,name,value,segment",
    "2025-03-01,churn_rate,0.012,particulier",
    "2025-03-01,churn_rate,0.02,zakelijk",
    "2025-03-01,revenue_eur,1250000,",
  ].join("\n"),
};

export async function tempDir(prefix = "kei-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes GOOD (or the given tables) as CSV into `dir`; returns the folder. */
export async function writeCsvFiles(
  dir: string,
  tables: Partial<Record<TableName, string>> = GOOD,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [t, text] of Object.entries(tables)) await writeFile(join(dir, `${t}.csv`), `${text}\n`);
  return dir;
}

/**
 * Converts every `<table>.csv` of `csvDir` to NDJSON and Parquet (all values as text, as exports from
 * other systems commonly are; a typed Parquet file is tested in the readers' own tests).
 */
export async function convertFormats(
  csvDir: string,
  outDir: string,
  format: "ndjson" | "parquet",
): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    for (const t of Object.keys(GOOD)) {
      const src = join(csvDir, `${t}.csv`).replaceAll("'", "''");
      const dst = join(outDir, `${t}.${format}`).replaceAll("'", "''");
      const fmt = format === "parquet" ? "(FORMAT parquet)" : "(FORMAT json)";
      await c.run(
        `COPY (SELECT * FROM read_csv('${src}', all_varchar = true, header = true, quote = '"', escape = '"')) TO '${dst}' ${fmt}`,
      );
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return outDir;
}
