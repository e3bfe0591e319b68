export { CompiledManifest, parseManifest } from "./manifest.js";
export type { Assignment, Attributes, Evaluation, ForcedVariants, Outcome, SdkExperiment, SdkManifest } from "./manifest.js";
export { bucket, hash } from "./murmur.js";
export { compileCondition, ConditionError } from "./conditions.js";
export type { Json, JsonObject } from "./json.js";
