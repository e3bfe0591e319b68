import { compileCondition, type Test } from "./conditions.js";
import { isObject, type Json, type JsonObject } from "./json.js";
import { EXPERIMENT, Keyed, UNIT, VARIANT } from "./keys.js";
import { bucketOf, hashWith, prefix, type Prefix } from "./murmur.js";
import { utf8 } from "./utf8.js";

/** The SDK manifest as `GET /v1/manifest` serves it (docs/openapi.yaml, SdkManifest). */
export interface SdkManifest {
  version: number;
  obfuscated?: boolean;
  experiments: SdkExperiment[];
  holdout?: { salt: string; range: [number, number] } | null;
}

export interface SdkExperiment {
  key: string;
  salt: string;
  layerSalt?: string | null;
  layerSlots?: [number, number] | null;
  holdout?: boolean;
  targeting?: JsonObject | null;
  coverage: number;
  variants: { key: string; weight: number; config?: JsonObject | null }[];
  overrides?: Record<string, string> | null;
}

/** A unit's variant in one experiment and the config it should apply. */
export interface Assignment {
  experiment: string;
  variant: string;
  config: JsonObject;
}

/** The check that decided a unit's answer in one experiment, as the Java evaluator's `Outcome`. */
export type Outcome =
  | "OVERRIDE"
  | "HOLDOUT"
  | "LAYER"
  | "NOT_TARGETED"
  | "COVERAGE"
  | "TARGETED"
  | "SPLIT"
  | "NOT_LIVE"
  | "INVALID"
  | "FAILED";

/** A unit's answer in one experiment with why: the assignment (null when not in) and the outcome. */
export interface Evaluation {
  assignment: Assignment | null;
  outcome: Outcome;
}

/** Unit attributes: a JSON object (or null/undefined for none). */
export type Attributes = { [key: string]: unknown } | null | undefined;

/** Experiment key → variant key, winning over everything (QA and tests). */
export type ForcedVariants = Record<string, string>;

type Range = readonly [number, number];

interface Compiled {
  key: string;
  salt: Prefix;
  holdout: boolean;
  condition: number; // index into conditions, -1 for everyone
  layer: number; // index into layers, -1 without one
  layerSlots: Range | null;
  starts: number[];
  ends: number[];
  assignments: Assignment[];
  byVariant: Map<string, Assignment>;
  overrides: Map<string, Assignment>;
  unitHash: Keyed | null;
}

const contains = (r: Range, slot: number) => slot >= r[0] && slot < r[1];

function out(outcome: Outcome): Evaluation {
  return { assignment: null, outcome };
}

/**
 * A manifest compiled once for evaluation (DESIGN.md §3), mirroring the Java evaluator's
 * `CompiledManifest`: per experiment a forced variant or the experiment's own override for the
 * unit wins; otherwise the unit is in only if it is outside the holdout (when the experiment
 * respects it), its layer slot is in the experiment's range, the targeting condition matches and
 * its bucket falls in a variant's range. An experiment that cannot be compiled is left out (it
 * assigns nobody, listed in {@link problems}); an error while evaluating one skips it only.
 */
export class CompiledManifest {
  static readonly EMPTY = new CompiledManifest({ version: 0, obfuscated: false, experiments: [] });

  readonly version: number;
  readonly obfuscated: boolean;
  readonly problems: string[] = [];
  private readonly experiments: Compiled[] = [];
  private readonly byKey = new Map<string, Compiled>();
  private readonly conditions: Test[] = [];
  private readonly layers: Prefix[] = [];
  private readonly holdoutPrefix: Prefix | null = null;
  private readonly holdoutRange: Range | null = null;
  private readonly realKeys = new Map<string, string | null>();

