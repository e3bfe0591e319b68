// "Ship the winner": a concluded experiment's shipped variant, in the manifest's `shipped` list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AbTestClient, bucket, CompiledManifest, parseManifest } from "../dist/index.js";
import { Keyed } from "../dist/keys.js";
import { everyone, startStub, until } from "./stub-server.mjs";

const shipped = (key, extra = {}) => ({
  key,
  salt: "salt-" + key,
  holdout: false,
  coverage: 10000,
  variants: [{ key: "green", weight: 10000, config: { color: "green" } }],
  ...extra,
});

/** The obfuscated SDK view of an entry: keys and variant keys hashed with its salt. */
const hide = (e) => {
  const k = new Keyed(e.salt);
  return { ...e, key: k.hash("experiment", e.key), variants: e.variants.map((v) => ({ ...v, key: k.hash("variant", v.key) })) };
};

const units = Array.from({ length: 1000 }, (_, i) => "user-" + i);
const HOLDOUT = { salt: "h", range: [0, 3000] };

test("a shipped entry gives every unit its variant, marked shipped, after the live experiments; it is not live", () => {
  const m = new CompiledManifest({ version: 1, experiments: [everyone("live")], shipped: [shipped("done")] });
  for (const u of units) {
    const all = m.evaluate(u);
    assert.deepEqual(all.map((a) => a.experiment), ["live", "done"]);
    assert.deepEqual(all[1], { experiment: "done", variant: "green", config: { color: "green" }, shipped: true });
    assert.equal(all[0].shipped, undefined);
    assert.deepEqual(m.explain("done", u), { assignment: all[1], outcome: "SHIPPED" });
    assert.deepEqual(m.explain("live", u).outcome, "SPLIT");
  }
  assert.equal(m.isLive("done"), false);
  assert.equal(m.isShipped("done"), true);
  assert.equal(m.isShipped("live"), false);
  assert.deepEqual(m.liveKeys(), ["live"]);
  assert.deepEqual(m.shippedKeys(), ["done"]);
  assert.deepEqual(m.problems, []);
});

test("a shipped entry respects the holdout when it says so, and its targeting", () => {
  const m = new CompiledManifest({
    version: 1,
    holdout: HOLDOUT,
    experiments: [],
    shipped: [shipped("held", { holdout: true }), shipped("free"), shipped("us", { targeting: { country: "US" } })],
  });
  let held = 0;
  for (const u of units) {
    const inHoldout = bucket("h", u) < 3000;
    if (inHoldout) held++;
    assert.equal(m.explain("held", u).outcome, inHoldout ? "HOLDOUT" : "SHIPPED");
    assert.equal(m.explain("free", u).outcome, "SHIPPED");
    assert.equal(m.explain("us", u, { country: "US" }).outcome, "TARGETED");
    assert.equal(m.explain("us", u, { country: "DE" }).outcome, "NOT_TARGETED");
    assert.equal(m.explain("us", u).outcome, "NOT_TARGETED");
    const keys = m.evaluate(u, { country: "US" }).map((a) => a.experiment);
    assert.deepEqual(keys, inHoldout ? ["free", "us"] : ["held", "free", "us"]);
    assert.deepEqual(m.evaluate(u, { country: "DE" }).map((a) => a.experiment), inHoldout ? ["free"] : ["held", "free"]);
  }
  assert.ok(held > 200 && held < 400, String(held));
});

