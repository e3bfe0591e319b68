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
  /**
   * Concluded experiments whose winner was shipped: each has the shape of an experiment constrained
   * to one variant of weight 10000, coverage 10000, no layer and no overrides; it is evaluated after
   * the live ones, its assignments are marked {@link Assignment.shipped} and never logged as
   * exposures. Absent (or null) when there are none; an entry that breaks the constraints is left
   * out (listed in {@link CompiledManifest.problems}).
   */
  shipped?: SdkExperiment[] | null;
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
  /** The experiment's `stickyBucketing`: a unit keeps its first variant (see {@link StickyBuckets}). */
  sticky?: boolean;
}

/**
 * A unit's stored first variants, for the experiments with `sticky` (the Java evaluator's
 * `StickyBuckets`, the same rule): request and experiment overrides win as always; otherwise the
 * unit must still be in by holdout, layer, targeting and coverage; then a stored variant that still
 * serves (weight above 0) wins over the bucket. With nothing stored the bucket's answer stands and
 * is reported to {@link assigned}; a stored variant is never replaced. Keys are the manifest's own
 * (hashed in an obfuscated one), and the salt is part of the key.
 */
export interface StickyBuckets {
  variant(experiment: string, salt: string, unit: string): string | null | undefined;
  assigned(experiment: string, salt: string, unit: string, variant: string): void;
}

