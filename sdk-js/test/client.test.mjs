import { test } from "node:test";
import assert from "node:assert/strict";
import { AbTestClient } from "../dist/index.js";
import { everyone, manifestWith, startStub, until } from "./stub-server.mjs";

const options = (stub, extra = {}) => ({ baseUrl: stub.url, sdkKey: stub.key, reconnectInitialMs: 20, reconnectMaxMs: 200, flushIntervalMs: 50, ...extra });

test("before a manifest arrives every answer is the caller's default, and nothing throws", async () => {
  const client = new AbTestClient({ baseUrl: "http://127.0.0.1:1", sdkKey: "k", requestTimeoutMs: 200, reconnectInitialMs: 10 });
  assert.equal(client.ready, false);
  assert.equal(client.variant("u", "x", {}, "control"), "control");
  assert.deepEqual(client.config("u", "x", {}, { color: "blue" }), { color: "blue" });
  assert.equal(client.isEnabled("u", "x"), false);
  assert.deepEqual(client.assign("u", { a: 1 }), []);
  assert.deepEqual(client.evaluation("u", "x").outcome, "NOT_LIVE");
  assert.equal(await client.whenReady(100), false);
  await client.close();
});

test("the manifest is fetched and evaluated locally; a new version arrives over the stream within a second", async () => {
  const stub = await startStub({ manifest: manifestWith(1, [everyone("exp", ["on"])]) });
  const client = new AbTestClient(options(stub));
  try {
    assert.equal(await client.whenReady(3000), true);
    assert.equal(client.variant("u-1", "exp"), "on");
    await until(() => stub.state.streams.size === 1, 3000, "the stream");
    const versions = [];
    client.onUpdate((v) => versions.push(v));
    const start = Date.now();
    stub.publish(manifestWith(2, [])); // killed: the experiment is gone from the manifest
    await until(() => client.manifestVersion === 2, 1000, "the kill");
    assert.ok(Date.now() - start < 1000);
    assert.equal(client.variant("u-1", "exp", {}, "default"), "default");
    assert.deepEqual(versions, [2]);
    assert.equal(stub.state.streamRequests[0].lastEventId, "1");
  } finally {
    await client.close();
    await stub.close();
  }
});

test("a cut stream is reconnected after a backoff, with the version the client has", async () => {
  const stub = await startStub({ manifest: manifestWith(3, [everyone("exp")]) });
  const client = new AbTestClient(options(stub));
  try {
    await until(() => stub.state.streams.size === 1, 3000, "the stream");
    stub.cutStreams();
    await until(() => stub.state.streams.size === 1 && stub.state.streamRequests.length >= 2, 3000, "a reconnect");
    assert.equal(stub.state.streamRequests.at(-1).lastEventId, "3");
    stub.publish(manifestWith(4, [everyone("exp2")]));
    await until(() => client.manifestVersion === 4, 2000, "the update after reconnecting");
    assert.ok(client.stats().streamConnects >= 2);
  } finally {
    await client.close();
    await stub.close();
  }
});

test("a stream that goes silent past the idle timeout is reconnected", async () => {
  const stub = await startStub({ manifest: manifestWith(1, []) });
  const client = new AbTestClient(options(stub, { streamIdleTimeoutMs: 150 }));
  try {
    await until(() => stub.state.streamRequests.length >= 3, 4000, "reconnects of a silent stream");
  } finally {
    await client.close();
    await stub.close();
  }
});

test("without a stream the manifest is polled with its ETag, and a 304 keeps the one in use", async () => {
  const stub = await startStub({ manifest: manifestWith(5, [everyone("exp")]) });
  stub.state.streamStatus = 404;
  const client = new AbTestClient(options(stub, { pollIntervalMs: 50, reconnectMaxMs: 50 }));
  try {
    await until(() => stub.state.manifestRequests.length >= 3, 3000, "polls");
    assert.equal(stub.state.manifestRequests.at(-1).ifNoneMatch, '"5"');
    assert.equal(client.manifestVersion, 5);
    stub.publish(manifestWith(6, []));
    await until(() => client.manifestVersion === 6, 2000, "the polled update");
  } finally {
    await client.close();
    await stub.close();
  }
});

