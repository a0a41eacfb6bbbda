/**
 * Channel switching by hand, on every engine. Reason storing: P phone -> chat (a day later) -> phone (a day later):
 * 2 switches, back to phone (ping-pong), 48 h; Q phone -> phone two days later: a rework loop, 48 h; R one email.
 * So 3 jobs, 2/3 switches per job, 1/3 with a switch, 1/3 ping-pong, 1/3 rework, median 48 h (jobs with a repeat).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "../ingest/ingest-files.js";
import { tempDir, writeCsvFiles } from "../ingest/ingest-fixtures.js";
import { testEngines } from "../store/engine-fixtures.js";
import type { Store } from "../store/store.js";
import { channelSwitching } from "./channel-switching.js";

const engines = await testEngines();

describe.each(engines)("channel switching on $name", (engine) => {
  let store: Store | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    store = await engine.open();
    const dir = await tempDir();
    await writeCsvFiles(dir, {
      contacts: [
        "contact_id,customer_id,ts,channel,reason",
        "P1,P,2025-03-01T09:00:00Z,phone,storing",
        "P2,P,2025-03-02T09:00:00Z,chat,storing",
        "P3,P,2025-03-03T09:00:00Z,phone,storing",
        "Q1,Q,2025-03-01T09:00:00Z,phone,storing",
        "Q2,Q,2025-03-03T09:00:00Z,phone,storing",
        "R1,R,2025-03-05T09:00:00Z,email,storing",
      ].join("\n"),
    });
    await ingestFiles(store, [dir], { timeZone: "UTC", rejectsPath: join(dir, "r.csv") });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await engine.cleanup();
  });

  it.skipIf(engine.skip !== undefined)(
    `matches the figures worked out by hand${engine.skip ? ` (skipped: ${engine.skip})` : ""}`,
    async () => {
      const [r] = await channelSwitching(store as Store);
      expect(r?.reason).toBe("storing");
      expect(r?.jobs).toBe(3);
      expect(r?.switchesPerJob).toBeCloseTo(2 / 3, 12);
      expect(r?.withSwitch).toBeCloseTo(1 / 3, 12);
      expect(r?.pingPong).toBeCloseTo(1 / 3, 12);
      expect(r?.rework).toBeCloseTo(1 / 3, 12);
      expect(r?.medianHoursToResolution).toBe(48);
    },
  );
});
