/**
 * A small derived table for the store's own tests (contacts per customer and reason), and, run as a child
 * process, a refresh of it that the kill -9 test can interrupt:
 *   node --import tsx derived-fixtures.ts LOCATION_JSON MIN_WAIT
 * prints "building" before the refresh and "built" after it.
 */
import { fileURLToPath } from "node:url";
import { openStore } from "../open-store.js";
import { sql } from "../sql.js";
import type { StoreLocation } from "../store-location.js";
import { type DerivedTableSpec, WHOLE_INPUTS } from "./derived-table.js";

/** Contacts per customer and reason with a wait of at least `minWait` seconds (a stand-in for an option). */
export function contactCountsSpec(minWait = 0): DerivedTableSpec {
  return {
    name: "test_contact_counts",
    columns: [
      { name: "customer_id", type: "string" },
      { name: "reason", type: "string" },
      { name: "n", type: "integer" },
      { name: "first_ts", type: "timestamp" },
      { name: "mean_wait", type: "number", nullable: true },
    ],
    key: ["customer_id", "reason"],
    customerColumn: "customer_id",
    reads: ["contacts"],
    build: (d, inputs = WHOLE_INPUTS) =>
      sql`SELECT customer_id, reason, ${d.count()} AS n, min(ts) AS first_ts, avg(wait_s) AS mean_wait
          FROM ${inputs.from("contacts")} WHERE coalesce(wait_s, 0) >= ${minWait} GROUP BY customer_id, reason`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [location, minWait] = process.argv.slice(2);
  if (!location) throw new Error("usage: derived-fixtures.ts LOCATION_JSON MIN_WAIT");
  const store = await openStore(JSON.parse(location) as StoreLocation);
  const say = (line: string) =>
    new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
  await say("building");
  await store.refreshDerived([contactCountsSpec(Number(minWait ?? 0))]);
  await say("built");
  await store.close();
}
