/**
 * The job table, in SQL: one row per job (a customer's contacts on one reason that belong together),
 * with what the three KEI parts need. Built from dialect methods only, so it runs unchanged on DuckDB and
 * ClickHouse. Formulas: docs/methodology.md.
 */

import type { AnalysisOptions } from "../options/analysis-options.js";
import { type DerivedInputs, WHOLE_INPUTS } from "../store/derived/derived-table.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { alias, join, raw, type Sql, sql } from "../store/sql.js";
import { withTextEmotionSql } from "./lexicon-sentiment.js";

/**
 * A contact's wait in units of its channel's norm (`waitNorms`, else `easeAnchors.waitSeconds`): 1 is a full
 * waiting penalty. Outbound contacts are the company's doing, not the customer's effort: 0.
 */
function waitInNormsSql(o: AnalysisOptions): Sql {
  const norms = Object.entries(o.waitNorms).filter(([, v]) => v !== undefined) as [string, number][];
  const cases = norms.map(([channel, seconds]) => sql`WHEN channel = ${channel} THEN ${seconds}`);
  const norm = sql`CASE ${join(cases, " ")} ELSE ${o.easeAnchors.waitSeconds} END`;
  return sql`CASE WHEN direction = 'outbound' THEN 0.0 ELSE coalesce(wait_s, 0) / (${norm}) END`;
}

/** Contacts with their job number (`grp`) within customer and reason. */
export function jobContactsSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs = WHOLE_INPUTS): Sql {
  return d.sequenceGroups({
    from: sql`SELECT customer_id, reason, contact_id, ${d.epochSeconds(sql`ts`)} AS t, ts, channel,
      coalesce(wait_s, 0) AS wait, coalesce(transfers, 0) AS xfers, ${d.flag(sql`complaint`)} AS complaint_flag,
      CASE WHEN resolved IS NULL THEN NULL ELSE ${d.flag(sql`resolved`)} END AS said_resolved,
      CASE WHEN direction = 'outbound' THEN 'out' ELSE 'in' END AS dir, ${waitInNormsSql(o)} AS wait_norms
      FROM ${inputs.from("contacts")}`,
    partitionBy: ["customer_id", "reason"],
    time: "t",
    id: "contact_id",
    carry: ["ts", "channel", "wait", "xfers", "complaint_flag", "said_resolved", "dir", "wait_norms"],
    previous: ["channel", "dir"],
    gapSeconds: o.jobWindowDays * 86400,
  });
}

/**
 * Per job: first contact, contacts, switches, waiting, transfers, complaints. The customer's effort (inbound
 * contacts, their switches, waits and transfers) leaves out outbound contacts; a switch is counted between two
 * consecutive inbound contacts on different channels.
 */
function jobBaseSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs): Sql {
  const inbound = sql`dir = 'in'`;
  return sql`SELECT customer_id, reason, grp, min(t) AS first_t, max(t) AS last_t, min(ts) AS first_ts,
      max(CASE WHEN starts_group = 1 THEN channel END) AS first_channel,
      ${d.count()} AS n_contacts, ${d.countDistinct(sql`channel`)} AS n_channels,
      sum(CASE WHEN ${inbound} THEN 1 ELSE 0 END) AS n_inbound,
      sum(CASE WHEN starts_group = 0 AND prev_channel <> channel AND ${inbound} AND prev_dir = 'in' THEN 1 ELSE 0 END) AS n_switches,
      sum(CASE WHEN starts_group = 0 AND prev_channel = channel AND ${inbound} AND prev_dir = 'in' THEN 1 ELSE 0 END) AS n_reworks,
      sum(CASE WHEN ${inbound} THEN wait ELSE 0 END) AS total_wait, sum(wait_norms) AS total_wait_norms,
      sum(xfers) AS total_transfers, sum(CASE WHEN ${inbound} THEN xfers ELSE 0 END) AS inbound_transfers,
      sum(complaint_flag) AS n_complaints,
      max(CASE WHEN starts_group = 1 THEN said_resolved END) AS first_said_resolved
    FROM (${jobContactsSql(d, o, inputs)}) AS jc
    GROUP BY customer_id, reason, grp`;
}

