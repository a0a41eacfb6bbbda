/**
 * The SQL of web-to-call (see `web-to-call.ts` for the method). Three relations, each heavy part counted in the
 * database, one JOIN per SELECT and no WITH or window functions (ClickHouse 18.16):
 *
 * - `visitOutcomesSql`: one row per visit (a logged-in customer's session on one reason's pages) with its customer,
 *   reason, segment, month (of its last page on the reason, in the analysis time zone), entry page (its first page
 *   on the reason) and the inbound contacts on the same reason attributed to it: a contact belongs to the latest
 *   visit on its reason by its customer that ended at most the window before it, so it counts once at most.
 * - `controlCoverSql`: per reason, segment and month, over customers without a visit on that reason in that month:
 *   how many there are with a contact on it, and the sum (and sum of squares) of their **covered seconds**: the
 *   measure of the moments t of the month for which a contact on the reason falls in (t, t + window].
 * - `customersAtRiskSql`: customers per segment and month of start and end, to count who was a customer in a month.
 */
import type { Dialect } from "../store/dialect/dialect.js";
import { type Sql, sql } from "../store/sql.js";

const INBOUND = sql`coalesce(direction, 'inbound') <> 'outbound'`;

/** One row per session and reason of its pages: v_session, v_customer, v_reason, v_start, v_end (epoch s), v_month. */
function visitsSql(d: Dialect, zone: string): Sql {
  return sql`SELECT session_id AS v_session, coalesce(customer_id, '') AS v_customer, coalesce(reason, '') AS v_reason,
      min(${d.epochSeconds(sql`ts`)}) AS v_start, max(${d.epochSeconds(sql`ts`)}) AS v_end,
      ${d.toText(d.periodStart("month", sql`max(ts)`, zone))} AS v_month
    FROM web_events WHERE customer_id IS NOT NULL AND reason IS NOT NULL
    GROUP BY session_id, customer_id, reason`;
}

/** The visits with their entry page (`v_page`: the first page on the reason; ties by page) and segment. */
function visitAttributesSql(d: Dialect, zone: string): Sql {
  const pages = sql`SELECT session_id AS e_session, coalesce(reason, '') AS e_reason, ${d.epochSeconds(sql`ts`)} AS e_t, page AS e_page
    FROM web_events WHERE customer_id IS NOT NULL AND reason IS NOT NULL`;
  const withPage = sql`SELECT v_session, v_customer, v_reason, v_month, min(e_page) AS v_page
    FROM (${visitsSql(d, zone)}) AS v ${d.join("inner")} (${pages}) AS e
      ON v_session = e_session AND v_reason = e_reason AND v_start = e_t
    GROUP BY v_session, v_customer, v_reason, v_month`;
  return sql`SELECT v_session, v_customer, v_reason, v_month, v_page, coalesce(segment, '') AS v_segment
    FROM (${withPage}) AS vp ${d.join("left")} (SELECT customer_id AS c_customer, segment FROM customers) AS c
      ON v_customer = c_customer`;
}

/** Inbound contacts with their cost: their own `cost_eur`, else their channel's from `costs`, else 0. */
function costedContactsSql(d: Dialect): Sql {
  return sql`SELECT k_id, k_customer, k_reason, k_t, coalesce(k_cost, cost_per_contact_eur, 0.0) AS k_eur FROM (
      SELECT contact_id AS k_id, customer_id AS k_customer, reason AS k_reason, ${d.epochSeconds(sql`ts`)} AS k_t,
        cost_eur AS k_cost, channel AS k_channel
      FROM contacts WHERE ${INBOUND}
    ) AS k ${d.join("left")} costs ON k_channel = channel`;
}

/** Per visit (o_session, o_reason): the contacts attributed to it and their cost. */
function attributedContactsSql(d: Dialect, zone: string, windowSeconds: number): Sql {
  // Every visit on the contact's reason by its customer that ended at most the window before it...
  const pairs = sql`SELECT k_id, k_reason, k_eur, v_session, v_end
    FROM (${costedContactsSql(d)}) AS kc ${d.join("inner")} (${visitsSql(d, zone)}) AS v
      ON k_customer = v_customer AND k_reason = v_reason
    WHERE k_t >= v_end AND k_t <= v_end + ${windowSeconds}`;
  // ...of which the latest (two ending at the same second: the first session id) takes the contact.
  const latest = sql`SELECT k_id AS l_id, max(v_end) AS l_end FROM (${pairs}) AS p GROUP BY k_id`;
  const attributed = sql`SELECT k_id, k_reason, max(k_eur) AS a_eur, min(v_session) AS a_session
    FROM (${pairs}) AS p ${d.join("inner")} (${latest}) AS l ON k_id = l_id AND v_end = l_end
    GROUP BY k_id, k_reason`;
  return sql`SELECT a_session AS o_session, k_reason AS o_reason, ${d.count()} AS o_contacts, sum(a_eur) AS o_eur
    FROM (${attributed}) AS a GROUP BY a_session, k_reason`;
}

