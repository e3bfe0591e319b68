import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileCondition, ConditionError } from "../dist/index.js";

// ../shared/conformance next to the repository root (sdk-js/..), or ABTEST_SHARED
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const shared = process.env.ABTEST_SHARED || path.resolve(root, "..", "shared");
const casesFile = path.join(shared, "conformance", "growthbook-cases.json");
const missing = `GrowthBook conformance cases not found at ${casesFile}; set ABTEST_SHARED=<dir holding conformance/> to run them`;
const sharedExists = fs.existsSync(shared);

function cases() {
  return JSON.parse(fs.readFileSync(casesFile, "utf8")).evalCondition;
}

test("every evalCondition case of GrowthBook's suite matches, as in the Java evaluator", { skip: !sharedExists && missing }, () => {
  assert.ok(fs.existsSync(casesFile), missing);
  const all = cases();
  assert.equal(all.length, 248);
  for (const [name, condition, attributes, expected, groups] of all) {
    assert.equal(compileCondition(condition, groups ?? {}, false)(attributes), expected, `${name}: ${JSON.stringify(condition)} on ${JSON.stringify(attributes)}`);
  }
});

test("strict compiling agrees with GrowthBook or refuses exactly the conditions the Java evaluator refuses", { skip: !sharedExists && missing }, () => {
  const refused = [];
  for (const [name, condition, attributes, expected, groups] of cases()) {
    let compiled;
    try {
      compiled = compileCondition(condition, groups ?? {}, true);
    } catch (e) {
      assert.ok(e instanceof ConditionError);
      refused.push(`${name} -> ${e.field}`);
      continue;
    }
    assert.equal(compiled(attributes), expected, name);
  }
  assert.deepEqual(refused.sort(), [
    "$in - not array -> targeting.num.$in",
    "$nin - not array -> targeting.num.$nin",
    "$ini - not array -> targeting.num.$ini",
    "$nini - not array -> targeting.num.$nini",
    "unknown operator - pass -> targeting.name.$regx",
    "$regex invalid - pass -> targeting.name.$regex",
    "$regex invalid - fail -> targeting.name.$regex",
    "$inGroup fails for unknown group id -> targeting.id.$inGroup",
    "$notInGroup passes for unknown group id -> targeting.id.$notInGroup",
  ].sort());
});

// The project's own cases, standing without the shared suite.
const match = (c, a) => compileCondition(c)(a);

test("implicit equality coerces as JavaScript does and a missing attribute is null", () => {
  assert.equal(match({ n: "8" }, { n: 8 }), true);
  assert.equal(match({ n: 10 }, { n: "10" }), true);
  assert.equal(match({ flag: false }, { flag: 0 }), true);
  assert.equal(match({ flag: false }, {}), false);
  assert.equal(match({ x: "null" }, {}), true);
  assert.equal(match({ tags: ["a", "b"] }, { tags: ["a", "b"] }), true);
  assert.equal(match({ tags: ["a", "b"] }, { tags: ["b", "a"] }), false);
});

test("dotted paths reach into objects and arrays, and length counts an array", () => {
  assert.equal(match({ "app.version": { $vgte: "3.2.0" } }, { app: { version: "3.10.1" } }), true);
  assert.equal(match({ "app.version": { $vgte: "3.2.0" } }, { app: { version: "3.1.9" } }), false);
  assert.equal(match({ "items.1.id": 7 }, { items: [{ id: 1 }, { id: 7 }] }), true);
  assert.equal(match({ "items.length": { $gt: 1 } }, { items: [1, 2] }), true);
  assert.equal(match({ "a.__proto__": { $exists: true } }, { a: {} }), false);
});

test("a version's pre-release sorts before the release", () => {
  assert.equal(match({ v: { $vlt: "1.0.0" } }, { v: "1.0.0-beta.1" }), true);
  assert.equal(match({ v: { $vgt: "1.0.0" } }, { v: "v1.0.1+build.5" }), true);
});

test("a regex longer than 1024 characters, or one that expands too far, is refused", () => {
  assert.throws(() => compileCondition({ e: { $regex: "a".repeat(1025) } }), ConditionError);
  assert.throws(() => compileCondition({ e: { $regex: "((a{10}){10}){11}" } }), ConditionError);
  assert.doesNotThrow(() => compileCondition({ e: { $regex: "x{1000}" } }));
});

test("lookaround and backreferences are refused, as RE2 refuses them on the server", () => {
  for (const p of ["a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\1"]) {
    assert.throws(() => compileCondition({ e: { $regex: p } }), ConditionError, p);
  }
});

test("a value longer than 8192 characters matches no regex", () => {
  const c = compileCondition({ e: { $regex: "a" } });
  assert.equal(c({ e: "a".repeat(8192) }), true);
  assert.equal(c({ e: "a".repeat(8193) }), false);
});

test("unknown operators and malformed operands are refused with the field that holds them", () => {
  assert.throws(() => compileCondition({ country: { $inn: ["US"] } }), (e) => e.field === "targeting.country.$inn");
  assert.throws(() => compileCondition({ $or: { a: 1 } }), (e) => e.field === "targeting.$or");
  assert.throws(() => compileCondition({ a: { $eq: [1] } }), (e) => e.field === "targeting.a.$eq");
});