test("a shipped entry that breaks its shape, or cannot be compiled, is left out; the others answer", () => {
  const m = new CompiledManifest({
    version: 1,
    experiments: [everyone("live")],
    shipped: [
      shipped("two", { variants: [{ key: "a", weight: 5000 }, { key: "b", weight: 5000 }] }),
      shipped("none", { variants: [] }),
      shipped("light", { variants: [{ key: "a", weight: 9000 }] }),
      shipped("partial", { coverage: 5000 }),
      shipped("layered", { layerSalt: "L", layerSlots: [0, 5000] }),
      shipped("overridden", { overrides: { [new Keyed("salt-overridden").hash("unit", "qa")]: "green" } }),
      shipped("live"),
      shipped("regex", { targeting: { x: { $regex: "(?=a)" } } }),
      shipped("bad", { targeting: { x: { $nope: 1 } } }),
      shipped("ok", { overrides: {}, targeting: {} }),
      shipped("ok"),
      null,
      5,
      { key: "bare" },
    ],
  });
  for (const key of ["two", "none", "light", "partial", "layered", "overridden", "regex", "bad", "bare"]) {
    assert.equal(m.explain(key, "qa").outcome, "INVALID", key);
  }
  assert.equal(m.explain("live", "u").assignment.shipped, undefined); // the live one keeps its key
  assert.equal(m.isLive("live"), true);
  assert.deepEqual(m.shippedKeys(), ["ok"]);
  assert.equal(m.problems.length, 13);
  const broken = new CompiledManifest({ version: 1, experiments: [everyone("x", [])].map((e) => ({ ...e, targeting: { a: { $nope: 1 } } })), shipped: [shipped("x")] });
  assert.equal(broken.explain("x", "u").outcome, "INVALID"); // a live entry that cannot be compiled still wins over a shipped one of its key
  assert.deepEqual(broken.shippedKeys(), []);
  assert.ok(m.problems.some((p) => p === "live: shipped: also a live experiment"), m.problems.join("\n"));
  assert.ok(m.problems.some((p) => p === "ok: shipped: listed twice"), m.problems.join("\n"));
  for (const u of units.slice(0, 50)) assert.deepEqual(m.evaluate(u, { x: "a" }).map((a) => a.experiment), ["live", "ok"]);
});

test("a malformed shipped list: the JSON text is not a manifest (the last good one stays); given as an object, it ships nothing", () => {
  for (const junk of ['"x"', "{}", "5", "true"]) {
    assert.equal(parseManifest(`{"version": 2, "experiments": [], "shipped": ${junk}}`), null, junk);
  }
  assert.notEqual(parseManifest('{"version": 2, "experiments": [], "shipped": null}'), null);
  assert.notEqual(parseManifest('{"version": 2, "experiments": []}'), null);
  assert.equal(parseManifest('{"version": 2, "experiments": [], "shipped": []}').shipped.length, 0);

  const client = new AbTestClient({ baseUrl: "", sdkKey: "", offline: true, manifest: { version: 1, experiments: [], shipped: [shipped("done")] } });
  assert.equal(client.setManifest(JSON.stringify({ version: 2, experiments: [], shipped: { done: shipped("done") } })), false);
  assert.equal(client.manifestVersion, 1);
  assert.equal(client.variant("u", "done", {}, "control"), "green");

  for (const list of ["no", 5, { 0: shipped("done") }, [null, 5, "x", { key: "x" }]]) {
    const m = new CompiledManifest({ version: 1, experiments: [everyone("live", ["on"])], shipped: list });
    assert.deepEqual(m.evaluate("u").map((a) => a.experiment), ["live"]);
    assert.deepEqual(m.shippedKeys(), []);
    assert.equal(m.keyOf("done"), "done");
  }
  const hidden = new CompiledManifest({ version: 1, obfuscated: true, experiments: [null, hide(everyone("live"))], shipped: "no" });
  assert.equal(hidden.keyOf("live"), hide(everyone("live")).key);
  assert.equal(hidden.keyOf("done"), null);
});

