/** The journeys' public API, for the CLI, the server and other analytics. */

export { type ChannelSwitching, channelSwitching } from "./channel-switching.js";
export { alignToPath, type Conformance, conformance, type DesiredPath, expandPaths } from "./conformance.js";
export { coverageThreshold } from "./coverage.js";
export { dfgToDot } from "./dfg-to-dot.js";
export { type Dfg, type DfgEdge, discoverDfg, discoverVariants, type Variant } from "./discover-dfg.js";
export { buildLog, type EventLog, eventCount, type LogEvent } from "./event-log.js";
export { filterActivities, filterLog, filterPaths, filterVariants, type LogFilter } from "./filter-log.js";
export {
  type Absorption,
  absorption,
  END,
  type MarkovModel,
  markovModel,
  nextSteps,
  stateActivity,
  type Transition,
} from "./markov-model.js";
export { EventLogError, readEventLog } from "./read-event-log.js";
export { storedConformance, storedJobVariants } from "./stored-conformance.js";
export { type JourneyOptions, storedDfg, storedJourneyLog, storedVariants } from "./stored-journeys.js";
export { storedMarkov } from "./stored-markov.js";
export { type WebToCall, type WebToCallOptions, type WebToCallRow, webToCall } from "./web-to-call.js";
export { writeEventLog } from "./write-event-log.js";