/** Jobs with a web or app event on their reason within the window before their first contact. */
function webBeforeSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs): Sql {
  return sql`SELECT w_customer, w_reason, w_grp, max(hit) AS w_hit FROM (
      SELECT customer_id AS w_customer, reason AS w_reason, grp AS w_grp,
        CASE WHEN wt >= first_t - ${o.webWindowHours * 3600} AND wt <= first_t THEN 1 ELSE 0 END AS hit
      FROM (${jobBaseSql(d, o, inputs)}) AS jb
      ${d.join("inner")} (
        SELECT customer_id AS wc, reason AS wr, ${d.epochSeconds(sql`ts`)} AS wt FROM ${inputs.from("web_events")}
        WHERE customer_id IS NOT NULL AND reason IS NOT NULL
      ) AS we ON customer_id = wc AND reason = wr
    ) AS hits GROUP BY w_customer, w_reason, w_grp`;
}

/** Feedback rows with their score signal and text signal (each 0-100 or NULL). */
function feedbackRowsSql(d: Dialect, inputs: DerivedInputs, where: Sql): Sql {
  const scores = sql`CASE WHEN csat IS NOT NULL AND nps IS NOT NULL THEN ((csat - 1) * 25.0 + nps * 10.0) / 2
      WHEN csat IS NOT NULL THEN (csat - 1) * 25.0 WHEN nps IS NOT NULL THEN nps * 10.0 END`;
  const rows = sql`SELECT feedback_id AS f_id, contact_id AS f_contact, customer_id AS f_customer,
      ${d.epochSeconds(sql`ts`)} AS f_t, source AS f_source, ${scores} AS fs_score, text AS f_text
    FROM ${inputs.from("feedback")} ${where}`;
  return sql`SELECT f_id, f_contact, f_customer, f_t, f_source, fs_score, fs_text
    FROM (${withTextEmotionSql(d, rows, alias("f_text"), "fs_text")}) AS fe`;
}

/** A feedback row's survey signal: the mean of its score and text signals where both are there. */
const SURVEY_SIGNAL = sql`CASE WHEN fs_score IS NOT NULL AND fs_text IS NOT NULL THEN (fs_score + fs_text) / 2
      WHEN fs_score IS NOT NULL THEN fs_score ELSE fs_text END`;

/**
 * Feedback about the job's contacts, per job: the survey signals' sum and count (`fb_sum`, `fb_n`), the contacts
 * with a complaint in feedback (given within one job window after the contact) that are not flagged complaint themselves (`fb_complaint_contacts`: a complaint
 * that arrives both as the contact's flag and as feedback is one complaint), and all complaint feedback rows
 * (`complaint_feedback`, for the job's complaint fact).
 */
function contactFeedbackSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs): Sql {
  const isComplaint = sql`f_source = 'complaint'`;
  // A complaint counts when it was given within one job window after the contact it is about: by then the job's
  // follow-up has not ended, so data that can judge the job holds it too (a later one would change a judged job).
  const inTime = sql`${isComplaint} AND f_t <= t + ${o.jobWindowDays * 86400}`;
  return sql`SELECT customer_id AS e_customer, reason AS e_reason, grp AS e_grp,
      sum(CASE WHEN ${isComplaint} THEN NULL ELSE ${SURVEY_SIGNAL} END) AS fb_sum,
      ${d.count(sql`CASE WHEN ${isComplaint} THEN NULL ELSE ${SURVEY_SIGNAL} END`)} AS fb_n,
      ${d.countDistinct(sql`CASE WHEN ${inTime} AND complaint_flag = 0 THEN contact_id END`)} AS fb_complaint_contacts,
      sum(CASE WHEN ${inTime} THEN 1 ELSE 0 END) AS complaint_feedback
    FROM (${jobContactsSql(d, o, inputs)}) AS jc
    ${d.join("inner")} (${feedbackRowsSql(d, inputs, sql`WHERE contact_id IS NOT NULL`)}) AS fb ON contact_id = f_contact
    GROUP BY customer_id, reason, grp`;
}