test("an older manifest never replaces a newer one, and garbage keeps the last good one", async () => {
  const client = new AbTestClient({ baseUrl: "", sdkKey: "", offline: true, manifest: manifestWith(7, [everyone("exp", ["on"])]) });
  assert.equal(client.setManifest(manifestWith(6, [])), false);
  assert.equal(client.setManifest("{not json"), false);
  assert.equal(client.variant("u", "exp"), "on");
  assert.equal(client.setManifest(JSON.stringify(manifestWith(8, []))), true);
  assert.equal(client.variant("u", "exp", {}, "off"), "off");
});

test("exposures and metric events are sent in batches; events a 202 rejects count as failed", async () => {
  const stub = await startStub({ manifest: manifestWith(1, [everyone("exp", ["on"])]) });
  stub.state.reject = (batch) => batch.flatMap((e, index) => (e.type === "metric" && e.value < 0 ? [{ index, error: { code: "invalid_value", field: "value" } }] : []));
  const client = new AbTestClient(options(stub, { batchSize: 3 }));
  try {
    await client.whenReady(3000);
    for (let i = 0; i < 5; i++) client.variant("u-" + i, "exp");
    client.track("u-1", "purchase", 12.5);
    client.track("u-1", "purchase", -1);
    await until(() => client.stats().eventsSent + client.stats().eventsFailed === 7, 3000, "the events");
    const s = client.stats();
    assert.equal(s.eventsSent, 6);
    assert.equal(s.eventsFailed, 1);
    assert.equal(s.eventsRejected, 1);
    const exposure = stub.state.events.find((e) => e.type === "exposure");
    assert.equal(exposure.experiment, "exp");
    assert.equal(exposure.variant, "on");
    assert.match(exposure.ts, /^\d{4}-\d\d-\d\dT/);
    assert.equal(new Set(stub.state.events.map((e) => e.eventId)).size, 7);
  } finally {
    await client.close();
    await stub.close();
  }
});

test("while the server cannot take events they wait in a bounded queue that drops the oldest, and are resent", async () => {
  const stub = await startStub({ manifest: manifestWith(1, []) });
  stub.state.eventsStatus = 503;
  const client = new AbTestClient(options(stub, { queueCapacity: 10, batchSize: 5, retryInitialMs: 20, retryMaxMs: 40 }));
  try {
    for (let i = 0; i < 25; i++) client.track("u", "e" + i, i);
    assert.equal(client.stats().eventsDropped, 15);
    await until(() => stub.state.events.length >= 10, 3000, "attempts");
    stub.state.events = [];
    stub.state.eventsStatus = 202;
    await until(() => client.stats().eventsSent === 10, 3000, "the resend");
    const names = new Set(stub.state.events.map((e) => e.event));
    assert.ok(names.has("e24") && names.has("e15") && !names.has("e14"));
    assert.equal(client.stats().eventsQueued, 0);
  } finally {
    await client.close();
    await stub.close();
  }
});

test("a batch the server refuses with a 4xx is counted failed, not resent", async () => {
  const stub = await startStub({ manifest: manifestWith(1, []) });
  stub.state.eventsStatus = 400;
  const client = new AbTestClient(options(stub));
  try {
    client.track("u", "e", 1);
    await until(() => client.stats().eventsFailed === 1, 3000, "the refusal");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(stub.state.events.length, 1);
  } finally {
    await client.close();
    await stub.close();
  }
});

test("with exposure logging off nothing is logged until exposure() is called", async () => {
  const stub = await startStub({ manifest: manifestWith(1, [everyone("exp", ["on"])]) });
  const client = new AbTestClient(options(stub, { logExposures: false }));
  try {
    await client.whenReady(3000);
    const a = client.assignment("u", "exp");
    await client.flush();
    assert.equal(stub.state.events.length, 0);
    client.exposure("u", a);
    await client.flush();
    assert.equal(stub.state.events.length, 1);
  } finally {
    await client.close();
    await stub.close();
  }
});

test("reconnect and resend waits grow exponentially with jitter in [½, 1] of the step, up to the cap", async () => {
  const { backoff } = await import("../dist/runtime.js");
  assert.equal(backoff(0, 100, 10_000, () => 1), 100);
  assert.equal(backoff(0, 100, 10_000, () => 0), 50);
  assert.equal(backoff(3, 100, 10_000, () => 1), 800);
  assert.equal(backoff(20, 100, 10_000, () => 1), 10_000);
  assert.equal(backoff(1000, 100, 10_000, () => 0), 5_000);
  for (let i = 0; i < 1000; i++) {
    const w = backoff(4, 100, 10_000);
    assert.ok(w >= 800 && w <= 1600, String(w));
  }
});