/**
 * One row per visit: v_session, v_customer, v_reason, v_month, v_segment, page (the entry page), n_contacts and
 * eur (the contacts attributed to it and their cost) and hit (1 when it has a contact).
 */
export function visitOutcomesSql(d: Dialect, zone: string, windowSeconds: number): Sql {
  const joined = sql`SELECT v_session, v_customer, v_reason, v_month, v_segment, v_page,
      coalesce(o_contacts, 0) AS n_contacts, coalesce(o_eur, 0.0) AS eur
    FROM (${visitAttributesSql(d, zone)}) AS va ${d.join("left")} (${attributedContactsSql(d, zone, windowSeconds)}) AS o
      ON v_session = o_session AND v_reason = o_reason`;
  return sql`SELECT v_session, v_customer, v_reason, v_month, v_segment, v_page AS page, n_contacts, eur,
      CASE WHEN n_contacts > 0 THEN 1 ELSE 0 END AS hit
    FROM (${joined}) AS vo`;
}

/**
 * Per reason, segment and month, over customers without a visit on the reason in the month (the comparable
 * customers) who contacted on it: r_reason, r_segment, r_month, n (customers), cover and cover2 (the sum and sum of
 * squares of their covered seconds). A customer's covered seconds on a reason are the measure of the union of
 * (k - window, k] over their inbound contacts k: a contact adds the window, or the time since the previous contact
 * when that is shorter. Each contact's share counts in its own month.
 */
export function controlCoverSql(d: Dialect, zone: string, windowSeconds: number): Sql {
  const contacts = sql`SELECT coalesce(customer_id, '') AS b_customer, reason AS b_reason, ${d.epochSeconds(sql`ts`)} AS b_t,
      contact_id AS b_id, ${d.toText(d.periodStart("month", sql`ts`, zone))} AS b_month
    FROM contacts WHERE ${INBOUND}`;
  const runs = d.sequenceGroups({
    from: contacts,
    partitionBy: ["b_customer", "b_reason"],
    time: "b_t",
    id: "b_id",
    carry: ["b_month"],
    gapSeconds: windowSeconds,
    previousTime: true,
  });
  const covered = sql`SELECT b_customer, b_reason, b_month,
      sum(CASE WHEN starts_group = 1 THEN ${windowSeconds} ELSE (b_t - prev_t) * 1.0 END) AS covered
    FROM (${runs}) AS s GROUP BY b_customer, b_reason, b_month`;
  const visitors = sql`SELECT v_customer AS x_customer, v_reason AS x_reason, v_month AS x_month, max(1) AS x_visitor
    FROM (${visitsSql(d, zone)}) AS v GROUP BY v_customer, v_reason, v_month`;
  const controls = sql`SELECT b_customer, b_reason, b_month, covered
    FROM (${covered}) AS cv ${d.join("left")} (${visitors}) AS x
      ON b_customer = x_customer AND b_reason = x_reason AND b_month = x_month
    WHERE x_visitor IS NULL`;
  const segmented = sql`SELECT b_reason, coalesce(segment, '') AS b_segment, b_month, covered
    FROM (${controls}) AS ct ${d.join("inner")} (SELECT customer_id AS c_customer, segment FROM customers) AS c
      ON b_customer = c_customer`;
  return sql`SELECT b_reason AS r_reason, b_segment AS r_segment, b_month AS r_month, ${d.count()} AS n,
      sum(covered) AS cover, sum(covered * covered) AS cover2
    FROM (${segmented}) AS sg GROUP BY b_reason, b_segment, b_month`;
}

/** Customers per segment and month of their start and end date ('' when not given): a_segment, a_from, a_to, n. */
export function customersAtRiskSql(d: Dialect): Sql {
  const month = (c: Sql) => sql`coalesce(${d.toText(d.periodStartOfDate("month", c))}, '')`;
  return sql`SELECT a_segment, a_from, a_to, ${d.count()} AS n FROM (
      SELECT coalesce(segment, '') AS a_segment, ${month(sql`start_date`)} AS a_from, ${month(sql`end_date`)} AS a_to
      FROM customers
    ) AS a GROUP BY a_segment, a_from, a_to`;
}
