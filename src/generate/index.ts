export * from "./catalogue.js";
export * from "./generate-organisation.js";
export type { ReasonTruth, Truth } from "./truth.js";
