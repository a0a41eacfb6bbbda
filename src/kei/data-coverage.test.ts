/**
 * Partial periods and censored jobs, worked out by hand on every engine. Contacts from 5 January to 12 March
 * 2025 (UTC), job window 7 days: days whose jobs can be judged run from 13 January (a window and a day after
 * the first contact's day) to 4 March (a window and a day before the last's). January and March are partial,
 * February whole. Censored: the jobs starting within 7 days of the first contact (C1, C2), and those whose
 * follow-up ends after the last contact (C4, C6); C5's follow-up ends on 11 March, inside the data.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import { periodPartial } from "./data-coverage.js";
import { keiIndex } from "./kei-index.js";

const engines = await testEngines();

describe.each(engines)("partial periods and censored jobs on $name", (engine) => {
  it.skipIf(engine.skip !== undefined)(
    `are marked and counted${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const dir = await tempDir();
      const store = await engine.open();
      try {
        await ingestFiles(
          store,
          [
            await writeCsvFiles(dir, {
              customers: ["customer_id,segment", ...[1, 2, 3, 4, 5, 6].map((i) => `C${i},particulier`)].join(
                "\n",
              ),
              contacts: [
                "contact_id,customer_id,ts,channel,reason",
                "K1,C1,2025-01-06T10:00:00Z,phone,storing",
                "K2,C2,2025-01-05T10:00:00Z,phone,storing",
                "K3,C3,2025-02-10T10:00:00Z,phone,storing",
                "K4,C4,2025-03-10T10:00:00Z,phone,storing",
                "K5,C5,2025-03-01T10:00:00Z,phone,storing",
                "K6,C5,2025-03-04T10:00:00Z,chat,storing",
                "K7,C6,2025-03-12T10:00:00Z,phone,storing",
              ].join("\n"),
            }),
          ],
          { timeZone: "UTC", rejectsPath: join(dir, "r.csv") },
        );
        const options = { timeZone: "UTC", minCellSize: 1 };
        const months = await keiIndex(store, { by: ["month"], options });
        expect(months.map((c) => [c.key.month, c.jobs, c.censoredJobs, c.partial])).toEqual([
          ["2025-01-01", 2, 2, true],
          ["2025-02-01", 1, 0, false],
          ["2025-03-01", 3, 2, true],
        ]);
        const all = await keiIndex(store, { by: [], options });
        expect(all.map((c) => [c.jobs, c.censoredJobs, c.partial])).toEqual([[6, 4, false]]);
        const quarters = await keiIndex(store, { by: ["quarter"], options });
        expect(quarters.map((c) => c.partial)).toEqual([true]);
      } finally {
        await store.close();
      }
    },
  );
});

describe("periodPartial", () => {
  const c = { firstT: 0, lastT: 1, firstCompleteDay: "2025-01-13", lastCompleteDay: "2025-03-04" };
  it.each([
    ["month", "2025-01-01", true],
    ["month", "2025-02-01", false],
    ["month", "2025-03-01", true],
    ["quarter", "2025-01-01", true],
  ] as const)("%s %s: %s", (grain, start, partial) => {
    expect(periodPartial(grain, start, c)).toBe(partial);
  });
  it("marks every period partial when no day can be judged", () => {
    expect(
      periodPartial("month", "2025-02-01", { ...c, firstCompleteDay: null, lastCompleteDay: null }),
    ).toBe(true);
  });
});
