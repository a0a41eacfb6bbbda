/**
 * kei as a library: open a store, ingest files, and ask the analytics. Every analytic takes a `Store` and returns
 * plain typed objects (what the CLI prints with --json and the API will serve).
 *
 *   const store = await openStore(parseStoreLocation("./kei.duckdb"));
 *   await ingestFiles(store, ["./data"], { timeZone: "Europe/Amsterdam", rejectsPath: "./rejects.csv" });
 *   const options = analysisOptionsFromConfig((await loadConfig()).config);   // or analysisOptions({ ... })
 *   const cells = await keiIndex(store, { by: ["reason"], options });
 *   const dfg = await storedDfg(store, { cases: "job", options });
 *   await store.close();
 *
 * It exports the analytics' faces (src/kei, src/journeys), their options and result types, and the error
 * classes, never SQL builders. Every error kei means to throw is a `KeiError` whose `kind` says what went wrong:
 * "usage", "data", "unreachable", "busy" or "engine" (src/errors/kei-error.ts).
 */
export { ConfigError, type KeiConfig, loadConfig, parseConfig } from "./config/config.js";
export {
  BusyError,
  DataError,
  EngineError,
  KEI_ERROR_KINDS,
  KeiError,
  type KeiErrorKind,
  UnreachableError,
  UsageError,
} from "./errors/kei-error.js";
export { generateOrganisation, type Truth } from "./generate/index.js";
export { IngestInputError } from "./ingest/find-input-files.js";
export {
  type FileReport,
  type IngestOptions,
  type IngestReport,
  ingestFiles,
} from "./ingest/ingest-files.js";
export * from "./journeys/index.js";
export * from "./kei/index.js";
export {
  type AnalysisOptions,
  type AnalysisOverrides,
  analysisOptions,
  analysisOptionsFromConfig,
  DEFAULT_ANALYSIS_OPTIONS,
  type DesiredPath,
  type EaseAnchors,
  type EaseWeights,
  type KeiWeights,
  OptionsError,
} from "./options/analysis-options.js";
export { openStore } from "./store/open-store.js";
export { type Store, StoreBusyError } from "./store/store.js";
export { parseStoreLocation, type StoreLocation } from "./store/store-location.js";
