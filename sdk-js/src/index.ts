export { AbTestClient } from "./client.js";
export type { ClientOptions, ClientStats } from "./client.js";
export { CompiledManifest, parseManifest } from "./manifest.js";
export type { Assignment, Attributes, Evaluation, ForcedVariants, Outcome, SdkExperiment, SdkManifest } from "./manifest.js";
export type { EventStats, TrackedEvent } from "./events.js";
export type { SyncStats } from "./sync.js";
export { bucket, hash } from "./murmur.js";
export { compileCondition, ConditionError } from "./conditions.js";
export type { Json, JsonObject } from "./json.js";
