/**
 * Web-to-call: website and app visits of logged-in customers followed by a contact on any channel within a window
 * (default 24 h) after the visit's last page. Per page, page group and reason of the pages: visits, visits followed by a
 * contact, the share, the contacts within the window and their cost (the contact's own cost, else its channel's
 * cost from `costs`). The pages that fail most come first. A contact within the window of two visits counts for both.
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

export interface WebToCallRow {
  readonly key: string;
  readonly sessions: number;
  readonly sessionsWithContact: number;
  /** 0-1 */
  readonly share: number;
  readonly contacts: number;
  readonly costEur: number;
}

export interface WebToCall {
  readonly byPage: WebToCallRow[];
  readonly byGroup: WebToCallRow[];
  readonly byReason: WebToCallRow[];
}

export interface WebToCallOptions {
  /** Hours after a visit's last page in which a contact counts (default 24). */
  readonly windowHours?: number;
  /** Pages or reasons with fewer visits are left out of the ranking (default 30). */
  readonly minSessions?: number;
  /** The analysis options read here: `pageGroupDepth` and `pageGroups`, for the ranking by page group. */
  readonly options?: AnalysisOverrides;
}

interface Ranking {
  readonly windowHours: number;
  readonly minSessions: number;
  readonly options: AnalysisOptions;
}

/** Per visit: how many contacts followed within the window, and their cost. */
function visitOutcomes(store: Store, windowSeconds: number): Sql {
  const d = store.dialect;
  const visits = sql`SELECT session_id AS v_session, customer_id AS v_customer, max(${d.epochSeconds(sql`ts`)}) AS v_end
    FROM web_events WHERE customer_id IS NOT NULL GROUP BY session_id, customer_id`;
  const costed = sql`SELECT k_customer, k_t, coalesce(k_cost, cost_per_contact_eur, 0.0) AS k_eur FROM (
      SELECT customer_id AS k_customer, ${d.epochSeconds(sql`ts`)} AS k_t, cost_eur AS k_cost, channel AS k_channel FROM contacts
    ) AS k ${d.join("left")} costs ON k_channel = channel`;
  return sql`SELECT v_session, sum(hit) AS n_contacts, sum(hit * k_eur) AS eur FROM (
      SELECT v_session, k_eur, CASE WHEN k_t >= v_end AND k_t <= v_end + ${windowSeconds} THEN 1 ELSE 0 END AS hit
      FROM (${visits}) AS v ${d.join("left")} (${costed}) AS kc ON v_customer = k_customer
    ) AS vk GROUP BY v_session`;
}

async function rank(
  store: Store,
  dimension: "page" | "group" | "reason",
  o: Ranking,
): Promise<WebToCallRow[]> {
  const d = store.dialect;
  const dim =
    dimension === "page" ? sql`page` : dimension === "group" ? pageGroupSql(d, o.options) : sql`reason`;
  // Aliases differ from the columns they read (ClickHouse resolves aliases first).
  const rows = await store.query<{
    k: string;
    n: number;
    n_hit: number;
    total_contacts: number;
    total_eur: number;
  }>(
    sql`SELECT k, ${d.count()} AS n, sum(CASE WHEN visit_contacts > 0 THEN 1 ELSE 0 END) AS n_hit,
        sum(visit_contacts) AS total_contacts, sum(visit_eur) AS total_eur
      FROM (
        SELECT k, coalesce(n_contacts, 0) AS visit_contacts, coalesce(eur, 0.0) AS visit_eur FROM (
          SELECT DISTINCT session_id AS p_session, ${dim} AS k FROM web_events
          WHERE customer_id IS NOT NULL AND ${dimension === "reason" ? sql`reason` : sql`page`} IS NOT NULL
        ) AS p ${d.join("left")} (${visitOutcomes(store, o.windowHours * 3600)}) AS vo ON p_session = v_session
      ) AS pv GROUP BY k`,
  );
  return rows
    .map((r) => ({
      key: r.k,
      sessions: Number(r.n),
      sessionsWithContact: Number(r.n_hit),
      share: Number(r.n) > 0 ? Number(r.n_hit) / Number(r.n) : 0,
      contacts: Number(r.total_contacts),
      costEur: Number(r.total_eur),
    }))
    .filter((r) => r.sessions >= o.minSessions)
    .sort((a, b) => b.share - a.share || b.sessions - a.sessions || compareText(a.key, b.key));
}

export async function webToCall(store: Store, options: WebToCallOptions = {}): Promise<WebToCall> {
  const o: Ranking = {
    windowHours: options.windowHours ?? 24,
    minSessions: options.minSessions ?? 30,
    options: analysisOptions(options.options),
  };
  return {
    byPage: await rank(store, "page", o),
    byGroup: await rank(store, "group", o),
    byReason: await rank(store, "reason", o),
  };
}
