// A stand-in for the node's SDK endpoints: /v1/manifest (ETag), /v1/manifest/stream (SSE) and
// /v1/events, with knobs the tests turn. Also serves static files for the browser test.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

export async function startStub({ key = "sdk-test", manifest, staticDir } = {}) {
  const state = {
    manifest,
    streams: new Set(),
    streamStatus: 200,
    manifestRequests: [],
    streamRequests: [],
    events: [],
    eventsStatus: 202,
    reject: () => [],
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (staticDir && req.method === "GET" && !url.pathname.startsWith("/v1/")) {
      const file = path.join(staticDir, path.normalize(url.pathname === "/" ? "/index.html" : url.pathname));
      if (!file.startsWith(staticDir) || !fs.existsSync(file)) return send(res, 404, { error: { code: "not_found" } });
      const type = file.endsWith(".html") ? "text/html" : "text/javascript";
      res.writeHead(200, { "Content-Type": type });
      return res.end(fs.readFileSync(file));
    }
    if (req.headers.authorization !== "Bearer " + key && url.pathname !== "/beacon") {
      return send(res, 401, { error: { code: "unauthorized", message: "no" } });
    }
    if (url.pathname === "/v1/manifest") {
      state.manifestRequests.push({ ifNoneMatch: req.headers["if-none-match"] });
      const etag = `"${state.manifest.version}"`;
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { ETag: etag });
        return res.end();
      }
      res.writeHead(200, { ETag: etag, "Content-Type": "application/json" });
      return res.end(JSON.stringify(state.manifest));
    }
    if (url.pathname === "/v1/manifest/stream") {
      state.streamRequests.push({ lastEventId: req.headers["last-event-id"], at: Date.now() });
      if (state.streamStatus !== 200) return send(res, state.streamStatus, { error: { code: "nope" } });
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      res.flushHeaders();
      const known = Number(req.headers["last-event-id"] ?? -1);
      const stream = { res, version: known };
      state.streams.add(stream);
      req.on("close", () => state.streams.delete(stream));
      pushTo(stream, state.manifest);
      return;
    }
    if (url.pathname === "/v1/events" || url.pathname === "/beacon") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const batch = JSON.parse(body).events;
        state.events.push(...batch.map((e) => ({ ...e, via: url.pathname })));
        if (state.eventsStatus !== 202) return send(res, state.eventsStatus, { error: { code: "unavailable" } });
        const rejected = state.reject(batch);
        send(res, 202, { accepted: batch.length - rejected.length, rejected });
      });
      return;
    }
    send(res, 404, { error: { code: "not_found" } });
  });
  function pushTo(stream, m) {
    if (m.version > stream.version) {
      stream.version = m.version;
      // split across writes, as a proxy may deliver it
      const text = `event: manifest\nid: ${m.version}\ndata: ${JSON.stringify(m)}\n\n`;
      const cut = Math.floor(text.length / 2);
      stream.res.write(text.slice(0, cut));
      stream.res.write(text.slice(cut));
    }
  }
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    state,
    publish(m) {
      state.manifest = m;
      for (const s of state.streams) pushTo(s, m);
    },
    heartbeat() {
      for (const s of state.streams) s.res.write(":\n\n");
    },
    cutStreams() {
      for (const s of state.streams) s.res.destroy();
      state.streams.clear();
    },
    close() {
      for (const s of state.streams) s.res.destroy();
      server.closeAllConnections?.();
      return new Promise((r) => server.close(r));
    },
  };
}

export function manifestWith(version, experiments) {
  return { version, obfuscated: false, experiments };
}

export const everyone = (key, variants = ["a", "b"]) => ({
  key,
  salt: "salt-" + key,
  holdout: false,
  coverage: 10000,
  variants: variants.map((v, i) => ({ key: v, weight: i === 0 ? 10000 - Math.floor(10000 / variants.length) * (variants.length - 1) : Math.floor(10000 / variants.length), config: { value: v } })),
});

export async function until(check, timeoutMs = 5000, what = "condition") {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

function send(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
