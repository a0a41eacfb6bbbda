/**
 * The first-order Markov model of the stored journeys, counted in the database: episodes are the dialect's
 * sequence groups with the window as the gap, transitions the pairs within an episode. An episode ends in a
 * state a as often as a starts an episode plus a's incoming transitions minus its outgoing ones, so the counts
 * of a -> END need no second pass. The second-order model is counted in kei from the journey log.
 */
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { END, type MarkovModel, markovFromCounts } from "./markov-model.js";
import { filteredEventsSql, type JourneyOptions } from "./stored-journeys.js";

export async function storedMarkov(
  store: Store,
  windowHours = 24,
  o: JourneyOptions = {},
): Promise<MarkovModel> {
  if (!(windowHours > 0)) throw new RangeError(`the episode window must be positive, got ${windowHours}`);
  const d = store.dialect;
  const episodes = d.sequenceGroups({
    from: await filteredEventsSql(store, o),
    partitionBy: ["case_id"],
    time: "t",
    id: "event_key",
    carry: ["activity"],
    previous: ["activity"],
    gapSeconds: windowHours * 3600,
  });
  const rows = await store.query<{ a_from: string; a_to: string; n: number }>(
    sql`SELECT CASE WHEN starts_group = 1 THEN '' ELSE prev_activity END AS a_from, activity AS a_to, ${d.count()} AS n
      FROM (${episodes}) AS ep GROUP BY CASE WHEN starts_group = 1 THEN '' ELSE prev_activity END, activity`,
  );
  const balance = new Map<string, number>();
  const counts: { from: string; to: string; count: number }[] = [];
  for (const r of rows) {
    const n = Number(r.n);
    balance.set(r.a_to, (balance.get(r.a_to) ?? 0) + n);
    if (r.a_from === "") continue;
    balance.set(r.a_from, (balance.get(r.a_from) ?? 0) - n);
    counts.push({ from: r.a_from, to: r.a_to, count: n });
  }
  for (const [state, n] of balance) if (n > 0) counts.push({ from: state, to: END, count: n });
  return markovFromCounts(counts, 1);
}
