/**
 * Seeded fuzzing of the XES reader. Random logs written as XES in random valid ways, read in random chunk sizes,
 * give back exactly the log (with or without the events' attributes); a document cut short anywhere before its </log> is an EventLogError, never a shorter
 * log; random damage to a document or random bytes give a log or an EventLogError, never another exception or a
 * hang. The fast timestamp path equals Date.parse.
 * KEI_FUZZ_RUNS=5000 npx vitest run src/journeys/xes-reader.fuzz.test.ts runs more cases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventLog } from "./event-log.js";
import { timeOf } from "./log-time.js";
import { expected, genLog, writeXes } from "./xes-fuzz-fixtures.js";
import { EventLogError, readXesBytes } from "./xes-reader.js";

const RUNS = { seed: 42, numRuns: Number(process.env.KEI_FUZZ_RUNS ?? 200) };

/** A chooser from fast-check's random numbers, for writeXes. */
const picks = fc.infiniteStream(fc.nat()).map((stream) => {
  const it = stream[Symbol.iterator]();
  return (n: number) => (it.next().value ?? 0) % n;
});

const plain = (log: EventLog) =>
  [...log.cases].map(([id, events]) => [id, events.map((e) => [e.activity, e.time, e.attributes])]);

function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** The log, or the EventLogError; any other exception fails the property. */
async function attempt(bytes: Buffer, size: number): Promise<EventLog | EventLogError> {
  try {
    return await readXesBytes("fuzz.xes", chunked(bytes, size));
  } catch (e) {
    if (e instanceof EventLogError) return e;
    throw e;
  }
}

const chunkSize = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 5000 }));

describe("XES reader fuzzing", () => {
  it("reads back any log written in any valid way, in any chunk size", async () => {
    await fc.assert(
      fc.asyncProperty(genLog, picks, chunkSize, async (traces, pick, size) => {
        const doc = Buffer.from(writeXes(traces, pick));
        const log = await readXesBytes("fuzz.xes", chunked(doc, size));
        expect(plain(log)).toEqual(plain(expected(traces)));
        const lean = await readXesBytes("fuzz.xes", chunked(doc, size), { attributes: false });
        const core = (l: EventLog) =>
          [...l.cases].map(([id, es]) => [id, es.map((e) => [e.activity, e.time])]);
        expect(core(lean)).toEqual(core(log));
        expect([...lean.cases.values()].flat().every((e) => e.attributes === undefined)).toBe(true);
      }),
      RUNS,
    );
  });

  it("a document cut before its </log> ends is an EventLogError, never a shorter log", async () => {
    await fc.assert(
      fc.asyncProperty(
        genLog,
        picks,
        fc.double({ min: 0, max: 1, noNaN: true }),
        chunkSize,
        async (traces, pick, at, size) => {
          const doc = Buffer.from(writeXes(traces, pick));
          const cut = Math.floor(at * doc.length);
          const result = await attempt(doc.subarray(0, cut), size);
          // Past </log> only a comment or processing instruction may be cut, which is an error too.
          if (cut < doc.lastIndexOf("</log>") + 6) expect(result).toBeInstanceOf(EventLogError);
          else if (!(result instanceof EventLogError)) expect(plain(result)).toEqual(plain(expected(traces)));
        },
      ),
      RUNS,
    );
  });

  it("damaged documents and random bytes give a log or an EventLogError", async () => {
    const damage = fc.array(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        drop: fc.nat(8),
        bytes: fc.uint8Array({ maxLength: 8 }),
      }),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(genLog, picks, damage, chunkSize, async (traces, pick, edits, size) => {
        let doc = Buffer.from(writeXes(traces, pick));
        for (const { at, drop, bytes } of edits) {
          const i = Math.floor(at * doc.length);
          doc = Buffer.concat([doc.subarray(0, i), bytes, doc.subarray(i + drop)]);
        }
        await attempt(doc, size);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), chunkSize, async (bytes, size) => {
        await attempt(Buffer.from(bytes), size);
      }),
      RUNS,
    );
  });

  it("the fast timestamp path gives what Date.parse gives", () => {
    const d = (n: number, width = 2) => String(n).padStart(width, "0");
    const stamp = fc.tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom("", ".", ".5", ".25", ".123", ".123456", ".999999999"),
      fc.constantFrom(
        "Z",
        "z",
        "+00:00",
        "-00:00",
        "+02:00",
        "-05:30",
        "+14:00",
        "+23:59",
        "+24:00",
        "+01:60",
        "+0100",
        "",
      ),
      fc.constantFrom("T", " ", "t"),
    );
    fc.assert(
      fc.property(stamp, ([y, mo, day, h, mi, s, frac, zone, sep]) => {
        const text = `${d(y, 4)}-${d(mo)}-${d(day)}${sep}${d(h)}:${d(mi)}:${d(s)}${frac}${zone}`;
        expect(timeOf(text)).toEqual(Date.parse(text.replace(" ", "T")));
      }),
      { ...RUNS, numRuns: RUNS.numRuns * 10 },
    );
  });
});
