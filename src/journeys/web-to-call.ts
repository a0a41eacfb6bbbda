/**
 * Web-to-call with a baseline: how much more often customers contact on a reason after a visit to that reason's
 * pages than comparable customers without such a visit, and what those extra contacts cost.
 *
 * - A **visit** is a logged-in customer's session on one reason's pages (a session over two reasons' pages is a
 *   visit on each). It ends at its last page on the reason; its month is that page's month (analysis time zone).
 * - A visit is **followed** by a contact when an inbound contact on the same reason, by the same customer, within
 *   the window (default 24 h) after the visit's end, is attributed to it: each contact goes to the latest visit on
 *   its reason that ended at most the window before it, so it counts once at most (a retry takes the call).
 *   share = followed visits / visits.
 * - The **baseline** of a visit is the chance that a comparable customer (same reason, same segment, a customer in
 *   the same calendar month, without a visit on the reason in that month) contacts on the reason within the window
 *   after a moment drawn at random from that month (exactly: the share of the month's moments whose window holds a
 *   contact, averaged over those customers; `web-to-call-baseline.ts`). A row's baselineRate is the mean of its
 *   visits' baselines (direct standardisation over reason, segment and month).
 * - excessRate = share - baselineRate, with a 95% interval: excess +- 1.96 sqrt(Var(share) + Var(baseline)), the
 *   share's variance cluster-robust by customer (one customer's visits are not independent), the baseline's from
 *   its cells' sample variances; the two samples are taken as independent (they hold different customer-months).
 *   With fewer than two customers in a row there is no interval (null).
 * - **Avoidable contacts** of a reason = max(0, followed visits - sum of their baselines) = visits x max(0, excess):
 *   the visits that would not have been followed by a contact at the comparable customers' rate, one contact each
 *   (a lower bound: a second contact in the window is not counted). Their **cost** is that number times the mean
 *   cost of a contact attributed to the reason's visits (its own `cost_eur`, else its channel's from `costs`). A
 *   page or page group holds a part of its reasons' avoidable contacts, in proportion to its excess contacts.
 * - Every visit is in exactly one page (its entry page: the first page on the reason) and one page group (that
 *   page's group, `page-group.ts`), so the rows of a ranking add up to no more than the total: rows with fewer
 *   than `minSessions` visits are left out, never counted twice. The rows that fail most (highest excess) come first.
 */

import { pageGroupSql } from "../model/page-group.js";
import {
  type AnalysisOptions,
  type AnalysisOverrides,
  analysisOptions,
} from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { compareText } from "./discover-dfg.js";
import { type BaselineCell, baselineCells } from "./web-to-call-baseline.js";
import {
  type ReasonTotal,
  type RowCell,
  type RowClusters,
  reasonTotals,
  type WebToCallRow,
  webToCallRows,
} from "./web-to-call-rows.js";
import { visitOutcomesSql } from "./web-to-call-sql.js";

export type { WebToCallRow } from "./web-to-call-rows.js";

export interface WebToCall {
  /** Hours after a visit's end in which a contact counts. */
  readonly windowHours: number;
  /** All visits (key "all"): its avoidable contacts are the sum over reasons. */
  readonly total: WebToCallRow;
  readonly byPage: WebToCallRow[];
  readonly byGroup: WebToCallRow[];
  readonly byReason: WebToCallRow[];
}

export interface WebToCallOptions {
  /** Hours after a visit's end in which a contact counts (default 24). */
  readonly windowHours?: number;
  /** Pages, groups or reasons with fewer visits are left out of the ranking (default 30). */
  readonly minSessions?: number;
  /** The analysis options read here: `pageGroupDepth`, `pageGroups` and `timeZone` (the months of the baseline). */
  readonly options?: AnalysisOverrides;
}

type Dimension = "page" | "group" | "reason" | "total";

function dimensionSql(store: Store, dimension: Dimension, o: AnalysisOptions): Sql {
  if (dimension === "page") return sql`page`;
  if (dimension === "group") return pageGroupSql(store.dialect, o);
  return dimension === "reason" ? sql`v_reason` : sql`''`;
}

/** The visits of one ranking with their row key `k`. */
function rowVisits(store: Store, dimension: Dimension, o: AnalysisOptions, windowSeconds: number): Sql {
  return sql`SELECT ${dimensionSql(store, dimension, o)} AS k, v_customer, v_reason, v_segment, v_month, hit, n_contacts, eur
    FROM (${visitOutcomesSql(store.dialect, o.timeZone, windowSeconds)}) AS vo`;
}

