import { EventQueue, type EventStats, type TrackedEvent } from "./events.js";
import type { JsonObject } from "./json.js";
import { CompiledManifest, parseManifest, type Assignment, type Attributes, type Evaluation, type SdkManifest, type StickyBuckets } from "./manifest.js";
import type { Fetch } from "./runtime.js";
import { uuid } from "./runtime.js";
import { bucketsOf, type StickyBucketStore } from "./sticky.js";
import { ManifestSync, type SyncStats } from "./sync.js";

export interface ClientOptions {
  /** The node's base URL, e.g. `https://abtest.example.com`. */
  baseUrl: string;
  /** An SDK key (API.md, Credentials). */
  sdkKey: string;
  /** Follow `/v1/manifest/stream` (default true); false polls only. */
  stream?: boolean;
  /** How often the manifest is polled (with ETag) while there is no stream; default 10 s. */
  pollIntervalMs?: number;
  /** A stream silent this long is reconnected (the server's heartbeat is 10 s); default 35 s. */
  streamIdleTimeoutMs?: number;
  /** First and largest wait before reconnecting (exponential, with jitter); 500 ms and 30 s. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  requestTimeoutMs?: number;
  /** Log an exposure for each assignment answered (default true); a shipped one never is. */
  logExposures?: boolean;
  /** Events are sent every interval (default 1 s) or as soon as a batch (default 500, at most 1000) is full. */
  flushIntervalMs?: number;
  batchSize?: number;
  /** Events kept while the server is unreachable; beyond it the oldest are dropped (default 10,000). */
  queueCapacity?: number;
  /** First and largest wait before resending a batch the server did not take; 200 ms and 30 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** In browsers: hand queued events to the browser when the page is hidden (default true). */
  flushOnPageHide?: boolean;
  /** A same-origin URL for `navigator.sendBeacon` on page hide (a beacon cannot carry the key). */
  beaconUrl?: string;
  /** A manifest to start with (server-rendered, or cached), answered until a newer one arrives. */
  manifest?: SdkManifest;
  /** Don't talk to the server at all: evaluate `manifest` only, no events sent. */
  offline?: boolean;
  /** The fetch to use (default: the platform's). */
  fetch?: Fetch;
  /**
   * Keeps each unit's first variant of the experiments with `stickyBucketing`
   * ({@link InMemoryStickyBucketStore}, {@link LocalStorageStickyBucketStore}, or your own): without
   * one, a sticky weight change moves units by their bucket.
   */
  stickyBuckets?: StickyBucketStore;
}

export interface ClientStats extends EventStats, SyncStats {
  manifestVersion: number;
}

/**
 * The SDK: evaluates assignments locally with the node's own evaluation function, keeps the
 * manifest current (stream, with ETag polling as fallback) and sends exposures and metric events
 * in batches. No method throws: before the first manifest, or on any error, a unit has no
 * assignments and the caller's default applies; when the server is unreachable the last good
 * manifest keeps serving.
 *
 * With an obfuscated SDK key the manifest's experiment and variant keys are keyed hashes: the
 * client finds an experiment by hashing the key it is asked about, answers under that key, and
 * keeps the variant key hashed; {@link inVariant} takes a real variant key in both modes.
 *
 * A concluded experiment whose winner was shipped answers like a live one (its single variant to
 * everyone it targets), with `shipped: true` on the assignment; no exposure is ever logged for it.
 */
export class AbTestClient {
  private manifest: CompiledManifest = CompiledManifest.EMPTY;
  private readonly sync: ManifestSync | null;
  private readonly events: EventQueue | null;
  private readonly logExposures: boolean;
  private readonly sticky: StickyBuckets | undefined;
  private readonly listeners = new Set<(version: number) => void>();
  private readonly waiting = new Set<() => void>();
  private readonly onHide = (event: Event) => {
    if (event.type === "pagehide" || document.visibilityState === "hidden") this.events?.beacon();
  };

