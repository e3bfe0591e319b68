import { test } from "node:test";
import assert from "node:assert/strict";
import { CompiledManifest, InMemoryStickyBucketStore, LocalStorageStickyBucketStore } from "../dist/index.js";
import { bucketsOf } from "../dist/sticky.js";

const manifest = (weights, extra = {}) =>
  new CompiledManifest({
    version: 1,
    experiments: [
      {
        key: "e",
        salt: "salt-e",
        coverage: 10000,
        sticky: true,
        variants: [
          { key: "control", weight: weights[0] },
          { key: "green", weight: weights[1] },
        ],
        ...extra,
      },
    ],
  });

const variant = (m, unit, store) => m.evaluate(unit, null, undefined, bucketsOf(store))[0]?.variant ?? null;

test("after a sticky weight change no stored unit moves and new units follow the new weights", () => {
  const store = new InMemoryStickyBucketStore(10_000);
  const before = manifest([5000, 5000]);
  const first = new Map();
  for (let i = 0; i < 1000; i++) first.set("u" + i, variant(before, "u" + i, store));
  assert.equal(store.size, 1000);
  const after = manifest([2000, 8000]);
  let moved = 0;
  let movedByBucket = 0;
  for (const [unit, v] of first) {
    if (variant(after, unit, store) !== v) moved++;
    if (variant(after, unit, undefined) !== v) movedByBucket++;
  }
  assert.equal(moved, 0);
  assert.ok(movedByBucket > 250, `the bucket alone moves about 30 %: ${movedByBucket}`);
  let green = 0;
  for (let i = 0; i < 5000; i++) if (variant(after, "new-" + i, store) === "green") green++;
  assert.ok(green >= 3850 && green <= 4150, `new units in green: ${green}`);
});

test("explain says STICKY for a stored variant the bucket no longer gives, and overrides win", () => {
  const store = new InMemoryStickyBucketStore();
  const after = manifest([2000, 8000], { overrides: {} });
  let unit = null;
  for (let i = 0; unit === null; i++) {
    if (variant(after, "v" + i, undefined) === "green") unit = "v" + i;
  }
  store.put("e", "salt-e", unit, "control");
  const e = after.explain("e", unit, null, undefined, bucketsOf(store));
  assert.equal(e.outcome, "STICKY");
  assert.equal(e.assignment.variant, "control");
  assert.equal(after.explain("e", unit, null, { e: "green" }, bucketsOf(store)).assignment.variant, "green");
});

test("a stored variant at weight 0 gives way and is kept; a non-sticky experiment ignores the store", () => {
  const store = new InMemoryStickyBucketStore();
  store.put("e", "salt-e", "u1", "green");
  assert.equal(variant(manifest([10000, 0]), "u1", store), "control");
  assert.equal(store.get("e", "salt-e", "u1"), "green");
  const plain = manifest([5000, 5000], { sticky: false });
  const hashed = variant(plain, "u1", undefined);
  store.put("e", "salt-e", "u1", hashed === "green" ? "control" : "green");
  assert.equal(variant(plain, "u1", store), hashed);
});

test("a store that throws leaves the bucket's answer", () => {
  const broken = {
    get() {
      throw new Error("gone");
    },
    put() {
      throw new Error("gone");
    },
  };
  const m = manifest([2000, 8000]);
  for (let i = 0; i < 50; i++) assert.equal(variant(m, "u" + i, broken), variant(m, "u" + i, undefined));
});

test("the local-storage store keeps variants across instances, within its bound, and survives garbage", () => {
  const items = new Map();
  const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
  const a = new LocalStorageStickyBucketStore(storage, "k", 3);
  for (let i = 0; i < 5; i++) a.put("e", "s", "u" + i, "green");
  const b = new LocalStorageStickyBucketStore(storage, "k", 3);
  assert.equal(b.size, 3);
  assert.equal(b.get("e", "s", "u4"), "green");
  assert.equal(b.get("e", "s", "u0"), null);
  items.set("k", "not json");
  assert.equal(new LocalStorageStickyBucketStore(storage, "k", 3).size, 0);
  const full = { getItem: () => null, setItem: () => { throw new Error("quota"); } };
  const c = new LocalStorageStickyBucketStore(full, "k", 3);
  c.put("e", "s", "u", "control");
  assert.equal(c.get("e", "s", "u"), "control");
});

test("the client keeps units in their first variant through a new manifest with new weights", async () => {
  const { AbTestClient } = await import("../dist/index.js");
  const raw = (version, weights) => ({
    version,
    experiments: [
      {
        key: "e",
        salt: "salt-e",
        coverage: 10000,
        sticky: true,
        variants: [
          { key: "control", weight: weights[0] },
          { key: "green", weight: weights[1] },
        ],
      },
    ],
  });
  const client = new AbTestClient({
    baseUrl: "",
    sdkKey: "",
    offline: true,
    manifest: raw(1, [5000, 5000]),
    stickyBuckets: new InMemoryStickyBucketStore(),
  });
  const first = [];
  for (let i = 0; i < 300; i++) first.push(client.variant("u" + i, "e"));
  assert.ok(client.setManifest(raw(2, [2000, 8000])));
  for (let i = 0; i < 300; i++) assert.equal(client.variant("u" + i, "e"), first[i]);
  assert.equal(client.evaluation("u0", "e").assignment.variant, first[0]);
});