  constructor(readonly source: SdkManifest) {
    this.version = Number(source.version) || 0;
    this.obfuscated = source.obfuscated === true;
    const holdout = source.holdout;
    if (holdout && Array.isArray(holdout.range)) {
      this.holdoutPrefix = prefix(String(holdout.salt ?? null));
      this.holdoutRange = holdout.range;
    }
    const conditionSlots = new Map<string, number>();
    const layerIndex = new Map<string, number>();
    for (const e of Array.isArray(source.experiments) ? source.experiments : []) {
      try {
        let layer = -1;
        if (e.layerSalt != null && e.layerSlots != null) {
          const salt = String(e.layerSalt);
          let index = layerIndex.get(salt);
          if (index === undefined) {
            index = this.layers.length;
            this.layers.push(prefix(salt));
            layerIndex.set(salt, index);
          }
          layer = index;
        }
        const compiled = this.compile(e, layer, conditionSlots);
        this.experiments.push(compiled);
        this.byKey.set(compiled.key, compiled);
      } catch (ex) {
        this.problems.push(`${e?.key}: ${(ex as Error)?.message}`);
      }
    }
  }

  private compile(e: SdkExperiment, layer: number, slots: Map<string, number>): Compiled {
    const key = String(e.key);
    const salt = String(e.salt ?? null);
    const coverage = Number(e.coverage ?? 0);
    const starts: number[] = [];
    const ends: number[] = [];
    const assignments: Assignment[] = [];
    const byVariant = new Map<string, Assignment>();
    let start = 0;
    for (const v of e.variants ?? []) {
      const weight = Number(v.weight ?? 0);
      starts.push(start);
      ends.push(start + Math.floor((coverage * weight) / 10_000));
      start += weight;
      const a: Assignment = { experiment: key, variant: String(v.key), config: isObject(v.config) ? v.config : {} };
      assignments.push(a);
      byVariant.set(a.variant, a);
    }
    const overrides = new Map<string, Assignment>();
    for (const [unit, variant] of Object.entries(e.overrides ?? {})) {
      const forced = byVariant.get(variant);
      if (forced === undefined) throw new Error(`override for unit ${unit} names unknown variant ${variant}`);
      overrides.set(unit, forced);
    }
    let condition = -1;
    const t = e.targeting;
    if (t != null && !(isObject(t) && Object.keys(t).length === 0)) {
      const text = JSON.stringify(t);
      const known = slots.get(text);
      if (known !== undefined) {
        condition = known;
      } else {
        this.conditions.push(compileCondition(t, {}, true));
        condition = this.conditions.length - 1;
        slots.set(text, condition);
      }
    }
    return {
      key,
      salt: prefix(salt),
      holdout: e.holdout === true,
      condition,
      layer,
      layerSlots: layer >= 0 ? (e.layerSlots as Range) : null,
      starts,
      ends,
      assignments,
      byVariant,
      overrides,
      unitHash: overrides.size > 0 ? new Keyed(salt) : null,
    };
  }

  /** Every experiment the unit is in, in manifest order. Never throws. */
  evaluate(unit: string, attributes?: Attributes, forced?: ForcedVariants): Assignment[] {
    const result: Assignment[] = [];
    if (typeof unit !== "string" || this.experiments.length === 0) return result;
    const bytes = utf8(unit);
    const layerSlots: number[] = new Array(this.layers.length).fill(-1);
    const tested: number[] = new Array(this.conditions.length).fill(0);
    let holdoutBucket = -1;
    const attrs = attributes ?? null;
    for (const e of this.experiments) {
      try {
        const f = this.forced(e, unit, forced);
        if (f !== null) {
          result.push(f);
          continue;
        }
        if (e.holdout && this.holdoutRange !== null) {
          if (holdoutBucket < 0) holdoutBucket = bucketOf(hashWith(this.holdoutPrefix!, bytes));
          if (contains(this.holdoutRange, holdoutBucket)) continue;
        }
        if (e.layer >= 0) {
          if (layerSlots[e.layer] < 0) layerSlots[e.layer] = bucketOf(hashWith(this.layers[e.layer], bytes));
          if (!contains(e.layerSlots!, layerSlots[e.layer])) continue;
        }
        if (e.condition >= 0) {
          if (tested[e.condition] === 0) tested[e.condition] = this.conditions[e.condition](attrs) ? 1 : 2;
          if (tested[e.condition] !== 1) continue;
        }
        const a = variantFor(e, bucketOf(hashWith(e.salt, bytes)));
        if (a !== null) result.push(a);
      } catch {
        // fail-open per experiment: this one gives defaults, the others still answer
      }
    }
    return result;
  }

