/** What the SDK needs from its platform, the same in browsers and Node.js (18+). */
export type Fetch = typeof fetch;

/** A timer that does not keep a Node.js process alive (browsers have no such notion). */
export function later(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, ms);
  (t as { unref?: () => void }).unref?.();
  return t;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = later(ms, resolve);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/**
 * Exponential backoff with full jitter: a random wait in [0.5, 1] × min(max, initial × 2^attempt),
 * so that many clients cut off together do not come back together.
 */
export function backoff(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * Math.pow(2, Math.min(attempt, 30)));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function uuid(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16).padStart(4, "0");
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-${hex()}-${hex()}${hex()}${hex()}`;
}

export function joinUrl(base: string, path: string): string {
  return (base.endsWith("/") ? base.slice(0, -1) : base) + path;
}
