/**
 * Timestamps without an offset are wall-clock time in a configured IANA zone (default Europe/Amsterdam).
 * `zonedWallTimeToEpoch` turns such a wall time into UTC epoch seconds.
 *
 * Intl is slow per call, so the zone's UTC offset is cached per UTC hour: offsets change at most at
 * whole hours in every zone kei is meant for, and ingesting millions of rows hits the cache.
 * DST: a wall time that happens twice (the autumn hour) is read as the first one (summer time);
 * a wall time that does not exist (the spring gap) is moved forward by the gap, as most systems do.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a clear error for a zone name Intl does not know. */
export function assertTimeZone(zone: string): void {
  try {
    formatter(zone);
  } catch {
    throw new Error(`unknown time zone "${zone}"; use an IANA name such as Europe/Amsterdam or UTC`);
  }
}

/** Offset of `zone` from UTC, in seconds, at the UTC instant `epochSeconds`. */
export function zoneOffsetSeconds(zone: string, epochSeconds: number): number {
  const hour = Math.floor(epochSeconds / 3600);
  let byHour = offsetCache.get(zone);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(zone, byHour);
  }
  const cached = byHour.get(hour);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(hour * 3600 * 1000))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const offset = Math.round(asUtc / 1000 - hour * 3600);
  byHour.set(hour, offset);
  return offset;
}

/** UTC epoch seconds of a wall-clock time (given as seconds since 1970 read as if UTC) in `zone`. */
export function zonedWallTimeToEpoch(wallSeconds: number, zone: string): number {
  if (zone === "UTC" || zone === "Etc/UTC") return wallSeconds;
  // Two passes find the offset in force at the resulting instant, also right after a transition.
  const first = wallSeconds - zoneOffsetSeconds(zone, wallSeconds);
  const second = wallSeconds - zoneOffsetSeconds(zone, first);
  if (second === first) {
    // Ambiguous hour: prefer the earlier instant (summer time), which has the larger offset.
    const earlier = wallSeconds - zoneOffsetSeconds(zone, first - 3600);
    if (earlier < first && earlier + zoneOffsetSeconds(zone, earlier) === wallSeconds) return earlier;
    return first;
  }
  // In a gap neither candidate maps back to the wall time; take the later reading (moved forward).
  if (second + zoneOffsetSeconds(zone, second) === wallSeconds) return second;
  return Math.max(first, second);
}
