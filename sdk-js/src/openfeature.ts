import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from "@openfeature/web-sdk";
import type { AbTestClient } from "./client.js";
import type { Json } from "./json.js";
import type { Assignment, Evaluation } from "./manifest.js";

/** A requested type: its name in messages and whether a config value is of it. */
interface Kind {
  name: string;
  is: (v: unknown) => boolean;
}

const STRING: Kind = { name: "a string", is: (v) => typeof v === "string" };
const BOOLEAN: Kind = { name: "a boolean", is: (v) => typeof v === "boolean" };
const NUMBER: Kind = { name: "a number", is: (v) => typeof v === "number" };
const OBJECT: Kind = { name: "an object or an array", is: (v) => typeof v === "object" && v !== null };

type Metadata = Record<string, string>;

/** `experiment` or `experiment/a/b` (config.a.b); null when a path segment is empty. */
function parseFlag(key: string): { experiment: string; path: string[] } | null {
  const parts = key.split("/");
  if (parts.slice(1).some((p) => p.length === 0)) return null;
  return { experiment: parts[0], path: parts.slice(1) };
}

function describe(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal number";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  if (Array.isArray(v)) return "an array";
  return v === null ? "null" : "an object";
}

/**
 * An OpenFeature web provider backed by an {@link AbTestClient}, with the Java `AbTestProvider`'s
 * rules: the context's targeting key is the unit and the context the targeting attributes; a flag
 * key is `experiment` or `experiment/path` (a value in the variant's config, `a/b` being `a.b`).
 * Without a path a string evaluation answers the variant key and the others the config's `value`
 * (a boolean of a variant without `value` is true: the unit is in the flag).
 *
 * Reasons: TARGETING_MATCH (in by an override or a targeting condition, shipped or live), SPLIT
 * (in a live experiment by its bucket alone), STATIC (a shipped variant without targeting: everyone
 * outside the holdout gets it), DEFAULT (not in, or nothing at the path). Errors, with the caller's default and reason
 * ERROR: FLAG_NOT_FOUND (no live experiment of that key), TYPE_MISMATCH, PARSE_ERROR (listed but
 * not compilable), PROVIDER_NOT_READY (no manifest yet), TARGETING_KEY_MISSING, GENERAL. Flag
 * metadata: experiment, outcome (lower case), variant when in, configPath with a path. A new
 * manifest emits ConfigurationChanged.
 */
export class AbTestWebProvider implements Provider {
  readonly metadata = { name: "abtest" } as const;
  readonly runsOn = "client" as const;
  readonly events = new OpenFeatureEventEmitter();
  private readonly unsubscribe: () => void;

  constructor(private readonly client: AbTestClient, private readonly readyTimeoutMs = 5000) {
    let wasReady = client.ready;
    this.unsubscribe = client.onUpdate(() => {
      this.events.emit(wasReady ? ProviderEvents.ConfigurationChanged : ProviderEvents.Ready);
      wasReady = true;
    });
  }

  /** Waits for the first manifest; without one in time the provider errs until it arrives. */
  async initialize(): Promise<void> {
    if (!(await this.client.whenReady(this.readyTimeoutMs))) {
      throw new Error("abtest: no manifest within " + this.readyTimeoutMs + " ms; answering defaults");
    }
  }

  async onClose(): Promise<void> {
    this.unsubscribe();
    await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return this.evaluate(flagKey, defaultValue, context, BOOLEAN);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return this.evaluate(flagKey, defaultValue, context, STRING);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): ResolutionDetails<number> {
    return this.evaluate(flagKey, defaultValue, context, NUMBER);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    return this.evaluate(flagKey, defaultValue, context, OBJECT);
  }

