import { isObject, jsString, own, sameJson, typeOf, type Json, type JsonObject } from "./json.js";
import { compileRegex, find, Refused } from "./regexes.js";

/**
 * Targeting conditions in GrowthBook's MongoDB-style operator language (DESIGN.md §3), compiled
 * once per manifest into predicates, with the Java evaluator's semantics (protocol's
 * `targeting` package): JavaScript coercion, dotted paths, a missing attribute seen as null.
 *
 * Strict compiling (what a manifest uses) throws {@link ConditionError} where the Java evaluator
 * refuses a condition, so the experiment is left out as it is there; lenient compiling evaluates
 * such parts as GrowthBook does (false), for the conformance suite only.
 */
export type Test = (value: unknown) => boolean;

export class ConditionError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(field + ": " + reason);
  }
}

/** Saved groups for `$inGroup`/`$notInGroup`: group id → ids. */
export type SavedGroups = Record<string, Json[]>;

export const ALWAYS: Test = () => true;
export const NEVER: Test = () => false;

const ROOT = "targeting";
const TYPES = new Set(["string", "number", "boolean", "object", "array", "null"]);

export function compileCondition(condition: unknown, groups: SavedGroups = {}, strict = true): Test {
  if (condition === null || condition === undefined) return ALWAYS;
  const c = new Compiler(strict, groups);
  const test = c.condition(condition, ROOT);
  return (attributes) => test(attributes === undefined ? null : attributes);
}

const not = (t: Test): Test => (t === ALWAYS ? NEVER : t === NEVER ? ALWAYS : (v) => !t(v));

function allOf(parts: Test[]): Test {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0];
  return (v) => {
    for (const p of parts) if (!p(v)) return false;
    return true;
  };
}

function anyOf(parts: Test[]): Test {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0];
  return (v) => {
    for (const p of parts) if (p(v)) return true;
    return false;
  };
}

function describe(v: unknown): string {
  const t = typeOf(v);
  return t === "null" ? "null" : t === "array" || t === "object" ? "an " + t : "a " + t;
}

