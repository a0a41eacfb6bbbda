/**
 * The NPS answers whose outcome can be judged, the answers' counterpart of followed-jobs.ts: answered at most
 * 90 days before the last day leaving can be observed (`cutoff`), and not about a contact on a reason of the
 * `leaving` lifecycle stage (an answer after a cancellation call comes before leaving by definition, as that
 * call does). Each with whether the customer left within the 90 days after the answer's day.
 */
import type { AnalysisOptions } from "../options/analysis-options.js";
import { type Sql, sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { leftWithin, type ValidationWeight, weightSql } from "./followed-jobs.js";

/** Rows: a_id (the answer), u_customer, a_day (configured zone), score (0-10), left_flag (0/1), w. */
export function followedAnswersSql(
  store: Store,
  o: AnalysisOptions,
  cutoff: string,
  weight: ValidationWeight,
): Sql {
  const d = store.dialect;
  // One join per SELECT (ClickHouse 18.16): the contact's reason, its lifecycle stage, then the customer.
  const withReason = sql`SELECT a_id, a_customer, a_day, score, k_reason FROM (
      SELECT feedback_id AS a_id, customer_id AS a_customer, contact_id AS a_contact,
        ${d.periodStart("day", sql`ts`, o.timeZone)} AS a_day, nps AS score
      FROM feedback WHERE nps IS NOT NULL
    ) AS f ${d.join("left")} (SELECT contact_id AS k_contact, reason AS k_reason FROM contacts) AS k ON a_contact = k_contact`;
  const withStage = sql`SELECT a_id, a_customer, a_day, score FROM (${withReason}) AS fk
    ${d.join("left")} (SELECT reason AS r_reason, lifecycle_stage FROM reasons) AS r ON k_reason = r_reason
    WHERE a_day <= ${cutoff} AND coalesce(lifecycle_stage, '') <> 'leaving'`;
  const valued = weight === "value" ? sql`, annual_value_eur` : sql``;
  return sql`SELECT a_id, a_customer AS u_customer, a_day, score, ${leftWithin(store, sql`a_day`)} AS left_flag,
      ${weightSql(weight)} AS w
    FROM (${withStage}) AS fs
    ${d.join("inner")} (SELECT customer_id AS c_customer, end_date${valued} FROM customers) AS c ON a_customer = c_customer`;
}