async function rowCells(store: Store, visits: Sql): Promise<RowCell[]> {
  const d = store.dialect;
  const rows = await store.query<{
    k: string;
    c_reason: string;
    c_segment: string;
    c_month: string;
    n: number;
    n_hit: number;
    n_k: number;
    eur_k: number;
    n_cust: number;
  }>(
    sql`SELECT k, v_reason AS c_reason, v_segment AS c_segment, v_month AS c_month, ${d.count()} AS n,
        sum(hit) AS n_hit, sum(n_contacts) AS n_k, sum(eur) AS eur_k, ${d.countDistinct(sql`v_customer`)} AS n_cust
      FROM (${visits}) AS rv GROUP BY k, v_reason, v_segment, v_month`,
  );
  return rows.map((r) => ({
    k: r.k,
    reason: r.c_reason,
    segment: r.c_segment,
    month: r.c_month,
    n: Number(r.n),
    hits: Number(r.n_hit),
    contacts: Number(r.n_k),
    eur: Number(r.eur_k),
    customers: Number(r.n_cust),
  }));
}

async function rowClusters(store: Store, visits: Sql): Promise<RowClusters[]> {
  const d = store.dialect;
  const rows = await store.query<{ k: string; g: number; yy: number; nn: number; yn: number }>(
    sql`SELECT k, ${d.count()} AS g, sum(yc * yc) AS yy, sum(nc * nc) AS nn, sum(yc * nc) AS yn FROM (
        SELECT k, v_customer, ${d.count()} AS nc, sum(hit) AS yc FROM (${visits}) AS rv GROUP BY k, v_customer
      ) AS pc GROUP BY k`,
  );
  return rows.map((r) => ({ k: r.k, g: Number(r.g), yy: Number(r.yy), nn: Number(r.nn), yn: Number(r.yn) }));
}

async function ranking(
  store: Store,
  dimension: Dimension,
  o: AnalysisOptions,
  windowSeconds: number,
  cells: RowCell[] | undefined,
  baselines: ReadonlyMap<string, BaselineCell>,
  totals: ReadonlyMap<string, ReasonTotal>,
): Promise<WebToCallRow[]> {
  const visits = rowVisits(store, dimension, o, windowSeconds);
  const ownCells = cells ?? (await rowCells(store, visits));
  return webToCallRows(ownCells, await rowClusters(store, visits), baselines, totals);
}

const EMPTY_ROW: WebToCallRow = {
  key: "",
  sessions: 0,
  sessionsWithContact: 0,
  share: 0,
  contacts: 0,
  costEur: 0,
  customers: 0,
  baselineRate: 0,
  excessRate: 0,
  excessRateCi: null,
  avoidableContacts: 0,
  avoidableCostEur: 0,
};

export async function webToCall(store: Store, options: WebToCallOptions = {}): Promise<WebToCall> {
  const windowHours = options.windowHours ?? 24;
  const minSessions = options.minSessions ?? 30;
  const o = analysisOptions(options.options);
  const windowSeconds = windowHours * 3600;
  // The reason ranking's cells are the baseline's cells (reason, segment, month), with their visiting customers.
  const byReasonCells = await rowCells(store, rowVisits(store, "reason", o, windowSeconds));
  const baselines = await baselineCells(store, byReasonCells, o.timeZone, windowSeconds);
  const totals = reasonTotals(byReasonCells, baselines);
  const rank = async (dimension: Dimension, cells?: RowCell[]) =>
    ranking(store, dimension, o, windowSeconds, cells, baselines, totals);
  const ranked = (rows: WebToCallRow[]) =>
    rows
      .filter((r) => r.sessions >= minSessions)
      .sort((a, b) => b.excessRate - a.excessRate || b.sessions - a.sessions || compareText(a.key, b.key));
  const totalCells = byReasonCells.map((c) => ({ ...c, k: "" }));
  const [total] = await rank("total", totalCells);
  return {
    windowHours,
    total: { ...(total ?? EMPTY_ROW), key: "all" },
    byPage: ranked(await rank("page")),
    byGroup: ranked(await rank("group")),
    byReason: ranked(await rank("reason", byReasonCells)),
  };
}
