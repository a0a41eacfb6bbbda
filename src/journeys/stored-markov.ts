/**
 * The first-order Markov model of the stored journeys, counted in the database: episodes are the dialect's
 * sequence groups with the window as the gap, transitions the pairs within an episode; the counts of a -> END
 * come from the balance of starts and transitions (endCounts). The second-order model is counted in kei from
 * the journey log.
 */
import { sql } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { END, type MarkovModel, markovFromCounts } from "./markov-model.js";
import { endCounts, filteredEventsSql, type JourneyOptions } from "./stored-journeys.js";

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
  const counts = rows
    .filter((r) => r.a_from !== "")
    .map((r) => ({ from: r.a_from, to: r.a_to, count: Number(r.n) }));
  // Episodes end in a state as often as the balance of starts and transitions says.
  for (const [state, n] of endCounts(rows)) counts.push({ from: state, to: END, count: n });
  return markovFromCounts(counts, 1);
}