/**
 * Feedback without a contact, linked to one job at most: among the customer's jobs from whose first contact to one
 * job window after whose last contact it was given, the one that began last (on a tie, the first reason in code
 * order). Per job (keyed by customer, reason and first contact): the survey signals' sum and count (`cf_sum`,
 * `cf_n`) and the complaints (`cf_complaints`, each a signal of 0).
 */
function customerFeedbackSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs): Sql {
  const window = o.jobWindowDays * 86400;
  const candidates = sql`SELECT a_customer, a_reason, a_first_t, a_fid, a_signal, a_complaint FROM (
      SELECT customer_id AS a_customer, reason AS a_reason, first_t AS a_first_t, last_t, f_id AS a_fid, f_t,
        CASE WHEN f_source = 'complaint' THEN 0.0 ELSE ${SURVEY_SIGNAL} END AS a_signal,
        CASE WHEN f_source = 'complaint' THEN 1 ELSE 0 END AS a_complaint
      FROM (${jobBaseSql(d, o, inputs)}) AS jb
      ${d.join("inner")} (${feedbackRowsSql(d, inputs, sql`WHERE contact_id IS NULL AND customer_id IS NOT NULL`)}) AS fb ON customer_id = f_customer
    ) AS m WHERE f_t >= a_first_t AND f_t <= last_t + ${window}`;
  const latest = sql`SELECT a_fid AS b_fid, max(a_first_t) AS b_t FROM (${candidates}) AS c GROUP BY a_fid`;
  const chosen = sql`SELECT min(a_customer) AS c_customer, min(a_reason) AS c_reason, min(a_first_t) AS c_first_t,
      min(a_signal) AS c_signal, max(a_complaint) AS c_complaint
    FROM (SELECT a_customer, a_reason, a_first_t, a_fid, a_signal, a_complaint FROM (${candidates}) AS c
      ${d.join("inner")} (${latest}) AS l ON a_fid = b_fid AND a_first_t = b_t) AS cl
    GROUP BY a_fid`;
  return sql`SELECT c_customer, c_reason, c_first_t,
      sum(CASE WHEN c_complaint = 0 THEN c_signal END) AS cf_sum,
      ${d.count(sql`CASE WHEN c_complaint = 0 THEN c_signal END`)} AS cf_n, sum(c_complaint) AS cf_complaints
    FROM (${chosen}) AS ch GROUP BY c_customer, c_reason, c_first_t`;
}

/** The five effort components of Ease, each 0-1: min(1, measure / anchor), over the customer's inbound contacts. */
function easeComponents(o: AnalysisOptions) {
  const a = o.easeAnchors;
  const capped = (x: Sql, anchor: number) => sql`least(1.0, (${x}) / ${anchor})`;
  return {
    contacts: capped(sql`greatest(0, n_inbound - 1)`, a.contacts - 1),
    switches: capped(sql`n_switches`, a.switches),
    // Each contact's wait is already in units of its channel's norm.
    wait: sql`least(1.0, total_wait_norms)`,
    transfers: capped(sql`inbound_transfers`, a.transfers),
    webToCall: sql`(1.0 * web_flag)`,
  };
}

/**
 * One row per job: customer_id, reason, grp, first_t and last_t (its first and last contact, epoch seconds),
 * follow_up_end_t (last_t plus the job window: until then a repeat contact would still join the job), first_ts,
 * channel (of the first contact), contacts (all, outbound too), inbound_contacts, channels (distinct channels
 * used), escalated (0/1: more transfers than `escalationTransfers`), complaint (0/1: a contact flagged complaint or
 * a complaint among the feedback about the job's contacts), switches (between inbound contacts), reworks (an
 * inbound contact on the same channel as the inbound contact before it), wait_s (waited
 * on inbound contacts), wait_norms (those waits in units of their channel's norm, summed), transfers (all),
 * complaints (flagged contacts), web_before (0/1), agent_resolved (the agent's flag on the first contact: 0/1,
 * NULL when not given), effective (0/1), ease (0-100) with its five effort components c_contacts, c_switches,
 * c_wait, c_transfers, c_web (each 0-1), emotion (0-100, NULL without a signal), emotion_feedback (the mean of
 * the survey and text signals alone, NULL without one), feedback_signals and complaint_signals (how many of each).
 */
