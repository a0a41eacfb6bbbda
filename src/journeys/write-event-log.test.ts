import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../ingest/ingest-fixtures.js";
import { buildLog, type EventLog } from "./event-log.js";
import { readEventLog } from "./read-event-log.js";
import { writeEventLog } from "./write-event-log.js";

const plain = (log: EventLog) =>
  [...log.cases]
    .map(([c, events]) => [c, events.map((e) => [e.activity, e.time])])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe("event log export", () => {
  const log = buildLog([
    {
      caseId: "C1",
      event: { activity: "web:meterstand", time: Date.UTC(2025, 0, 1, 9), attributes: { channel: "web" } },
    },
    {
      caseId: "C1",
      event: {
        activity: "phone:meterstand",
        time: Date.UTC(2025, 0, 1, 11),
        attributes: { channel: "phone" },
      },
    },
    { caseId: "C2 & <co>", event: { activity: 'chat:"storing", 1', time: Date.UTC(2025, 0, 2, 8) } },
    { caseId: "C2 & <co>", event: { activity: "chat:storing", time: Date.UTC(2025, 0, 2, 8) } },
    { caseId: "C3\ttab", event: { activity: "line\nbreak\r", time: Date.UTC(2025, 0, 3, 8) } },
  ]);

  it.each(["xes", "csv"])(
    "round-trips through %s: the same cases, activities, times and order",
    async (ext) => {
      const file = join(await tempDir(), `log.${ext}`);
      await writeEventLog(log, file);
      const back = await readEventLog(file);
      expect(plain(back)).toEqual(plain(log));
    },
  );
});
