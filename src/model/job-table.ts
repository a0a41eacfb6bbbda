/**
 * The job table, in SQL: one row per job (a customer's contacts on one reason that belong together),
 * with what the three KEI parts need. Built from dialect methods only, so it runs unchanged on DuckDB and
 * ClickHouse. Formulas: docs/methodology.md.
 */

import type { AnalysisOptions } from "../options/analysis-options.js";
import type { Dialect } from "../store/dialect/dialect.js";
import { raw, type Sql, sql } from "../store/sql.js";
import { textEmotionSql } from "./lexicon-sentiment.js";

/** Contacts with their job number (`grp`) within customer and reason. */
export function jobContactsSql(d: Dialect, o: AnalysisOptions): Sql {
  return d.sequenceGroups({
    from: sql`SELECT customer_id, reason, contact_id, ${d.epochSeconds(sql`ts`)} AS t, ts, channel,
      coalesce(wait_s, 0) AS wait, coalesce(transfers, 0) AS xfers, ${d.flag(sql`complaint`)} AS complaint_flag,
      CASE WHEN resolved IS NULL THEN NULL ELSE ${d.flag(sql`resolved`)} END AS said_resolved
      FROM contacts`,
    partitionBy: ["customer_id", "reason"],
    time: "t",
    id: "contact_id",
    carry: ["ts", "channel", "wait", "xfers", "complaint_flag", "said_resolved"],
    previous: ["channel"],
    gapSeconds: o.jobWindowDays * 86400,
  });
}

/** Per job: first contact, contacts, switches, waiting, transfers, complaints. */
function jobBaseSql(d: Dialect, o: AnalysisOptions): Sql {
  return sql`SELECT customer_id, reason, grp, min(t) AS first_t, max(t) AS last_t, min(ts) AS first_ts,
      max(CASE WHEN starts_group = 1 THEN channel END) AS first_channel,
      ${d.count()} AS n_contacts, ${d.countDistinct(sql`channel`)} AS n_channels,
      sum(CASE WHEN starts_group = 0 AND prev_channel <> channel THEN 1 ELSE 0 END) AS n_switches,
      sum(wait) AS total_wait, sum(xfers) AS total_transfers, sum(complaint_flag) AS n_complaints,
      max(CASE WHEN starts_group = 1 THEN said_resolved END) AS first_said_resolved
    FROM (${jobContactsSql(d, o)}) AS jc
    GROUP BY customer_id, reason, grp`;
}

/** Jobs with a web or app event on their reason within the window before their first contact. */
function webBeforeSql(d: Dialect, o: AnalysisOptions): Sql {
  return sql`SELECT w_customer, w_reason, w_grp, max(hit) AS w_hit FROM (
      SELECT customer_id AS w_customer, reason AS w_reason, grp AS w_grp,
        CASE WHEN wt >= first_t - ${o.webWindowHours * 3600} AND wt <= first_t THEN 1 ELSE 0 END AS hit
      FROM (${jobBaseSql(d, o)}) AS jb
      ${d.join("inner")} (
        SELECT customer_id AS wc, reason AS wr, ${d.epochSeconds(sql`ts`)} AS wt FROM web_events
        WHERE customer_id IS NOT NULL AND reason IS NOT NULL
      ) AS we ON customer_id = wc AND reason = wr
    ) AS hits GROUP BY w_customer, w_reason, w_grp`;
}

/**
 * Emotion signals per job, each on 0-100. A feedback row gives one signal: a complaint 0; else the mean of
 * what it has of a score signal (CSAT as (csat - 1) x 25 and the NPS answer as nps x 10, averaged when both are
 * there) and a text signal (the lexicon's 50 + 50 x sentiment). Feedback is linked to a job through the
 * contact it is about, or, without a contact, by customer when it was given from the job's first contact to
 * one window after its last. A contact flagged complaint adds a 0 (see jobTableSql). Also counted: complaints
 * among the feedback about the job's contacts (`complaint_feedback`), for the job's complaint fact.
 */
function emotionSql(d: Dialect, o: AnalysisOptions): Sql {
  const window = o.jobWindowDays * 86400;
  const scores = sql`CASE WHEN csat IS NOT NULL AND nps IS NOT NULL THEN ((csat - 1) * 25.0 + nps * 10.0) / 2
      WHEN csat IS NOT NULL THEN (csat - 1) * 25.0 WHEN nps IS NOT NULL THEN nps * 10.0 END`;
  const feedbackSignal = (alias: string) => {
    const scoreSig = raw(`${alias}_score`);
    const textSig = raw(`${alias}_text`);
    return sql`CASE WHEN f_source = 'complaint' THEN 0.0
      WHEN ${scoreSig} IS NOT NULL AND ${textSig} IS NOT NULL THEN (${scoreSig} + ${textSig}) / 2
      WHEN ${scoreSig} IS NOT NULL THEN ${scoreSig} ELSE ${textSig} END`;
  };
  const feedbackRows = (
    where: Sql,
  ) => sql`SELECT feedback_id AS f_id, contact_id AS f_contact, customer_id AS f_customer,
      ${d.epochSeconds(sql`ts`)} AS f_t, source AS f_source, ${scores} AS fs_score, ${textEmotionSql(d, sql`text`)} AS fs_text
    FROM feedback ${where}`;
  const byContact = sql`SELECT customer_id AS e_customer, reason AS e_reason, grp AS e_grp, ${feedbackSignal("fs")} AS signal,
      CASE WHEN f_source = 'complaint' THEN 1 ELSE 0 END AS complaint_fb
    FROM (${jobContactsSql(d, o)}) AS jc
    ${d.join("inner")} (${feedbackRows(sql`WHERE contact_id IS NOT NULL`)}) AS fb ON contact_id = f_contact`;
  const byCustomer = sql`SELECT e_customer, e_reason, e_grp, signal, 0 AS complaint_fb FROM (
      SELECT customer_id AS e_customer, reason AS e_reason, grp AS e_grp, first_t, last_t, f_t, ${feedbackSignal("fs")} AS signal
      FROM (${jobBaseSql(d, o)}) AS jb
      ${d.join("inner")} (${feedbackRows(sql`WHERE contact_id IS NULL AND customer_id IS NOT NULL`)}) AS fb ON customer_id = f_customer
    ) AS bc WHERE f_t >= first_t AND f_t <= last_t + ${window}`;
  return sql`SELECT e_customer, e_reason, e_grp, sum(signal) AS emotion_sum, ${d.count(sql`signal`)} AS emotion_n,
      sum(complaint_fb) AS complaint_feedback FROM (
      ${byContact} UNION ALL ${byCustomer}
    ) AS signals GROUP BY e_customer, e_reason, e_grp`;
}

