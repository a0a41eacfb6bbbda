export * from "./local-time.js";
export * from "./parse-value.js";
export * from "./tables.js";
export { rowSchemas } from "./zod-schemas.js";
