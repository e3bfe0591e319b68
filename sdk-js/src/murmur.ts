import { utf8 } from "./utf8.js";

/** Buckets are basis points: [0, 10000) (DESIGN.md §3). */
export const BUCKETS = 10_000;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * A salt as murmur3 leaves it after the whole 4-byte blocks of `salt + "/"`: the state, the 0 to 3
 * bytes after them and the prefix length. Computed once per salt per manifest, so bucketing a unit
 * hashes only the unit's bytes (the Java evaluator does the same).
 */
export interface Prefix {
  readonly state: number;
  readonly rest: Uint8Array;
  readonly length: number;
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function prefix(salt: string): Prefix {
  const bytes = utf8(salt + "/");
  const whole = bytes.length & ~3;
  let h = 0;
  for (let i = 0; i < whole; i += 4) {
    h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  return { state: h, rest: bytes.slice(whole), length: bytes.length };
}

/** murmur3_x86_32 (seed 0) of the prefix's salt + "/" followed by these unit bytes, unsigned. */
export function hashWith(p: Prefix, unit: Uint8Array): number {
  const rest = p.rest;
  const r = rest.length;
  const total = r + unit.length;
  const at = (i: number) => (i < r ? rest[i] : unit[i - r]);
  let h = p.state;
  const whole = total & ~3;
  for (let i = 0; i < whole; i += 4) {
    h = mixBlock(h, at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24));
  }
  let k = 0;
  switch (total - whole) {
    case 3:
      k ^= at(whole + 2) << 16;
    // fall through
    case 2:
      k ^= at(whole + 1) << 8;
    // fall through
    case 1:
      k ^= at(whole);
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      h ^= k;
  }
  h ^= p.length + unit.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The bucket of a hash: floor(hash × 10000 / 2^32). */
export function bucketOf(hash: number): number {
  return Math.floor((hash * BUCKETS) / 4294967296);
}

/** The unsigned murmur3 hash of `salt + "/" + unit` (DESIGN.md §3). */
export function hash(salt: string, unit: string): number {
  return hashWith(prefix(salt), utf8(unit));
}

/** The unit's bucket under this salt, in [0, 10000). */
export function bucket(salt: string, unit: string): number {
  return bucketOf(hash(salt, unit));
}
