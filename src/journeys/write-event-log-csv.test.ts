import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLog } from "./event-log.js";
import { writeEventLog } from "./write-event-log.js";

describe("event log CSV export", () => {
  it("writes cells a spreadsheet would run as formulas as text, and plain numbers as they are", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "kei-log-")), "log.csv");
    const time = Date.UTC(2025, 0, 1, 9);
    const log = buildLog([
      { caseId: "=1+1", event: { activity: "@SUM(A1)", time, attributes: { "-score": "-3", note: "+x" } } },
    ]);
    await writeEventLog(log, file);
    expect((await readFile(file, "utf8")).split("\n")).toEqual([
      `case_id,activity,timestamp,"'-score",note`,
      `"'=1+1","'@SUM(A1)",2025-01-01T09:00:00.000Z,-3,"'+x"`,
      "",
    ]);
  });
});
