import { CompiledManifest, parseManifest } from "./manifest.js";
import { backoff, joinUrl, later, sleep, type Fetch } from "./runtime.js";

export interface SyncSettings {
  baseUrl: string;
  sdkKey: string;
  fetch: Fetch;
  stream: boolean;
  pollIntervalMs: number;
  streamIdleTimeoutMs: number;
  requestTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

export interface SyncStats {
  /** Manifest fetches that got no usable answer. */
  manifestFetchFailures: number;
  /** Times the event stream was opened. */
  streamConnects: number;
}

/**
 * Keeps the manifest current: a conditional GET of `/v1/manifest` (ETag), then the server-sent
 * events of `/v1/manifest/stream` read through `fetch` (EventSource cannot send the SDK key's
 * header), with `Last-Event-ID`. When the stream fails or goes silent past the idle timeout (the
 * server sends a heartbeat every 10 s), it reconnects after an exponential backoff with jitter,
 * polling with the ETag before each attempt, so updates keep coming while streaming is
 * impossible. The last good manifest stays in use whatever fails, and an older version never
 * replaces a newer one.
 */
export class ManifestSync {
  private etag: string | null = null;
  private readonly stopped = new AbortController();
  readonly stats: SyncStats = { manifestFetchFailures: 0, streamConnects: 0 };

  constructor(
    private readonly s: SyncSettings,
    private readonly current: () => CompiledManifest,
    private readonly accept: (m: CompiledManifest) => void,
  ) {}

  start(): void {
    void this.run();
  }

  close(): void {
    this.stopped.abort();
  }

  private get closed(): boolean {
    return this.stopped.signal.aborted;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      const polled = await this.poll();
      if (this.s.stream && !this.closed) {
        const events = await this.follow();
        attempt = events > 0 ? 0 : attempt + 1;
        await sleep(backoff(attempt, this.s.reconnectInitialMs, Math.min(this.s.reconnectMaxMs, this.s.pollIntervalMs)), this.stopped.signal);
      } else {
        attempt = polled ? 0 : attempt + 1;
        await sleep(polled ? this.s.pollIntervalMs : backoff(attempt, this.s.reconnectInitialMs, this.s.pollIntervalMs), this.stopped.signal);
      }
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: "Bearer " + this.s.sdkKey, ...extra };
  }

  /** One conditional GET; true when the server answered 200 or 304. */
  async poll(): Promise<boolean> {
    const controller = new AbortController();
    const timeout = later(this.s.requestTimeoutMs, () => controller.abort());
    try {
      const headers = this.headers(this.etag ? { "If-None-Match": this.etag } : {});
      const response = await this.s.fetch(joinUrl(this.s.baseUrl, "/v1/manifest"), { headers, signal: controller.signal });
      if (response.status === 304) return true;
      if (response.status === 200) {
        const manifest = parseManifest(await response.text());
        if (manifest === null) {
          this.stats.manifestFetchFailures++;
          return false;
        }
        this.accept(new CompiledManifest(manifest));
        this.etag = response.headers.get("ETag");
        return true;
      }
      this.stats.manifestFetchFailures++;
      return false;
    } catch {
      this.stats.manifestFetchFailures++;
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** Reads the event stream until it ends, fails or goes silent; the number of events read. */
  private async follow(): Promise<number> {
    const controller = new AbortController();
    const onStop = () => controller.abort();
    this.stopped.signal.addEventListener("abort", onStop, { once: true });
    let idle: ReturnType<typeof setTimeout> | null = null;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = later(this.s.streamIdleTimeoutMs, () => controller.abort());
    };
    let events = 0;
    try {
      touch();
      const have = this.current().version;
      const headers = this.headers({ Accept: "text/event-stream", ...(have > 0 ? { "Last-Event-ID": String(have) } : {}) });
      const response = await this.s.fetch(joinUrl(this.s.baseUrl, "/v1/manifest/stream"), { headers, signal: controller.signal });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        return 0;
      }
      this.stats.streamConnects++;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser((event, data) => {
        events++;
        if (event === "manifest") {
          const manifest = parseManifest(data);
          if (manifest !== null) this.accept(new CompiledManifest(manifest));
        }
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        touch();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // a cut, a timeout or a close: the caller reconnects (or stops)
    } finally {
      if (idle) clearTimeout(idle);
      this.stopped.signal.removeEventListener("abort", onStop);
      controller.abort();
    }
    return events;
  }
}

/** The most text one event may hold; a stream that sends more is cut (and reconnected). */
export const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/** The server-sent events wire format: fields per line, an event per blank line. */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private size = 0;

  constructor(private readonly onEvent: (event: string, data: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length + this.size > MAX_EVENT_CHARS) {
      throw new Error(`an event of more than ${MAX_EVENT_CHARS} characters`);
    }
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer[newline] === "\r" && this.buffer[newline + 1] === "\n" ? 2 : 1;
      if (this.buffer[newline] === "\r" && newline + 1 === this.buffer.length) break; // maybe \r\n split
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0) this.onEvent(this.event || "message", this.data.join("\n"));
      this.event = "";
      this.data = [];
      this.size = 0;
      return;
    }
    if (line.startsWith(":")) return; // a comment: the server's heartbeat
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data.push(value);
      this.size += value.length + 1;
    }
  }
}