  /**
   * The unit's answer in one experiment (named by the manifest's own key, see {@link keyOf}) with
   * the check that decided it, as {@link evaluate} gives it. Never throws.
   */
  explain(experiment: string, unit: string, attributes?: Attributes, forced?: ForcedVariants): Evaluation {
    const e = this.byKey.get(experiment);
    if (e === undefined) {
      return out(this.problems.some((p) => p.startsWith(experiment + ": ")) ? "INVALID" : "NOT_LIVE");
    }
    if (typeof unit !== "string") return out("FAILED");
    try {
      const f = this.forced(e, unit, forced);
      if (f !== null) return { assignment: f, outcome: "OVERRIDE" };
      const bytes = utf8(unit);
      if (e.holdout && this.holdoutRange !== null && contains(this.holdoutRange, bucketOf(hashWith(this.holdoutPrefix!, bytes)))) {
        return out("HOLDOUT");
      }
      if (e.layer >= 0 && !contains(e.layerSlots!, bucketOf(hashWith(this.layers[e.layer], bytes)))) {
        return out("LAYER");
      }
      const targeted = e.condition >= 0;
      if (targeted && !this.conditions[e.condition](attributes ?? null)) return out("NOT_TARGETED");
      const a = variantFor(e, bucketOf(hashWith(e.salt, bytes)));
      if (a === null) return out("COVERAGE");
      return { assignment: a, outcome: targeted ? "TARGETED" : "SPLIT" };
    } catch {
      return out("FAILED");
    }
  }

  /** Whether the experiment (by the manifest's key) is live in this manifest. */
  isLive(experiment: string): boolean {
    return this.byKey.has(experiment);
  }

  /** The manifest's keys of its live experiments. */
  liveKeys(): string[] {
    return [...this.byKey.keys()];
  }

  /**
   * The key under which this manifest lists an experiment the caller names by its real key: the
   * key itself, or its keyed hash in an obfuscated manifest (null when none matches).
   */
  keyOf(experiment: string): string | null {
    if (!this.obfuscated) return experiment;
    let known = this.realKeys.get(experiment);
    if (known === undefined) {
      known = null;
      for (const e of this.source.experiments) {
        if (new Keyed(e.salt).hash(EXPERIMENT, experiment) === e.key) {
          known = e.key;
          break;
        }
      }
      if (this.realKeys.size < 1024) this.realKeys.set(experiment, known);
    }
    return known;
  }

  /** As {@link keyOf}, for one of that experiment's variants. */
  variantKeyOf(experiment: string, variant: string): string | null {
    if (!this.obfuscated) return variant;
    const key = this.keyOf(experiment);
    const e = key === null ? undefined : this.source.experiments.find((x) => x.key === key);
    return e === undefined ? null : new Keyed(e.salt).hash(VARIANT, variant);
  }

  private forced(e: Compiled, unit: string, forced?: ForcedVariants): Assignment | null {
    if (forced) {
      const v = Object.prototype.hasOwnProperty.call(forced, e.key) ? forced[e.key] : undefined;
      if (v !== undefined && e.byVariant.has(v)) return e.byVariant.get(v)!;
    }
    if (e.overrides.size === 0) return null;
    return e.overrides.get(e.unitHash!.hash(UNIT, unit)) ?? null;
  }
}

function variantFor(e: Compiled, bucket: number): Assignment | null {
  for (let i = 0; i < e.ends.length; i++) {
    if (bucket >= e.starts[i] && bucket < e.ends[i]) return e.assignments[i];
  }
  return null;
}

/** Parses manifest JSON text; null when it is not a manifest. */
export function parseManifest(text: string): SdkManifest | null {
  try {
    const m = JSON.parse(text) as Json;
    if (!isObject(m) || typeof m.version !== "number" || !Array.isArray(m.experiments)) return null;
    return m as unknown as SdkManifest;
  } catch {
    return null;
  }
}