/** Non-empty and every key starts with `$`. */
function isOperatorObject(v: unknown): v is JsonObject {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

/** JavaScript truthiness of a JSON value. */
const truthy = (v: unknown): boolean => !!v;

/** A dotted path split once; GrowthBook's resolution, as the Java evaluator's `Path`. */
function pathOf(dotted: string): (root: unknown) => unknown {
  const names = dotted.split(".");
  const indexes = names.map((n) => (n === "length" ? -2 : arrayIndex(n)));
  return (root) => {
    let current: unknown = root;
    for (let i = 0; i < names.length; i++) {
      let next: unknown = undefined;
      if (isObject(current)) {
        if (own(current, names[i])) next = current[names[i]];
      } else if (Array.isArray(current)) {
        const index = indexes[i];
        if (index >= 0) next = index < current.length ? current[index] : undefined;
        else if (index === -2) next = current.length;
      }
      if (next === undefined) return null;
      current = next;
    }
    return current;
  };
}

function arrayIndex(name: string): number {
  if (name.length === 0 || name.length > 9 || (name.length > 1 && name[0] === "0")) return -1;
  for (let i = 0; i < name.length; i++) {
    if (name[i] < "0" || name[i] > "9") return -1;
  }
  return Number(name);
}

/** The operand of `$in`-style operators: JavaScript's `includes`, any element of an array value. */
function valueSet(items: Json[], fold: boolean): Test {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  let hasTrue = false, hasFalse = false, hasNull = false;
  for (const e of items) {
    if (typeof e === "string") strings.add(fold ? e.toLowerCase() : e);
    else if (typeof e === "number") numbers.add(e + 0);
    else if (typeof e === "boolean") e ? (hasTrue = true) : (hasFalse = true);
    else if (e === null) hasNull = true;
  }
  const contains = (v: unknown): boolean => {
    if (typeof v === "string") return strings.has(fold ? v.toLowerCase() : v);
    if (typeof v === "number") return numbers.has(v + 0);
    if (typeof v === "boolean") return v ? hasTrue : hasFalse;
    return (v === null || v === undefined) && hasNull;
  };
  return (v) => (Array.isArray(v) ? v.some(contains) : contains(v));
}

const LESS = -1, EQUAL = 0, GREATER = 1, UNORDERED = 2;

function order(a: number, b: number): number {
  return a < b ? LESS : a > b ? GREATER : a === b ? EQUAL : UNORDERED;
}

/** GrowthBook's padded version string, which plain string comparison orders. */
export function paddedVersion(version: string): string {
  const begin = version.startsWith("v") ? 1 : 0;
  const plus = version.indexOf("+");
  const parts = version.substring(begin, plus < 0 ? version.length : plus).split(/[.-]/);
  const out = parts.map((p) => (/^[0-9]+$/.test(p) ? p.padStart(5, " ") : p)).join("-");
  return parts.length === 3 ? out + "-~" : out;
}

function paddedValue(v: unknown): string {
  if (typeof v === "number") return paddedVersion(String(v));
  if (typeof v === "string" && v.length > 0) return paddedVersion(v);
  return paddedVersion("0");
}

class Compiler {
  constructor(readonly strict: boolean, readonly groups: SavedGroups) {}

  reject(field: string, reason: string): Test {
    if (this.strict) throw new ConditionError(field, reason);
    return NEVER;
  }

  condition(condition: unknown, field: string): Test {
    if (!isObject(condition)) {
      return this.reject(field, "a condition must be a JSON object, got " + describe(condition));
    }
    const parts: Test[] = [];
    for (const key of Object.keys(condition)) {
      const operand = condition[key];
      const at = field + "." + key;
      switch (key) {
        case "$and":
          parts.push(this.conditions(operand, at, allOf));
          break;
        case "$or":
          parts.push(this.conditions(operand, at, anyOf));
          break;
        case "$nor":
          parts.push(not(this.conditions(operand, at, anyOf)));
          break;
        case "$not":
          parts.push(not(this.condition(operand, at)));
          break;
        default: {
          const path = pathOf(key);
          const test = this.value(operand, at, false);
          parts.push((root) => test(path(root)));
        }
      }
    }
    return allOf(parts);
  }

  private conditions(operand: unknown, field: string, join: (p: Test[]) => Test): Test {
    if (!Array.isArray(operand)) {
      this.reject(field, "expected an array of conditions, got " + describe(operand));
      return NEVER;
    }
    return join(operand.map((c, i) => this.condition(c, `${field}[${i}]`)));
  }

  /** A value condition: a literal (with coercion), JSON equality, or an operator object. */
  value(expected: unknown, field: string, caseInsensitive: boolean): Test {
    if (typeof expected === "string") {
      if (caseInsensitive) {
        const lower = expected.toLowerCase();
        return (v) => jsString(v).toLowerCase() === lower;
      }
      return (v) => (typeof v === "string" ? v === expected : jsString(v) === expected);
    }
    if (typeof expected === "number") return (v) => Number(v ?? null) === expected;
    if (typeof expected === "boolean") return (v) => v !== null && v !== undefined && truthy(v) === expected;
    if (expected === null || expected === undefined) return (v) => v === null || v === undefined;
    if (isOperatorObject(expected)) return this.operators(expected, field);
    if (this.strict && isObject(expected) && Object.keys(expected).some((k) => k.startsWith("$"))) {
      return this.reject(field, "mixes operators and plain fields; use only $-operators or no operators");
    }
    return (v) => sameJson(v ?? null, expected);
  }

  private operators(ops: JsonObject, field: string): Test {
    return allOf(Object.keys(ops).map((name) => this.operator(name, ops[name], field + "." + name)));
  }

  private operator(name: string, operand: Json, field: string): Test {
    switch (name) {
      case "$eq":
        return this.strictEquality(operand, field, true);
      case "$ne":
        return this.strictEquality(operand, field, false);
      case "$lt":
        return this.ordering(operand, field, (r) => r === LESS);
      case "$lte":
        return this.ordering(operand, field, (r) => r === LESS || r === EQUAL);
      case "$gt":
        return this.ordering(operand, field, (r) => r === GREATER);
      case "$gte":
        return this.ordering(operand, field, (r) => r === GREATER || r === EQUAL);
      case "$veq":
        return this.version(operand, field, (r) => r === 0);
      case "$vne":
        return this.version(operand, field, (r) => r !== 0);
      case "$vlt":
        return this.version(operand, field, (r) => r < 0);
      case "$vlte":
        return this.version(operand, field, (r) => r <= 0);
      case "$vgt":
        return this.version(operand, field, (r) => r > 0);
      case "$vgte":
        return this.version(operand, field, (r) => r >= 0);
      case "$in":
        return this.membership(operand, field, false, false);
      case "$nin":
        return this.membership(operand, field, false, true);
      case "$ini":
        return this.membership(operand, field, true, false);
      case "$nini":
        return this.membership(operand, field, true, true);
      case "$inGroup":
        return this.group(operand, field, false);
      case "$notInGroup":
        return this.group(operand, field, true);
      case "$all":
        return this.all(operand, field, false);
      case "$alli":
        return this.all(operand, field, true);
      case "$elemMatch":
        return this.elemMatch(operand, field);
      case "$size":
        return this.size(operand, field);
      case "$not":
        return not(this.value(operand, field, false));
      case "$exists":
        return this.exists(operand, field);
      case "$type":
        return this.type(operand, field);
      case "$regex":
        return this.regex(operand, field, false);
      case "$regexi":
        return this.regex(operand, field, true);
      default:
        return this.reject(field, `unknown operator '${name}'`);
    }
  }

  private strictEquality(operand: Json, field: string, equal: boolean): Test {
    if (operand !== null && typeof operand === "object") {
      this.reject(field, "compares by identity and never matches an array or object; use implicit equality ({\"attr\": [...]}) instead");
      return equal ? NEVER : ALWAYS;
    }
    const same: Test = (v) => (v === undefined ? null : v) === operand;
    return equal ? same : not(same);
  }

  private ordering(operand: Json, field: string, accept: (r: number) => boolean): Test {
    if (typeof operand !== "number" && typeof operand !== "string") {
      this.reject(field, "expected a number or a string, got " + describe(operand));
    }
    const isString = typeof operand === "string" || (operand !== null && typeof operand === "object");
    const text = isString ? jsString(operand) : "";
    const number = isString ? Number(text) : Number(operand);
    return (v) => {
      if (typeof v === "string" || (v !== null && typeof v === "object")) {
        const t = jsString(v);
        if (isString) return accept(t < text ? LESS : t > text ? GREATER : EQUAL);
        return accept(order(Number(t), number));
      }
      return accept(order(Number(v ?? null), number));
    };
  }

  private version(operand: Json, field: string, accept: (r: number) => boolean): Test {
    if (typeof operand !== "string" && typeof operand !== "number") {
      this.reject(field, "expected a version string, got " + describe(operand));
    }
    const expected = paddedValue(operand);
    return (v) => {
      const p = paddedValue(v);
      return accept(p < expected ? -1 : p > expected ? 1 : 0);
    };
  }

  private membership(operand: Json, field: string, fold: boolean, negate: boolean): Test {
    if (!Array.isArray(operand)) {
      return this.reject(field, "expected an array of values, got " + describe(operand));
    }
    operand.forEach((e, i) => {
      if (e !== null && typeof e === "object") {
        this.reject(`${field}[${i}]`, "arrays and objects never match; list plain values");
      }
    });
    const set = valueSet(operand, fold);
    return negate ? not(set) : set;
  }

  private group(operand: Json, field: string, negate: boolean): Test {
    if (typeof operand !== "string") {
      this.reject(field, "expected a saved group id, got " + describe(operand));
    }
    const id = jsString(operand);
    let members = own(this.groups, id) ? this.groups[id] : undefined;
    if (members === undefined) {
      this.reject(field, `unknown saved group '${id}'`);
      members = [];
    }
    const set = valueSet(members, false);
    return negate ? not(set) : set;
  }

  private all(operand: Json, field: string, caseInsensitive: boolean): Test {
    if (!Array.isArray(operand)) {
      return this.reject(field, "expected an array, got " + describe(operand));
    }
    const items = operand.map((item, i) => this.value(item, `${field}[${i}]`, caseInsensitive));
    return (v) => Array.isArray(v) && items.every((item) => v.some((e) => item(e)));
  }

  private elemMatch(operand: Json, field: string): Test {
    if (!isObject(operand)) {
      return this.reject(field, "expected an object (operators or a condition), got " + describe(operand));
    }
    const element = isOperatorObject(operand) ? this.value(operand, field, false) : this.condition(operand, field);
    return (v) => Array.isArray(v) && v.some((e) => truthy(e) && element(e));
  }

  private size(operand: Json, field: string): Test {
    if (typeof operand === "number" && Number.isInteger(operand) && operand >= 0 && operand <= 2147483647) {
      return (v) => Array.isArray(v) && v.length === operand;
    }
    if (!isOperatorObject(operand)) {
      this.reject(field, "expected a non-negative integer or operators, got " + describe(operand));
    }
    const length = this.value(operand, field, false);
    return (v) => Array.isArray(v) && length(v.length);
  }

  private exists(operand: Json, field: string): Test {
    if (typeof operand !== "boolean") {
      this.reject(field, "expected true or false, got " + describe(operand));
    }
    return truthy(operand) ? (v) => v !== null && v !== undefined : (v) => v === null || v === undefined;
  }

  private type(operand: Json, field: string): Test {
    if (typeof operand !== "string" || !TYPES.has(operand)) {
      return this.reject(field, `expected one of [${[...TYPES].join(", ")}], got ${JSON.stringify(operand)}`);
    }
    return (v) => typeOf(v) === operand;
  }

  private regex(operand: Json, field: string, ignoreCase: boolean): Test {
    if (typeof operand !== "string") {
      this.reject(field, "expected a regular expression string, got " + describe(operand));
    }
    let re: RegExp;
    try {
      re = compileRegex(jsString(operand), ignoreCase);
    } catch (e) {
      if (e instanceof Refused) return this.reject(field, e.message);
      throw e;
    }
    return (v) => find(re, jsString(v ?? null));
  }
}