/** A unit's variant in one experiment and the config it should apply. */
export interface Assignment {
  experiment: string;
  variant: string;
  config: JsonObject;
  /**
   * True when the experiment was concluded and this variant shipped to everyone it targets: a flag,
   * whose exposures are never logged (its results are frozen). Absent for a live experiment.
   */
  shipped?: boolean;
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
  | "STICKY"
  | "SHIPPED"
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
  shipped: boolean;
  saltText: string;
  sticky: boolean;
  serving: Map<string, Assignment>;
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

/** The entries of a list of the manifest (experiments or shipped): none when it is not an array. */
const entries = (list: unknown): SdkExperiment[] => (Array.isArray(list) ? list : []);

/** Why a shipped entry breaks the constraints of its shape, or null when it keeps them. */
function shippedShape(e: SdkExperiment): string | null {
  const variants = e.variants;
  if (!Array.isArray(variants) || variants.length !== 1) {
    return `${Array.isArray(variants) ? variants.length : "no"} variants, not exactly one`;
  }
  if (!isObject(variants[0]) || Number(variants[0].weight) !== 10_000) return "its variant's weight is not 10000";
  if (Number(e.coverage) !== 10_000) return "its coverage is not 10000";
  if (e.layerSalt != null || e.layerSlots != null) return "it has a layer";
  if (e.overrides != null && !(isObject(e.overrides) && Object.keys(e.overrides).length === 0)) return "it has overrides";
  return null;
}

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
 *
 * The manifest's `shipped` entries (concluded experiments whose winner ships to everyone targeted)
 * are compiled and evaluated the same way, after the live experiments; their assignments are
 * marked `shipped: true`, and they are not {@link isLive live}. {@link explain} answers one with
 * the outcome TARGETED when it has targeting, SHIPPED when it has none.
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
  /** The manifest's entries, experiments then shipped, for finding real keys. */
  private readonly listed: SdkExperiment[];

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
    const live = entries(source.experiments);
    const shipped = entries(source.shipped);
    this.listed = live.concat(shipped);
    for (const e of live) {
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
        const compiled = this.compile(e, layer, conditionSlots, false);
        this.experiments.push(compiled);
        this.byKey.set(compiled.key, compiled);
      } catch (ex) {
        this.problems.push(`${e?.key}: ${(ex as Error)?.message}`);
      }
    }
    // after every live experiment, as the Java evaluator; a shipped key is never also a live one
    // (even one that could not be compiled): the live entry wins
    const liveKeys = new Set(live.map((e) => (isObject(e) ? String(e.key) : null)));
    for (const e of shipped) {
      try {
        const wrong = shippedShape(e);
        if (wrong !== null) throw new Error(wrong);
        const key = String(e.key);
        if (liveKeys.has(key)) throw new Error("also a live experiment");
        if (this.byKey.has(key)) throw new Error("listed twice");
        const compiled = this.compile(e, -1, conditionSlots, true);
        this.experiments.push(compiled);
        this.byKey.set(compiled.key, compiled);
      } catch (ex) {
        this.problems.push(`${e?.key}: shipped: ${(ex as Error)?.message}`);
      }
    }
  }

  private compile(e: SdkExperiment, layer: number, slots: Map<string, number>, shipped: boolean): Compiled {
    const key = String(e.key);
    const salt = String(e.salt ?? null);
    const coverage = Number(e.coverage ?? 0);
    const starts: number[] = [];
    const ends: number[] = [];
    const assignments: Assignment[] = [];
    const byVariant = new Map<string, Assignment>();
    const serving = new Map<string, Assignment>();
    let start = 0;
    for (const v of e.variants ?? []) {
      const weight = Number(v.weight ?? 0);
      starts.push(start);
      ends.push(start + Math.floor((coverage * weight) / 10_000));
      start += weight;
      const a: Assignment = { experiment: key, variant: String(v.key), config: isObject(v.config) ? v.config : {} };
      if (shipped) a.shipped = true;
      assignments.push(a);
      byVariant.set(a.variant, a);
      if (weight > 0) serving.set(a.variant, a);
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
      shipped,
      saltText: salt,
      sticky: e.sticky === true && !shipped,
      serving,
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

  /**
   * Every experiment the unit is in, in manifest order, then the shipped ones it gets (marked
   * `shipped: true`). Never throws.
   */
  evaluate(unit: string, attributes?: Attributes, forced?: ForcedVariants, sticky?: StickyBuckets): Assignment[] {
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
        if (a !== null) result.push(stickyOr(e, a, unit, sticky));
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
  explain(experiment: string, unit: string, attributes?: Attributes, forced?: ForcedVariants, sticky?: StickyBuckets): Evaluation {
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
      const hashed = variantFor(e, bucketOf(hashWith(e.salt, bytes)));
      if (hashed === null) return out("COVERAGE");
      const a = stickyOr(e, hashed, unit, sticky);
      if (a !== hashed) return { assignment: a, outcome: "STICKY" };
      // a shipped variant has the whole range: without targeting every unit (outside the holdout) gets it
      return { assignment: a, outcome: targeted ? "TARGETED" : e.shipped ? "SHIPPED" : "SPLIT" };
    } catch {
      return out("FAILED");
    }
  }

  /** Whether the experiment (by the manifest's key) is live in this manifest (a shipped one is not). */
  isLive(experiment: string): boolean {
    const e = this.byKey.get(experiment);
    return e !== undefined && !e.shipped;
  }

  /** Whether the experiment (by the manifest's key) is concluded with a variant shipped in this manifest. */
  isShipped(experiment: string): boolean {
    return this.byKey.get(experiment)?.shipped === true;
  }

  /** The manifest's keys of its live experiments. */
  liveKeys(): string[] {
    return this.experiments.filter((e) => !e.shipped).map((e) => e.key);
  }

  /** The manifest's keys of its shipped experiments (that could be compiled). */
  shippedKeys(): string[] {
    return this.experiments.filter((e) => e.shipped).map((e) => e.key);
  }

  /**
   * The key under which this manifest lists an experiment the caller names by its real key: the
   * key itself, or its keyed hash in an obfuscated manifest (null when none matches). Live and
   * shipped entries are both found.
   */
  keyOf(experiment: string): string | null {
    if (!this.obfuscated) return experiment;
    let known = this.realKeys.get(experiment);
    if (known === undefined) {
      known = null;
      for (const e of this.listed) {
        if (isObject(e) && new Keyed(e.salt).hash(EXPERIMENT, experiment) === e.key) {
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
    const e = key === null ? undefined : this.listed.find((x) => isObject(x) && x.key === key);
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

/** The unit's stored first variant when the experiment is sticky and it still serves, else the bucket's. */
function stickyOr(e: Compiled, hashed: Assignment, unit: string, sticky?: StickyBuckets): Assignment {
  if (!e.sticky || sticky === undefined) return hashed;
  const kept = sticky.variant(e.key, e.saltText, unit);
  if (kept == null) {
    sticky.assigned(e.key, e.saltText, unit, hashed.variant);
    return hashed;
  }
  if (kept === hashed.variant) return hashed;
  return e.serving.get(kept) ?? hashed;
}

function variantFor(e: Compiled, bucket: number): Assignment | null {
  for (let i = 0; i < e.ends.length; i++) {
    if (bucket >= e.starts[i] && bucket < e.ends[i]) return e.assignments[i];
  }
  return null;
}

/**
 * Parses manifest JSON text; null when it is not a manifest: not an object, no numeric version,
 * `experiments` not an array, or `shipped` present (and not null) but not an array.
 */
export function parseManifest(text: string): SdkManifest | null {
  try {
    const m = JSON.parse(text) as Json;
    if (!isObject(m) || typeof m.version !== "number" || !Array.isArray(m.experiments)) return null;
    if (m.shipped != null && !Array.isArray(m.shipped)) return null;
    return m as unknown as SdkManifest;
  } catch {
    return null;
  }
}
