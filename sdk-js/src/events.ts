import { backoff, joinUrl, later, type Fetch } from "./runtime.js";

/** An exposure or metric event as `POST /v1/events` takes it (API.md, Events). */
export interface TrackedEvent {
  eventId: string;
  type: "exposure" | "metric";
  unit: string;
  ts: string;
  experiment?: string;
  variant?: string;
  event?: string;
  value?: number;
}

export interface EventStats {
  /** Accepted by the server. */
  eventsSent: number;
  /** Dropped, oldest first, because the queue was full (the server unreachable for long). */
  eventsDropped: number;
  /** Not sent: refused as a batch (a 4xx), or rejected one by one in a 202. */
  eventsFailed: number;
  /** The part of eventsFailed a 202 listed in `rejected` (invalid: resending would not help). */
  eventsRejected: number;
  /** Handed to the browser on page hide (sent after the page is gone; the answer is not seen). */
  eventsBeaconed: number;
  /** Waiting to be sent. */
  eventsQueued: number;
}

export interface EventSettings {
  baseUrl: string;
  sdkKey: string;
  fetch: Fetch;
  flushIntervalMs: number;
  batchSize: number;
  queueCapacity: number;
  requestTimeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Where page-hide beacons go (navigator.sendBeacon cannot send the SDK key's header). */
  beaconUrl?: string;
}

/** keepalive requests may carry at most 64 KiB in all; stay under it per request. */
const KEEPALIVE_BYTES = 60_000;

/**
 * Exposure and metric events on their way to the server: a bounded queue (full, it drops the
 * oldest and counts them), flushed every interval or as soon as a batch is full. A batch that
 * meets a network error, a 429 or a 5xx goes back to the front of the queue and the next flush
 * waits with exponential backoff and jitter; event ids make the resend harmless. A 4xx refuses the
 * batch (counted failed); events a 202 lists in `rejected` are counted failed and rejected.
 */
export class EventQueue {
  private queue: TrackedEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending: Promise<void> | null = null;
  private failures = 0;
  private closed = false;
  readonly stats: Omit<EventStats, "eventsQueued"> = { eventsSent: 0, eventsDropped: 0, eventsFailed: 0, eventsRejected: 0, eventsBeaconed: 0 };

  constructor(private readonly s: EventSettings) {
    this.schedule(s.flushIntervalMs);
  }

  offer(e: TrackedEvent): void {
    this.queue.push(e);
    if (this.queue.length > this.s.queueCapacity) {
      const over = this.queue.length - this.s.queueCapacity;
      this.queue.splice(0, over);
      this.stats.eventsDropped += over;
    }
    if (this.queue.length >= this.s.batchSize && this.failures === 0 && !this.sending) this.schedule(0);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sends what is queued now, batch by batch; resolves when done (or the server fails). */
  flush(): Promise<void> {
    if (this.sending) return this.sending.then(() => this.flush());
    if (this.queue.length === 0) return Promise.resolve();
    this.sending = this.drain().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.s.batchSize);
      const ok = await this.send(batch);
      if (!ok) {
        // back to the front, bounded: what no longer fits is the oldest
        this.queue = batch.concat(this.queue);
        if (this.queue.length > this.s.queueCapacity) {
          const over = this.queue.length - this.s.queueCapacity;
          this.queue.splice(0, over);
          this.stats.eventsDropped += over;
        }
        this.failures++;
        return;
      }
      this.failures = 0;
    }
  }

  /** True when the batch is done with (sent, or refused for good); false to retry later. */
  private async send(batch: TrackedEvent[]): Promise<boolean> {
    const controller = new AbortController();
    const timeout = later(this.s.requestTimeoutMs, () => controller.abort());
    try {
      const response = await this.s.fetch(joinUrl(this.s.baseUrl, "/v1/events"), {
        method: "POST",
        headers: { Authorization: "Bearer " + this.s.sdkKey, "Content-Type": "application/json" },
        body: JSON.stringify({ events: batch }),
        signal: controller.signal,
      });
      const status = response.status;
      if (status === 202 || status === 200) {
        let refused = 0;
        try {
          const body = await response.json();
          if (Array.isArray(body?.rejected)) refused = Math.min(body.rejected.length, batch.length);
        } catch {
          // an unreadable body counts none rejected: the server took the batch
        }
        this.stats.eventsSent += batch.length - refused;
        this.stats.eventsFailed += refused;
        this.stats.eventsRejected += refused;
        return true;
      }
      if (status >= 400 && status < 500 && status !== 429) {
        this.stats.eventsFailed += batch.length;
        return true;
      }
      return false;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * The page is going away: hand what is queued to the browser, which sends it after the page is
   * gone. `fetch` with `keepalive` carries the SDK key's header; `navigator.sendBeacon` is used
   * when a beacon URL is set (a same-origin endpoint that adds the key), since a beacon has no
   * headers. Whatever the browser will not take stays queued.
   */
  beacon(): void {
    const nav = (globalThis as { navigator?: Navigator }).navigator;
    while (this.queue.length > 0) {
      let n = Math.min(this.queue.length, this.s.batchSize);
      let body = JSON.stringify({ events: this.queue.slice(0, n) });
      while (n > 1 && body.length > KEEPALIVE_BYTES) {
        n = Math.ceil(n / 2);
        body = JSON.stringify({ events: this.queue.slice(0, n) });
      }
      let handed = false;
      try {
        if (this.s.beaconUrl && nav && typeof nav.sendBeacon === "function") {
          handed = nav.sendBeacon(this.s.beaconUrl, new Blob([body], { type: "application/json" }));
        } else {
          this.s.fetch(joinUrl(this.s.baseUrl, "/v1/events"), {
            method: "POST",
            keepalive: true,
            headers: { Authorization: "Bearer " + this.s.sdkKey, "Content-Type": "application/json" },
            body,
          }).catch(() => undefined);
          handed = true;
        }
      } catch {
        handed = false;
      }
      if (!handed) return;
      // sent blind: the page will not see the answer
      this.stats.eventsBeaconed += n;
      this.queue.splice(0, n);
    }
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = later(ms, () => {
      this.timer = null;
      this.flush().finally(() => {
        const wait = this.failures > 0 ? backoff(this.failures - 1, this.s.retryInitialMs, this.s.retryMaxMs) : this.s.flushIntervalMs;
        this.schedule(Math.max(wait, this.failures > 0 ? 0 : this.s.flushIntervalMs));
      });
    });
  }

  /** Flushes what is queued (one attempt), then stops the timer. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
  }
}
