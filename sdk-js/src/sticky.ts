import type { StickyBuckets } from "./manifest.js";

/**
 * Where the client keeps each unit's first variant per (experiment, salt), for the experiments
 * with `stickyBucketing` (the Java client's `StickyBucketStore`). Called during evaluation, on the
 * caller's thread: keep it fast. One that throws is passed over (the bucket's answer stands).
 */
export interface StickyBucketStore {
  get(experiment: string, salt: string, unit: string): string | null | undefined;
  put(experiment: string, salt: string, unit: string, variant: string): void;
}

const keyOf = (experiment: string, salt: string, unit: string) => `${experiment}\u0000${salt}\u0000${unit}`;

/** A bounded store in memory: beyond `maxEntries` the least recently used entry goes. */
export class InMemoryStickyBucketStore implements StickyBucketStore {
  protected readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {
    if (!(maxEntries >= 1)) throw new Error("maxEntries must be at least 1");
  }

  get(experiment: string, salt: string, unit: string): string | null {
    const key = keyOf(experiment, salt, unit);
    const v = this.entries.get(key);
    if (v === undefined) return null;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, v);
    return v;
  }

  put(experiment: string, salt: string, unit: string, variant: string): void {
    const key = keyOf(experiment, salt, unit);
    this.entries.delete(key);
    this.entries.set(key, variant);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The part of the Web Storage API the local-storage store needs (`window.localStorage`). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * A bounded store kept in Web Storage under one key (a browser's `localStorage` by default), so a
 * visitor keeps their variants across page loads. An unreadable or foreign value starts empty; a
 * storage that refuses a write (quota, private mode) leaves the store in memory only.
 */
export class LocalStorageStickyBucketStore extends InMemoryStickyBucketStore {
  constructor(
    private readonly storage: KeyValueStorage = (globalThis as { localStorage?: KeyValueStorage }).localStorage!,
    private readonly storageKey = "abtest.sticky",
    maxEntries = 1_000,
  ) {
    super(maxEntries);
    try {
      const stored = JSON.parse(storage.getItem(storageKey) ?? "[]");
      if (Array.isArray(stored)) {
        for (const e of stored) {
          if (Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && typeof e[1] === "string") {
            this.entries.set(e[0], e[1]);
          }
        }
      }
    } catch {
      // not ours, or not JSON: start empty
    }
    while (this.entries.size > maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  override put(experiment: string, salt: string, unit: string, variant: string): void {
    super.put(experiment, salt, unit, variant);
    try {
      this.storage.setItem(this.storageKey, JSON.stringify([...this.entries]));
    } catch {
      // quota or private mode: kept in memory for this page
    }
  }
}

/** The store as the compiled manifest consults it; a store that throws is passed over. */
export function bucketsOf(store: StickyBucketStore | undefined): StickyBuckets | undefined {
  if (store === undefined) return undefined;
  return {
    variant(experiment, salt, unit) {
      try {
        return store.get(experiment, salt, unit);
      } catch {
        return null;
      }
    },
    assigned(experiment, salt, unit, variant) {
      try {
        store.put(experiment, salt, unit, variant);
      } catch {
        // the bucket's answer stands; nothing kept
      }
    },
  };
}
