/**
 * The time of an event log's timestamp, in milliseconds since 1970 (UTC), NaN when it is no time.
 *
 * Rules: exactly what `Date.parse` gives for the text trimmed and with its first space made a `T` (so
 * `2011-10-11 13:45:40.276000+02:00` reads as ISO 8601; a time without a zone is local time). The common form
 * `YYYY-MM-DD[T ]hh:mm:ss[.fraction](Z|±hh:mm)` is read here directly, from bytes or text, digits beyond
 * milliseconds cut off as Date.parse does; any other text is left to Date.parse.
 */

/** The two digits at b[at], or NaN. */
const two = (b: Uint8Array, at: number): number => {
  const x = (b[at] as number) - 48;
  const y = (b[at + 1] as number) - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : Number.NaN;
};

/** The last day read and its first millisecond: a log's timestamps mostly share their day with the one before. */
let lastDay = -1;
let lastDayStart = 0;

/** The common ISO 8601 form with a zone in b[start, end), or NaN for any other bytes (see the header). */
export function isoMillis(b: Uint8Array, start: number, end: number): number {
  const s = start;
  if (end - s < 20 || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 13] !== 58 || b[s + 16] !== 58)
    return Number.NaN;
  if (b[s + 10] !== 84 && b[s + 10] !== 32) return Number.NaN;
  const year = two(b, s) * 100 + two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  const hour = two(b, s + 11);
  const minute = two(b, s + 14);
  const second = two(b, s + 17);
  let p = s + 19;
  let ms = 0;
  if (b[p] === 46) {
    const from = ++p;
    while (p < end && (b[p] as number) >= 48 && (b[p] as number) <= 57) p++;
    if (p === from) return Number.NaN;
    for (let i = 0; i < 3; i++) ms = ms * 10 + (from + i < p ? (b[from + i] as number) - 48 : 0);
  }
  let zone = 0;
  const z = b[p];
  if (z === 90 && p + 1 === end) zone = 0;
  else if ((z === 43 || z === 45) && p + 6 === end && b[p + 3] === 58) {
    const zh = two(b, p + 1);
    const zm = two(b, p + 4);
    if (!(zh <= 23 && zm <= 59)) return Number.NaN;
    zone = (z === 43 ? 1 : -1) * (zh * 60 + zm) * 60_000;
  } else return Number.NaN;
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Number.NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const key = year * 10_000 + month * 100 + day;
  if (key !== lastDay) {
    // Date.UTC rolls a day past the month's end over into the next month, as Date.parse does.
    lastDayStart = Date.UTC(year, month - 1, day);
    lastDay = key;
  }
  return lastDayStart + ((hour * 60 + minute) * 60 + second) * 1000 + ms - zone;
}

const scratch = new Uint8Array(48);

/** The time of a timestamp text. */
export function timeOf(value: string): number {
  let t = Number.NaN;
  if (value.length <= scratch.length) {
    for (let i = 0; i < value.length; i++) scratch[i] = Math.min(value.charCodeAt(i), 255);
    t = isoMillis(scratch, 0, value.length);
  }
  return Number.isNaN(t) ? Date.parse(value.trim().replace(" ", "T")) : t;
}
