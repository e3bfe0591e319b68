/** A JSON value as `JSON.parse` gives it: what attributes, conditions and configs are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function own(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** GrowthBook's type names; undefined and null are "null". */
export function typeOf(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  return isObject(v) ? "object" : "null";
}

/** `String(value)` as the Java evaluator computes it for a JSON value (null and undefined: "null"). */
export function jsString(v: unknown): string {
  return v === undefined ? "null" : String(v);
}

/** JSON.stringify(a) === JSON.stringify(b) without the strings: same shape, same key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") {
    return typeof a === "number" && typeof b === "number" && a === b;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!sameJson(a[i], b[i])) return false;
    }
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i] || !sameJson(a[ka[i]], b[kb[i]])) return false;
    }
    return true;
  }
  return norm(a) === norm(b);
}

/** undefined counts as null, as a missing attribute does. */
export function norm(v: unknown): unknown {
  return v === undefined ? null : v;
}
