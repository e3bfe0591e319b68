import { test } from "node:test";
import assert from "node:assert/strict";
import { bucket, CompiledManifest } from "../dist/index.js";
import { Keyed } from "../dist/keys.js";

const exp = (key, extra = {}) => ({
  key,
  salt: "salt-" + key,
  holdout: false,
  coverage: 10000,
  variants: [
    { key: "a", weight: 5000, config: {} },
    { key: "b", weight: 5000, config: { color: "green" } },
  ],
  ...extra,
});

const units = Array.from({ length: 2000 }, (_, i) => "user-" + i);

test("a unit's variant is the one whose range holds its bucket", () => {
  const m = new CompiledManifest({ version: 1, experiments: [exp("x")] });
  for (const u of units) {
    const [a] = m.evaluate(u);
    assert.equal(a.variant, bucket("salt-x", u) < 5000 ? "a" : "b");
  }
});

test("coverage narrows each variant's range from its start: nobody moves when it rises", () => {
  const low = new CompiledManifest({ version: 1, experiments: [exp("x", { coverage: 2000 })] });
  const high = new CompiledManifest({ version: 2, experiments: [exp("x", { coverage: 6000 })] });
  for (const u of units) {
    const before = low.explain("x", u);
    const b = bucket("salt-x", u);
    assert.equal(before.outcome, (b < 1000 || (b >= 5000 && b < 6000)) ? "SPLIT" : "COVERAGE");
    if (before.assignment) assert.equal(high.explain("x", u).assignment.variant, before.assignment.variant);
  }
});

test("the holdout keeps its units out of experiments that respect it, and only those", () => {
  const m = new CompiledManifest({
    version: 1,
    holdout: { salt: "h", range: [0, 3000] },
    experiments: [exp("in", { holdout: true }), exp("free")],
  });
  for (const u of units) {
    const held = bucket("h", u) < 3000;
    assert.equal(m.explain("in", u).outcome, held ? "HOLDOUT" : "SPLIT");
    assert.equal(m.explain("free", u).outcome, "SPLIT");
  }
});

test("experiments of one layer never share a unit", () => {
  const m = new CompiledManifest({
    version: 1,
    experiments: [exp("l", { layerSalt: "L", layerSlots: [0, 5000] }), exp("r", { layerSalt: "L", layerSlots: [5000, 10000] })],
  });
  for (const u of units) {
    const keys = m.evaluate(u).map((a) => a.experiment);
    assert.deepEqual(keys, [bucket("L", u) < 5000 ? "l" : "r"]);
  }
});

test("targeting decides who enters, with the reason", () => {
  const m = new CompiledManifest({ version: 1, experiments: [exp("t", { targeting: { country: { $in: ["US"] } } })] });
  assert.equal(m.explain("t", "user-1", { country: "US" }).outcome, "TARGETED");
  assert.equal(m.explain("t", "user-1", { country: "DE" }).outcome, "NOT_TARGETED");
  assert.equal(m.explain("t", "user-1").outcome, "NOT_TARGETED");
});

test("an override (keyed hash of the unit id) forces the variant; forced variants win over all", () => {
  const salt = "salt-o";
  const m = new CompiledManifest({
    version: 1,
    experiments: [exp("o", { coverage: 0, overrides: { [new Keyed(salt).hash("unit", "qa-1")]: "b" } })],
  });
  assert.deepEqual(m.explain("o", "qa-1"), { assignment: { experiment: "o", variant: "b", config: { color: "green" } }, outcome: "OVERRIDE" });
  assert.equal(m.explain("o", "qa-2").outcome, "COVERAGE");
  assert.equal(m.evaluate("qa-2", {}, { o: "a" })[0].variant, "a");
  assert.equal(m.evaluate("qa-2", {}, { o: "nope" }).length, 0);
});

test("an experiment that cannot be compiled assigns nobody and the others still answer", () => {
  const m = new CompiledManifest({
    version: 1,
    experiments: [exp("bad", { targeting: { x: { $nope: 1 } } }), exp("good")],
  });
  assert.equal(m.explain("bad", "u").outcome, "INVALID");
  assert.equal(m.explain("missing", "u").outcome, "NOT_LIVE");
  assert.deepEqual(m.evaluate("u").map((a) => a.experiment), ["good"]);
  assert.equal(m.problems.length, 1);
});

test("garbage instead of a manifest gives no assignments and never throws", () => {
  for (const junk of [{}, { version: 1, experiments: "no" }, { version: 1, experiments: [null, 5, { key: "x" }] }]) {
    const m = new CompiledManifest(junk);
    assert.deepEqual(m.evaluate("u", { a: 1 }), []);
  }
  assert.deepEqual(CompiledManifest.EMPTY.evaluate(undefined), []);
});

test("an obfuscated manifest is found by the real keys", () => {
  const k = new Keyed("salt-x");
  const m = new CompiledManifest({
    version: 1,
    obfuscated: true,
    experiments: [{ ...exp("x"), key: k.hash("experiment", "x"), variants: exp("x").variants.map((v) => ({ ...v, key: k.hash("variant", v.key) })) }],
  });
  const key = m.keyOf("x");
  assert.equal(key, k.hash("experiment", "x"));
  assert.equal(m.keyOf("y"), null);
  const a = m.explain(key, "user-1").assignment;
  assert.ok([m.variantKeyOf("x", "a"), m.variantKeyOf("x", "b")].includes(a.variant));
});