test("an obfuscated manifest finds shipped entries by their real keys, as live ones", () => {
  const entry = hide(shipped("checkout-button", { holdout: true, targeting: { country: "US" } }));
  const m = new CompiledManifest({ version: 1, obfuscated: true, holdout: HOLDOUT, experiments: [hide(everyone("live"))], shipped: [entry] });
  const key = m.keyOf("checkout-button");
  assert.equal(key, entry.key);
  assert.equal(m.isShipped(key), true);
  assert.equal(m.variantKeyOf("checkout-button", "green"), entry.variants[0].key);
  assert.equal(m.keyOf("nope"), null);

  const client = new AbTestClient({ baseUrl: "", sdkKey: "", offline: true, manifest: m.source });
  let got = 0;
  for (const u of units) {
    const inHoldout = bucket("h", u) < 3000;
    const e = client.evaluation(u, "checkout-button", { country: "US" });
    assert.equal(e.outcome, inHoldout ? "HOLDOUT" : "TARGETED");
    if (!inHoldout) {
      got++;
      assert.deepEqual(e.assignment, { experiment: "checkout-button", variant: entry.variants[0].key, config: { color: "green" }, shipped: true });
      assert.equal(client.inVariant(u, "checkout-button", "green", { country: "US" }), true);
      assert.deepEqual(client.config(u, "checkout-button", { country: "US" }, {}), { color: "green" });
    }
    assert.equal(client.evaluation(u, "checkout-button", { country: "DE" }).outcome, inHoldout ? "HOLDOUT" : "NOT_TARGETED");
  }
  assert.equal(got, units.filter((u) => bucket("h", u) >= 3000).length);
});

test("the lookup of real keys stays bounded with shipped entries", () => {
  const m = new CompiledManifest({ version: 1, obfuscated: true, experiments: [hide(everyone("live"))], shipped: [hide(shipped("done"))] });
  for (let i = 0; i < 3000; i++) assert.equal(m.keyOf("unknown-" + i), null);
  assert.equal(m.keyOf("done"), hide(shipped("done")).key);
  assert.ok(m.realKeys.size <= 1024, String(m.realKeys.size));
});

test("no exposure is ever enqueued or sent for a shipped assignment; live ones still are", async () => {
  const manifest = { version: 1, obfuscated: false, experiments: [everyone("live", ["on"])], shipped: [shipped("done"), shipped("flag", { variants: [{ key: "on", weight: 10000, config: {} }] })] };
  const stub = await startStub({ manifest });
  const client = new AbTestClient({ baseUrl: stub.url, sdkKey: stub.key, reconnectInitialMs: 20, reconnectMaxMs: 200, flushIntervalMs: 50 });
  try {
    assert.equal(await client.whenReady(3000), true);
    for (const u of units.slice(0, 100)) {
      assert.deepEqual(client.assign(u).map((a) => [a.experiment, a.shipped === true]), [["live", false], ["done", true], ["flag", true]]);
      assert.equal(client.variant(u, "done"), "green");
      assert.equal(client.config(u, "done", {}, {}).color, "green");
      assert.equal(client.isEnabled(u, "flag"), true);
      assert.equal(client.inVariant(u, "done", "green"), true);
      assert.equal(client.evaluation(u, "done").assignment.shipped, true);
      client.exposure(u, client.assignment(u, "done"));
      client.exposure(u, { experiment: "done", variant: "green", config: {} }); // shipped in the manifest in use
    }
    await client.flush();
    await until(() => client.stats().eventsSent === 100, 3000, "the live exposures"); // assign's, of the live experiment
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(client.stats().eventsSent, 100);
    assert.equal(client.stats().eventsQueued, 0);
    assert.equal(stub.state.events.length, 100);
    assert.deepEqual([...new Set(stub.state.events.map((e) => `${e.type}:${e.experiment}`))], ["exposure:live"]);
  } finally {
    await client.close();
    await stub.close();
  }

  const quiet = new AbTestClient({ baseUrl: "http://127.0.0.1:1", sdkKey: "k", logExposures: false, manifest, requestTimeoutMs: 100, flushIntervalMs: 60_000 });
  try {
    const a = quiet.assignment("u", "done");
    quiet.exposure("u", a);
    quiet.exposure("u", quiet.assignment("u", "live"));
    assert.equal(quiet.stats().eventsQueued, 1);
  } finally {
    await quiet.close();
  }
});
