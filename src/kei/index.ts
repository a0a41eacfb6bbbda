/**
 * The KEI engine's public API, for the CLI, the server and other analytics: questions in, typed results out.
 * No SQL builders: the job definition's SQL stays in src/model, read by the analytics behind this face;
 * `derivedTables` is the declaration of the derived tables the store builds after an ingest.
 */

export { derivedTables } from "../model/jobs-table.js";
export { calibrateEase, type EaseCalibration } from "./calibrate-ease.js";
export { type FittedWeights, fitWeights } from "./fit-weights.js";
export {
  type ChangeStatus,
  type ChangeVerdict,
  type Difference,
  type KeiChange,
  keiChange,
  previousPeriod,
  timeDimension,
  verdictOf,
} from "./kei-change.js";
export {
  checkDimensions,
  KEI_DIMENSIONS,
  type KeiCell,
  type KeiDimension,
  type KeiIndexQuery,
  keiIndex,
} from "./kei-index.js";
export { type MixExplained, mixExplained } from "./mix-explained.js";
export {
  keiStandardised,
  MIN_MIX_COVERAGE,
  type ReasonWeight,
  type StandardisedCell,
  standardiseByMix,
} from "./mix-standardised.js";
export { type NpsCell, npsIndex } from "./nps-index.js";
export { keiStandardError, type RankedCell, rankCertainty } from "./rank-certainty.js";
export { type StandardisedChange, standardisedChanges } from "./standardised-change.js";
export {
  checkWeight,
  MIN_VERDICT_UNITS,
  type Relation,
  type ValidateOptions,
  type Validation,
  type ValidationWeight,
  validateKei,
} from "./validate-kei.js";