  constructor(options: ClientOptions) {
    const o = options;
    this.logExposures = o.logExposures !== false;
    this.sticky = bucketsOf(o.stickyBuckets);
    if (o.manifest) this.accept(new CompiledManifest(o.manifest));
    const f: Fetch | undefined = o.fetch ?? (typeof fetch === "function" ? fetch.bind(globalThis) : undefined);
    if (o.offline || !f || !o.baseUrl || !o.sdkKey) {
      this.sync = null;
      this.events = null;
      return;
    }
    const timeout = o.requestTimeoutMs ?? 5000;
    this.events = new EventQueue({
      baseUrl: o.baseUrl,
      sdkKey: o.sdkKey,
      fetch: f,
      flushIntervalMs: o.flushIntervalMs ?? 1000,
      batchSize: Math.max(1, Math.min(1000, o.batchSize ?? 500)),
      queueCapacity: Math.max(1, o.queueCapacity ?? 10_000),
      requestTimeoutMs: timeout,
      retryInitialMs: o.retryInitialMs ?? 200,
      retryMaxMs: o.retryMaxMs ?? 30_000,
      beaconUrl: o.beaconUrl,
    });
    this.sync = new ManifestSync(
      {
        baseUrl: o.baseUrl,
        sdkKey: o.sdkKey,
        fetch: f,
        stream: o.stream !== false,
        pollIntervalMs: o.pollIntervalMs ?? 10_000,
        streamIdleTimeoutMs: o.streamIdleTimeoutMs ?? 35_000,
        requestTimeoutMs: timeout,
        reconnectInitialMs: o.reconnectInitialMs ?? 500,
        reconnectMaxMs: o.reconnectMaxMs ?? 30_000,
      },
      () => this.manifest,
      (m) => this.accept(m),
    );
    this.sync.start();
    if (o.flushOnPageHide !== false && typeof addEventListener === "function" && typeof document !== "undefined") {
      addEventListener("visibilitychange", this.onHide);
      addEventListener("pagehide", this.onHide);
    }
  }

  private accept(m: CompiledManifest): void {
    if (m.version < this.manifest.version) return;
    const changed = m.version !== this.manifest.version || this.manifest === CompiledManifest.EMPTY;
    this.manifest = m;
    if (m.version > 0) {
      for (const resolve of this.waiting) resolve();
      this.waiting.clear();
    }
    if (changed) {
      for (const listener of this.listeners) {
        try {
          listener(m.version);
        } catch {
          // a listener's error is its own
        }
      }
    }
  }

  /**
   * Every experiment the unit is in, then the shipped ones it gets; each live one is logged as an
   * exposure when exposure logging is on (a shipped one never is).
   */
  assign(unit: string, attributes?: Attributes): Assignment[] {
    try {
      const assignments = this.manifest.evaluate(unit, attributes, undefined, this.sticky);
      if (this.logExposures) for (const a of assignments) this.logExposure(unit, a);
      return assignments;
    } catch {
      return [];
    }
  }

  /**
   * The unit's assignment in one experiment (named by its real key) with the check that decided
   * it; its exposure is logged when the unit is in, exposure logging is on, and the experiment is
   * live (not shipped).
   */
  evaluation(unit: string, experiment: string, attributes?: Attributes): Evaluation {
    try {
      const m = this.manifest;
      const key = m.keyOf(experiment);
      if (key === null) return { assignment: null, outcome: "NOT_LIVE" };
      const e = m.explain(key, unit, attributes, undefined, this.sticky);
      if (e.assignment === null) return e;
      if (this.logExposures) this.logExposure(unit, e.assignment);
      return key === experiment ? e : { assignment: { ...e.assignment, experiment }, outcome: e.outcome };
    } catch {
      return { assignment: null, outcome: "FAILED" };
    }
  }

  /** The unit's assignment in one experiment, or null when it is not in it. */
  assignment(unit: string, experiment: string, attributes?: Attributes): Assignment | null {
    return this.evaluation(unit, experiment, attributes).assignment;
  }

  /** The unit's variant key in the experiment, or the default when it is not in it. */
  variant(unit: string, experiment: string, attributes?: Attributes): string | undefined;
  variant(unit: string, experiment: string, attributes: Attributes, defaultVariant: string): string;
  variant(unit: string, experiment: string, attributes?: Attributes, defaultVariant?: string): string | undefined {
    return this.assignment(unit, experiment, attributes)?.variant ?? defaultVariant;
  }

  /** Whether the unit is in this variant (both named by their real keys, obfuscated or not). */
  inVariant(unit: string, experiment: string, variant: string, attributes?: Attributes): boolean {
    try {
      const a = this.assignment(unit, experiment, attributes);
      return a !== null && a.variant === this.manifest.variantKeyOf(experiment, variant);
    } catch {
      return false;
    }
  }