export function jobTableSql(d: Dialect, o: AnalysisOptions, inputs: DerivedInputs = WHOLE_INPUTS): Sql {
  const w = o.easeWeights;
  const components = easeComponents(o);
  const penalty = sql`(${w.contacts} * ${components.contacts}
    + ${w.switches} * ${components.switches}
    + ${w.wait} * ${components.wait}
    + ${w.transfers} * ${components.transfers}
    + ${w.webToCall} * ${components.webToCall})`;
  const base =
    raw(`customer_id, reason, grp, first_t, last_t, first_ts, first_channel, n_contacts, n_inbound, n_channels,
      n_switches, n_reworks, total_wait, total_wait_norms, total_transfers, inbound_transfers, n_complaints, first_said_resolved`);
  const withWeb = sql`SELECT ${base}, coalesce(w_hit, 0) AS web_flag
    FROM (${jobBaseSql(d, o, inputs)}) AS jb ${d.join("left")} (${webBeforeSql(d, o, inputs)}) AS wb
      ON customer_id = w_customer AND reason = w_reason AND grp = w_grp`;
  const withContactFeedback = sql`SELECT ${base}, web_flag,
      coalesce(fb_sum, 0) + 0.0 AS fb_sum0, coalesce(fb_n, 0) AS fb_n0,
      n_complaints + coalesce(fb_complaint_contacts, 0) AS complaint_n0,
      coalesce(complaint_feedback, 0) AS n_complaint_feedback
    FROM (${withWeb}) AS jw ${d.join("left")} (${contactFeedbackSql(d, o, inputs)}) AS em
      ON customer_id = e_customer AND reason = e_reason AND grp = e_grp`;
  const withEmotion = sql`SELECT ${base}, web_flag, n_complaint_feedback,
      fb_sum0 + coalesce(cf_sum, 0) AS fb_sum, fb_n0 + coalesce(cf_n, 0) AS fb_n,
      complaint_n0 + coalesce(cf_complaints, 0) AS complaint_n
    FROM (${withContactFeedback}) AS jf ${d.join("left")} (${customerFeedbackSql(d, o, inputs)}) AS cf
      ON customer_id = c_customer AND reason = c_reason AND first_t = c_first_t`;
  return sql`SELECT customer_id, reason, grp, first_t, last_t, last_t + ${o.jobWindowDays * 86400} AS follow_up_end_t,
      first_ts, first_channel AS channel, n_contacts AS contacts, n_inbound AS inbound_contacts, n_channels AS channels,
      CASE WHEN total_transfers > ${o.escalationTransfers} THEN 1 ELSE 0 END AS escalated,
      CASE WHEN n_complaints + n_complaint_feedback > 0 THEN 1 ELSE 0 END AS complaint,
      n_switches AS switches, n_reworks AS reworks, total_wait AS wait_s, total_wait_norms AS wait_norms, total_transfers AS transfers,
      n_complaints AS complaints, web_flag AS web_before, first_said_resolved AS agent_resolved,
      CASE WHEN n_contacts = 1 AND n_complaints + n_complaint_feedback = 0 AND total_transfers <= ${o.escalationTransfers}
        THEN 1 ELSE 0 END AS effective,
      100.0 * (1 - ${penalty}) AS ease,
      ${components.contacts} AS c_contacts, ${components.switches} AS c_switches, ${components.wait} AS c_wait,
      ${components.transfers} AS c_transfers, ${components.webToCall} AS c_web,
      CASE WHEN fb_n + complaint_n > 0 THEN fb_sum / (fb_n + complaint_n) END AS emotion,
      CASE WHEN fb_n > 0 THEN fb_sum / fb_n END AS emotion_feedback,
      fb_n AS feedback_signals, complaint_n AS complaint_signals
    FROM (${withEmotion}) AS je`;
}
