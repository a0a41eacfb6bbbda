/** The KEI engine's public API, for the CLI, the server and other analytics. */

export { jobContactsSql, jobTableSql } from "../model/job-table.js";
export { derivedTables, jobsRelation, jobsTable } from "../model/jobs-table.js";
export { calibrateEase, type EaseCalibration } from "./calibrate-ease.js";
export { type FittedWeights, fitWeights } from "./fit-weights.js";
export {
  checkDimensions,
  KEI_DIMENSIONS,
  type KeiCell,
  type KeiDimension,
  type KeiIndexQuery,
  keiIndex,
} from "./kei-index.js";
export { type NpsCell, npsIndex } from "./nps-index.js";
export { type Validation, validateKei } from "./validate-kei.js";
