// Evaluates the Java test's units with the built SDK and compares each line with the Java answer.
// Usage: node test-agreement/compare.mjs <dir written by SdkAgreementTest>
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { CompiledManifest } from "../dist/index.js";

const dir = process.argv[2];
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
const plain = new CompiledManifest(read("manifest.json"));
const hidden = new CompiledManifest(read("manifest-obfuscated.json"));
const listed = read("manifest.json");
const keys = listed.experiments.concat(listed.shipped ?? []).map((e) => e.key);

// The Java test's stored first variants: the unit's UTF-16 code units summed, modulo the variants
// plus one, name a variant of the experiment (by its key in this manifest) or nothing stored.
function stored(manifest) {
  const variants = new Map(manifest.experiments.map((e) => [e.key, e.variants.map((v) => v.key)]));
  return {
    variant(experiment, salt, unit) {
      const keys = variants.get(experiment);
      let sum = 0;
      for (let i = 0; i < unit.length; i++) sum += unit.charCodeAt(i);
      const i = sum % (keys.length + 1);
      return i === keys.length ? null : keys[i];
    },
    assigned() {},
  };
}
const plainStored = stored(read("manifest.json"));
const hiddenStored = stored(read("manifest-obfuscated.json"));

function line(m, unit, attributes, forced, sticky) {
  let s = "";
  for (const a of m.evaluate(unit, attributes, forced, sticky)) s += `${a.experiment}=${a.variant}${JSON.stringify(a.config)}${a.shipped ? "! " : " "}`;
  s += "|";
  for (const key of keys) {
    const k = m.keyOf(key);
    const e = k === null ? null : m.explain(k, unit, attributes, undefined, sticky);
    s += " " + (e === null ? "NONE" : e.outcome);
    if (e !== null && e.assignment !== null) s += "=" + e.assignment.variant;
  }
  return s;
}

const units = readline.createInterface({ input: fs.createReadStream(path.join(dir, "units.jsonl")) });
const java = fs.readFileSync(path.join(dir, "java.txt"), "utf8").split("\n");
let n = 0;
let mismatches = 0;
for await (const text of units) {
  const [unit, attributes, forced] = JSON.parse(text);
  const ours = line(plain, unit, attributes, forced, plainStored) + " # " + line(hidden, unit, attributes, {}, hiddenStored);
  if (ours !== java[n]) {
    if (mismatches < 5) console.log(`unit ${JSON.stringify(unit)} ${JSON.stringify(attributes)}\n  java ${java[n]}\n  sdk  ${ours}`);
    mismatches++;
  }
  n++;
}
console.log(`${n} units, ${mismatches} mismatches (${keys.length} experiments, plain and obfuscated manifests)`);
process.exit(mismatches === 0 && n > 0 ? 0 : 1);