/** The five effort components of Ease, each 0-1: min(1, measure / anchor). */
function easeComponents(o: AnalysisOptions) {
  const a = o.easeAnchors;
  const capped = (x: Sql, anchor: number) => sql`least(1.0, (${x}) / ${anchor})`;
  return {
    contacts: capped(sql`n_contacts - 1`, a.contacts - 1),
    switches: capped(sql`n_switches`, a.switches),
    wait: capped(sql`total_wait`, a.waitSeconds),
    transfers: capped(sql`total_transfers`, a.transfers),
    webToCall: sql`(1.0 * web_flag)`,
  };
}

/**
 * One row per job: customer_id, reason, grp, first_t and last_t (its first and last contact, epoch seconds),
 * follow_up_end_t (last_t plus the job window: until then a repeat contact would still join the job), first_ts,
 * channel (of the first contact), contacts, channels (distinct channels used), escalated (0/1: more transfers
 * than `escalationTransfers`), complaint (0/1: a contact flagged complaint or a complaint among the feedback about
 * the job's contacts), switches, wait_s, transfers, complaints, web_before (0/1),
 * agent_resolved (the agent's flag on the first contact: 0/1, NULL when not given), effective (0/1), ease
 * (0-100) with its five effort components c_contacts, c_switches, c_wait, c_transfers, c_web (each 0-1),
 * emotion (0-100, NULL without a signal).
 */
export function jobTableSql(d: Dialect, o: AnalysisOptions): Sql {
  const w = o.easeWeights;
  const components = easeComponents(o);
  const penalty = sql`(${w.contacts} * ${components.contacts}
    + ${w.switches} * ${components.switches}
    + ${w.wait} * ${components.wait}
    + ${w.transfers} * ${components.transfers}
    + ${w.webToCall} * ${components.webToCall})`;
  const withWeb = sql`SELECT customer_id, reason, grp, first_t, last_t, first_ts, first_channel, n_contacts, n_channels, n_switches, total_wait,
      total_transfers, n_complaints, first_said_resolved, coalesce(w_hit, 0) AS web_flag
    FROM (${jobBaseSql(d, o)}) AS jb ${d.join("left")} (${webBeforeSql(d, o)}) AS wb
      ON customer_id = w_customer AND reason = w_reason AND grp = w_grp`;
  const withEmotion = sql`SELECT customer_id, reason, grp, first_t, last_t, first_ts, first_channel, n_contacts, n_channels, n_switches, total_wait,
      total_transfers, n_complaints, first_said_resolved, web_flag,
      coalesce(emotion_sum, 0) + 0.0 AS emo_sum, coalesce(emotion_n, 0) + n_complaints AS emo_n,
      coalesce(complaint_feedback, 0) AS n_complaint_feedback
    FROM (${withWeb}) AS jw ${d.join("left")} (${emotionSql(d, o)}) AS em
      ON customer_id = e_customer AND reason = e_reason AND grp = e_grp`;
  return sql`SELECT customer_id, reason, grp, first_t, last_t, last_t + ${o.jobWindowDays * 86400} AS follow_up_end_t,
      first_ts, first_channel AS channel, n_contacts AS contacts, n_channels AS channels,
      CASE WHEN total_transfers > ${o.escalationTransfers} THEN 1 ELSE 0 END AS escalated,
      CASE WHEN n_complaints + n_complaint_feedback > 0 THEN 1 ELSE 0 END AS complaint,
      n_switches AS switches, total_wait AS wait_s, total_transfers AS transfers, n_complaints AS complaints,
      web_flag AS web_before, first_said_resolved AS agent_resolved,
      CASE WHEN n_contacts = 1 AND n_complaints = 0 AND total_transfers <= ${o.escalationTransfers} THEN 1 ELSE 0 END AS effective,
      100.0 * (1 - ${penalty}) AS ease,
      ${components.contacts} AS c_contacts, ${components.switches} AS c_switches, ${components.wait} AS c_wait,
      ${components.transfers} AS c_transfers, ${components.webToCall} AS c_web,
      CASE WHEN emo_n > 0 THEN emo_sum / emo_n END AS emotion
    FROM (${withEmotion}) AS je`;
}
