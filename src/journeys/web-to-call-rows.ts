/**
 * Web-to-call rows from the counts the database made: per row (a page, page group, reason or the total) the
 * observed share, its baseline, the excess with a 95% interval clustered by customer, and the avoidable contacts
 * and cost. The formulas are in `web-to-call.ts`.
 */
import { type BaselineCell, cellKey } from "./web-to-call-baseline.js";

/** Visits of one row in one baseline cell (reason, segment, month), as counted in the database. */
export interface RowCell {
  readonly k: string;
  readonly reason: string;
  readonly segment: string;
  readonly month: string;
  readonly n: number;
  readonly hits: number;
  readonly contacts: number;
  readonly eur: number;
  /** Distinct customers of these visits. */
  readonly customers: number;
}

/** Per row, over its customers c with n_c visits of which y_c have a contact: G, sum y_c^2, n_c^2, y_c n_c. */
export interface RowClusters {
  readonly k: string;
  readonly g: number;
  readonly yy: number;
  readonly nn: number;
  readonly yn: number;
}

/** Per reason over all its visits: the avoidable contacts and the mean cost of an attributed contact. */
export interface ReasonTotal {
  readonly avoidable: number;
  readonly eurPerContact: number;
}

export interface WebToCallRow {
  readonly key: string;
  /** Visits (sessions on a reason's pages) in the row. */
  readonly sessions: number;
  /** Visits with at least one contact on their reason attributed to them. */
  readonly sessionsWithContact: number;
  /** Observed: sessionsWithContact / sessions, 0-1. */
  readonly share: number;
  /** Contacts attributed to the row's visits (each contact to one visit at most). */
  readonly contacts: number;
  /** Their cost. */
  readonly costEur: number;
  /** Distinct customers of the visits: the clusters of the interval. */
  readonly customers: number;
  /** The rate of comparable customers without a visit, weighted as the row's visits over cells, 0-1. */
  readonly baselineRate: number;
  /** share - baselineRate. */
  readonly excessRate: number;
  /** 95% interval of excessRate; null with fewer than two customers. */
  readonly excessRateCi: readonly [number, number] | null;
  /** The row's part of its reasons' avoidable contacts; rows of one ranking add up to the total at most. */
  readonly avoidableContacts: number;
  /** Their cost at the mean cost of a contact attributed to the reason's visits. */
  readonly avoidableCostEur: number;
}

const Z95 = 1.959963984540054;

interface Sums {
  n: number;
  hits: number;
  contacts: number;
  eur: number;
  /** sum of n_cell * baseline_cell */
  base: number;
  /** sum of n_cell^2 * variance_cell */
  baseVar: number;
}

function add(into: Sums, c: RowCell, b: BaselineCell | undefined): void {
  into.n += c.n;
  into.hits += c.hits;
  into.contacts += c.contacts;
  into.eur += c.eur;
  into.base += c.n * (b?.rate ?? 0);
  into.baseVar += c.n * c.n * (b?.variance ?? 0);
}

const empty = (): Sums => ({ n: 0, hits: 0, contacts: 0, eur: 0, base: 0, baseVar: 0 });

/** Per reason over all visits (the cells of the reason ranking, or any ranking's): avoidable contacts and cost. */
export function reasonTotals(
  cells: readonly RowCell[],
  baselines: ReadonlyMap<string, BaselineCell>,
): Map<string, ReasonTotal> {
  const per = new Map<string, Sums>();
  for (const c of cells) {
    const s = per.get(c.reason) ?? empty();
    add(s, c, baselines.get(cellKey(c.reason, c.segment, c.month)));
    per.set(c.reason, s);
  }
  return new Map(
    [...per].map(([r, s]) => [
      r,
      { avoidable: Math.max(0, s.hits - s.base), eurPerContact: s.contacts > 0 ? s.eur / s.contacts : 0 },
    ]),
  );
}

/**
 * The rows of one ranking. A reason's avoidable contacts are shared among the rows holding its visits in
 * proportion to each row's excess contacts on it (hits - baseline, 0 when below), so the rows never add up to more
 * than the reasons' own.
 */
export function webToCallRows(
  cells: readonly RowCell[],
  clusters: readonly RowClusters[],
  baselines: ReadonlyMap<string, BaselineCell>,
  totals: ReadonlyMap<string, ReasonTotal>,
): WebToCallRow[] {
  const rows = new Map<string, Sums>();
  const byReason = new Map<string, Sums>();
  for (const c of cells) {
    const b = baselines.get(cellKey(c.reason, c.segment, c.month));
    const s = rows.get(c.k) ?? empty();
    add(s, c, b);
    rows.set(c.k, s);
    const rk = JSON.stringify([c.k, c.reason]);
    const sr = byReason.get(rk) ?? empty();
    add(sr, c, b);
    byReason.set(rk, sr);
  }
  // Each reason's positive excess contacts over all rows, and each row's share of its reasons' avoidable contacts.
  const positive = new Map<string, number>();
  for (const [rk, s] of byReason) {
    const reason = (JSON.parse(rk) as [string, string])[1];
    positive.set(reason, (positive.get(reason) ?? 0) + Math.max(0, s.hits - s.base));
  }
  const avoidable = new Map<string, { contacts: number; eur: number }>();
  for (const [rk, s] of byReason) {
    const [k, reason] = JSON.parse(rk) as [string, string];
    const total = totals.get(reason);
    const all = positive.get(reason) ?? 0;
    const part = total && all > 0 ? (total.avoidable * Math.max(0, s.hits - s.base)) / all : 0;
    const a = avoidable.get(k) ?? { contacts: 0, eur: 0 };
    avoidable.set(k, { contacts: a.contacts + part, eur: a.eur + part * (total?.eurPerContact ?? 0) });
  }
  const clustered = new Map(clusters.map((c) => [c.k, c]));
  return [...rows].map(([key, s]) => {
    const share = s.n > 0 ? s.hits / s.n : 0;
    const baselineRate = s.n > 0 ? s.base / s.n : 0;
    const excessRate = share - baselineRate;
    const c = clustered.get(key);
    let excessRateCi: [number, number] | null = null;
    if (c && c.g >= 2 && s.n > 0) {
      // Cluster-robust (CR1) variance of the share: G/(G-1) * sum_c (y_c - share n_c)^2 / n^2.
      const residual = c.yy - 2 * share * c.yn + share * share * c.nn;
      const varShare = ((c.g / (c.g - 1)) * Math.max(0, residual)) / (s.n * s.n);
      const se = Math.sqrt(varShare + s.baseVar / (s.n * s.n));
      excessRateCi = [excessRate - Z95 * se, excessRate + Z95 * se];
    }
    const a = avoidable.get(key) ?? { contacts: 0, eur: 0 };
    return {
      key,
      sessions: s.n,
      sessionsWithContact: s.hits,
      share,
      contacts: s.contacts,
      costEur: s.eur,
      customers: c?.g ?? 0,
      baselineRate,
      excessRate,
      excessRateCi,
      avoidableContacts: a.contacts,
      avoidableCostEur: a.eur,
    };
  });
}