  /** The config of the unit's variant, or the default when it is not in the experiment. */
  config<T extends JsonObject = JsonObject>(unit: string, experiment: string, attributes?: Attributes): T | undefined;
  config<T extends JsonObject = JsonObject>(unit: string, experiment: string, attributes: Attributes, defaultConfig: T): T;
  config<T extends JsonObject = JsonObject>(unit: string, experiment: string, attributes?: Attributes, defaultConfig?: T): T | undefined {
    const a = this.assignment(unit, experiment, attributes);
    return a ? (a.config as T) : defaultConfig;
  }

  /** Whether the flag is on: assigned a variant whose config has no `value`, or `value: true`. */
  isEnabled(unit: string, flag: string, attributes?: Attributes): boolean {
    const a = this.assignment(unit, flag, attributes);
    if (a === null) return false;
    const value = a.config?.value;
    return value === undefined || value === null || value === true;
  }

  /**
   * Logs the exposure of an assignment answered with exposure logging off, when it is shown;
   * nothing for a shipped assignment, or an experiment shipped in the manifest in use.
   */
  exposure(unit: string, assignment: Assignment): void {
    try {
      const key = this.manifest.keyOf(assignment.experiment);
      if (key !== null) this.logExposure(unit, { ...assignment, experiment: key });
    } catch {
      // fail-open
    }
  }

  /** Queues a metric event (API.md, Events); never blocks. */
  track(unit: string, event: string, value = 1): void {
    this.offer({ eventId: uuid(), type: "metric", unit, event, value, ts: new Date().toISOString() });
  }

  /** `a.experiment` is the manifest's key; a shipped assignment or experiment is never exposed. */
  private logExposure(unit: string, a: Assignment): void {
    if (a.shipped === true || this.manifest.isShipped(a.experiment)) return;
    this.offer({ eventId: uuid(), type: "exposure", unit, experiment: a.experiment, variant: a.variant, ts: new Date().toISOString() });
  }

  private offer(e: TrackedEvent): void {
    try {
      this.events?.offer(e);
    } catch {
      // fail-open
    }
  }

  /** Whether a manifest has arrived (before it, every experiment answers the default). */
  get ready(): boolean {
    return this.manifest.version > 0;
  }

  get manifestVersion(): number {
    return this.manifest.version;
  }

  /** The compiled manifest in use, for callers that evaluate many units at once. */
  get compiled(): CompiledManifest {
    return this.manifest;
  }

  /** Resolves true once a manifest is there, false after the timeout (defaults are served). */
  whenReady(timeoutMs = 5000): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        resolve(true);
      };
      const t = setTimeout(() => {
        this.waiting.delete(done);
        resolve(this.ready);
      }, timeoutMs);
      this.waiting.add(done);
    });
  }

  /** Called with the new version whenever a newer manifest is in use; returns the unsubscribe. */
  onUpdate(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Uses this manifest (JSON text or object) if it is newer; for server-rendered pages. */
  setManifest(manifest: SdkManifest | string): boolean {
    const m = typeof manifest === "string" ? parseManifest(manifest) : manifest;
    if (!m) return false;
    const before = this.manifest;
    this.accept(new CompiledManifest(m));
    return this.manifest !== before;
  }

  stats(): ClientStats {
    const e = this.events?.stats ?? { eventsSent: 0, eventsDropped: 0, eventsFailed: 0, eventsRejected: 0, eventsBeaconed: 0 };
    const s = this.sync?.stats ?? { manifestFetchFailures: 0, streamConnects: 0 };
    return { ...e, eventsQueued: this.events?.queued ?? 0, ...s, manifestVersion: this.manifest.version };
  }

  /** Sends what is queued now. */
  flush(): Promise<void> {
    return this.events?.flush().catch(() => undefined) ?? Promise.resolve();
  }

  /** Stops following the manifest, sends what is queued, and stops. */
  async close(): Promise<void> {
    this.sync?.close();
    if (typeof removeEventListener === "function") {
      removeEventListener("visibilitychange", this.onHide);
      removeEventListener("pagehide", this.onHide);
    }
    await this.events?.close().catch(() => undefined);
  }
}
