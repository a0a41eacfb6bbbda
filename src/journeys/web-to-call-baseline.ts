/**
 * The web-to-call baseline of one cell (reason r, segment s, calendar month m): the chance that a comparable
 * customer (segment s, a customer in month m, no visit on r's pages in m) contacts on r within the window after a
 * moment drawn at random from the month, and the variance of that estimate.
 *
 *   f_c      = covered seconds of customer c on r in m / seconds in m   (0 for a customer without a contact on r)
 *   N        = customers of s in m (start_date and end_date around m; none given: always a customer)
 *              - customers of s with a visit on r in m
 *   baseline = sum(f_c) / N                                  (the mean of f_c over the N comparable customers)
 *   variance = (sum(f_c^2) - N baseline^2) / (N - 1) / N     (the sample variance of f_c over N)
 *
 * With N = 0 the baseline is 0 with variance 0 (no one to compare with); with N = 1 the variance is 0. A month
 * counts its calendar days of 86,400 s (the hour a DST change adds or takes is left out: 0.14% of a month).
 */
import type { Store } from "../store/store.js";
import { controlCoverSql, customersAtRiskSql } from "./web-to-call-sql.js";

export interface BaselineCell {
  /** 0-1 */
  readonly rate: number;
  /** Variance of `rate` as an estimate (rate^2 units). */
  readonly variance: number;
  /** N: the comparable customers. */
  readonly customers: number;
}

/** Cell key of reason, segment and month ('YYYY-MM-01'). */
export function cellKey(reason: string, segment: string, month: string): string {
  return JSON.stringify([reason, segment, month]);
}

/** Seconds in the calendar month that starts on `month` ('YYYY-MM-01'). */
export function monthSeconds(month: string): number {
  const [y, m] = month.split("-").map(Number);
  if (y === undefined || m === undefined || !Number.isFinite(y) || !Number.isFinite(m))
    throw new Error(`not a month: ${month}`);
  return new Date(Date.UTC(y, m, 0)).getUTCDate() * 86400;
}

export interface VisitorCount {
  readonly reason: string;
  readonly segment: string;
  readonly month: string;
  /** Distinct customers of the segment with a visit on the reason in the month. */
  readonly customers: number;
}

/** The baseline of every cell that has visits, keyed by `cellKey`. */
export async function baselineCells(
  store: Store,
  visitors: readonly VisitorCount[],
  zone: string,
  windowSeconds: number,
): Promise<Map<string, BaselineCell>> {
  const d = store.dialect;
  const atRisk = await store.query<{ a_segment: string; a_from: string; a_to: string; n: number }>(
    customersAtRiskSql(d),
  );
  const cover = await store.query<{
    r_reason: string;
    r_segment: string;
    r_month: string;
    n: number;
    cover: number;
    cover2: number;
  }>(controlCoverSql(d, zone, windowSeconds));
  const covered = new Map(cover.map((c) => [cellKey(c.r_reason, c.r_segment, c.r_month), c]));
  const customersIn = (segment: string, month: string) =>
    atRisk
      .filter((a) => a.a_segment === segment && (a.a_from === "" || a.a_from <= month))
      .filter((a) => a.a_to === "" || a.a_to >= month)
      .reduce((sum, a) => sum + Number(a.n), 0);
  const cells = new Map<string, BaselineCell>();
  for (const v of visitors) {
    const key = cellKey(v.reason, v.segment, v.month);
    const n = Math.max(0, customersIn(v.segment, v.month) - v.customers);
    const t = monthSeconds(v.month);
    const c = covered.get(key);
    const sum = c ? Number(c.cover) / t : 0;
    const sum2 = c ? Number(c.cover2) / (t * t) : 0;
    const rate = n > 0 ? sum / n : 0;
    const variance = n > 1 ? Math.max(0, sum2 - n * rate * rate) / (n - 1) / n : 0;
    cells.set(key, { rate, variance, customers: n });
  }
  return cells;
}