  private evaluate<T>(key: string, defaultValue: T, context: EvaluationContext, kind: Kind): ResolutionDetails<T> {
    const unit = context?.targetingKey;
    if (typeof unit !== "string" || unit.length === 0) {
      return error(defaultValue, "TARGETING_KEY_MISSING", "no targeting key (unit id)");
    }
    const flag = typeof key === "string" ? parseFlag(key) : null;
    if (flag === null) return error(defaultValue, "GENERAL", `flag key ${key} has an empty path`);
    if (!this.client.ready) return error(defaultValue, "PROVIDER_NOT_READY", "no manifest yet");
    let e: Evaluation;
    try {
      e = this.client.evaluation(unit, flag.experiment, context as Record<string, unknown>);
    } catch (ex) {
      return error(defaultValue, "GENERAL", "evaluation failed: " + ex);
    }
    const metadata: Metadata = { experiment: flag.experiment, outcome: e.outcome.toLowerCase() };
    if (e.assignment) metadata.variant = e.assignment.variant;
    if (flag.path.length > 0) metadata.configPath = flag.path.join("/");
    switch (e.outcome) {
      case "OVERRIDE":
      case "TARGETED":
        return resolve(flag, e.assignment!, defaultValue, kind, "TARGETING_MATCH", metadata);
      case "SPLIT":
      case "STICKY":
        return resolve(flag, e.assignment!, defaultValue, kind, "SPLIT", metadata);
      case "SHIPPED":
        return resolve(flag, e.assignment!, defaultValue, kind, "STATIC", metadata);
      case "HOLDOUT":
      case "LAYER":
      case "NOT_TARGETED":
      case "COVERAGE":
        return { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata };
      case "NOT_LIVE":
        return error(defaultValue, "FLAG_NOT_FOUND", `no live experiment or flag ${flag.experiment} (unknown, or paused, killed or concluded without a shipped variant: the manifest lists live and shipped ones only)`, metadata);
      case "INVALID":
        return error(defaultValue, "PARSE_ERROR", `experiment ${flag.experiment} is in the manifest but could not be compiled`, metadata);
      default:
        return error(defaultValue, "GENERAL", `evaluating ${flag.experiment} failed`, metadata);
    }
  }
}

function resolve<T>(
  flag: { experiment: string; path: string[] },
  a: Assignment,
  defaultValue: T,
  kind: Kind,
  reason: string,
  metadata: Metadata,
): ResolutionDetails<T> {
  let value: unknown;
  let where: string;
  if (flag.path.length > 0) {
    where = flag.path.join("/");
    let node: unknown = a.config;
    for (let i = 0; i < flag.path.length; i++) {
      if (node === null || node === undefined) return { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata };
      if (typeof node !== "object" || Array.isArray(node)) {
        const at = i === 0 ? "(the config itself)" : flag.path.slice(0, i).join("/");
        return error(defaultValue, "TYPE_MISMATCH", mismatch(flag, a, at, node, "an object"), metadata);
      }
      const o = node as Record<string, Json>;
      node = Object.prototype.hasOwnProperty.call(o, flag.path[i]) ? o[flag.path[i]] : undefined;
    }
    if (node === null || node === undefined) return { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata };
    value = node;
  } else if (kind === STRING) {
    return { value: a.variant as T, variant: a.variant, reason, flagMetadata: metadata };
  } else {
    where = "value";
    value = a.config?.value;
    if (value === null || value === undefined) {
      if (kind !== BOOLEAN) return { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata };
      value = true; // a flag's variant without a value is on
    }
  }
  if (!kind.is(value)) return error(defaultValue, "TYPE_MISMATCH", mismatch(flag, a, where, value, kind.name), metadata);
  return { value: value as T, variant: a.variant, reason, flagMetadata: metadata };
}

function mismatch(flag: { experiment: string }, a: Assignment, at: string, found: unknown, wanted: string): string {
  return `config of variant ${a.variant} in ${flag.experiment} has ${describe(found)} at ${at}, not ${wanted}`;
}

function error<T>(value: T, errorCode: string, errorMessage: string, flagMetadata: Metadata = {}): ResolutionDetails<T> {
  return { value, reason: "ERROR", errorCode: errorCode as ResolutionDetails<T>["errorCode"], errorMessage, flagMetadata };
}
