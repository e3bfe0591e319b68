// npm run bench (after npm run build): bundle size (minified + gzipped) and evaluation speed
// (50 experiments, Node) of this SDK against GrowthBook's JavaScript SDK from npm, in one run.
// The same 50 experiments, translated into GrowthBook's feature/experiment-rule format, and the
// same units and attributes on both sides. Prints a Markdown table for docs/benchmarks.md.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";
import { GrowthBookClient } from "@growthbook/growthbook";
import { CompiledManifest } from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(here, "..");
const require = createRequire(import.meta.url);
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + " KiB";

// ---- size ----
async function minified(entry, external = []) {
  const r = await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", target: "es2020", write: false, legalComments: "none", external, logLevel: "error" });
  return r.outputFiles[0].contents;
}
const ours = fs.readFileSync(path.join(sdk, "dist/abtest.min.js"));
const oursEvaluator = await minified(path.join(sdk, "dist/manifest.js"));
const gbEntry = require.resolve("@growthbook/growthbook").replace(/cjs[/\\]index\.js$/, "esm/index.mjs");
const gbSame = await minified(gbEntry);
const gbShipped = fs.readFileSync(path.join(path.dirname(gbEntry), "..", "bundles", "esm.min.js"));
const gbVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(gbEntry), "..", "..", "package.json"), "utf8")).version;

// ---- the same 50 experiments on both sides ----
const COUNTRIES = ["US", "CA", "DE", "FR", "GB", "JP"];
function experiments() {
  const out = [];
  for (let i = 0; i < 50; i++) {
    const n = 2 + (i % 3);
    const weights = Array.from({ length: n }, (_, v) => (v === 0 ? 10000 - Math.floor(10000 / n) * (n - 1) : Math.floor(10000 / n)));
    let targeting = null;
    if (i % 5 === 1) targeting = { country: { $in: COUNTRIES.slice(0, 1 + (i % 4)) } };
    if (i % 5 === 2) targeting = { "app.version": { $vgte: "2.1.0" }, platform: { $ne: "web" } };
    if (i % 5 === 3) targeting = { $or: [{ plan: "pro" }, { age: { $gte: 30 } }] };
    out.push({
      key: "exp-" + i,
      salt: "salt-" + i,
      holdout: false,
      coverage: i % 4 === 0 ? 5000 : 10000,
      targeting,
      variants: weights.map((w, v) => ({ key: "v" + v, weight: w, config: { value: "v" + v } })),
    });
  }
  return out;
}
const exps = experiments();
const manifest = { version: 1, obfuscated: false, experiments: exps.map((e) => (e.targeting ? e : { ...e, targeting: undefined })) };
const features = {};
for (const e of exps) {
  features[e.key] = {
    defaultValue: null,
    rules: [{
      key: e.key,
      seed: e.salt,
      hashAttribute: "id",
      hashVersion: 2,
      coverage: e.coverage / 10000,
      weights: e.variants.map((v) => v.weight / 10000),
      variations: e.variants.map((v) => v.key),
      ...(e.targeting ? { condition: e.targeting } : {}),
    }],
  };
}
const UNITS = 20000;
const units = Array.from({ length: UNITS }, (_, i) => ({
  id: "user-" + i,
  country: COUNTRIES[i % COUNTRIES.length],
  platform: ["ios", "android", "web"][i % 3],
  plan: i % 7 === 0 ? "pro" : "free",
  age: i % 80,
  app: { version: `${i % 4}.${i % 10}.0` },
}));

const compiled = new CompiledManifest(manifest);
const gb = new GrowthBookClient({ enableDevMode: false });
gb.initSync({ payload: { features } });
const keys = exps.map((e) => e.key);

function runOurs(u) {
  return compiled.evaluate(u.id, u).length;
}
function runGrowthBook(u) {
  const ctx = { attributes: u };
  let inExperiments = 0;
  for (const k of keys) if (gb.evalFeature(k, ctx).source === "experiment") inExperiments++;
  return inExperiments;
}

function opsPerSecond(fn, ms) {
  let i = 0;
  let sink = 0;
  const end = performance.now() + ms;
  let ops = 0;
  while (performance.now() < end) {
    for (let j = 0; j < 200; j++) sink += fn(units[i++ % UNITS]);
    ops += 200;
  }
  return { ops: ops / (ms / 1000), sink };
}

// warm up both, then alternate rounds and keep each side's median
for (let r = 0; r < 2; r++) {
  opsPerSecond(runOurs, 500);
  opsPerSecond(runGrowthBook, 500);
}
const oursRounds = [];
const gbRounds = [];
for (let r = 0; r < 5; r++) {
  oursRounds.push(opsPerSecond(runOurs, 1000).ops);
  gbRounds.push(opsPerSecond(runGrowthBook, 1000).ops);
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const oursOps = median(oursRounds);
const gbOps = median(gbRounds);
const inOurs = units.reduce((s, u) => s + runOurs(u), 0);
const inGb = units.reduce((s, u) => s + runGrowthBook(u), 0);

const row = (a, b, c, d) => `| ${a} | ${b} | ${c} | ${d} |`;
console.log(`abtest SDK vs @growthbook/growthbook ${gbVersion}, Node ${process.version}, ${new Date().toISOString()}\n`);
console.log(row("measure", "abtest", "GrowthBook", "ratio (abtest / GrowthBook)"));
console.log(row("---", "---", "---", "---"));
console.log(row("whole SDK, esbuild-minified, gzipped", kb(gzip(ours)), kb(gzip(gbSame)), (gzip(ours) / gzip(gbSame)).toFixed(2)));
console.log(row("GrowthBook's own esm.min.js, gzipped", "", kb(gzip(gbShipped)), (gzip(ours) / gzip(gbShipped)).toFixed(2)));
console.log(row("evaluator alone (abtest), gzipped", kb(gzip(oursEvaluator)), "", (gzip(oursEvaluator) / gzip(gbSame)).toFixed(2)));
console.log(row("units/s, all 50 experiments each (median of 5 × 1 s)", Math.round(oursOps).toLocaleString("en"), Math.round(gbOps).toLocaleString("en"), (oursOps / gbOps).toFixed(2)));
console.log(row("experiment evaluations/s", Math.round(oursOps * 50).toLocaleString("en"), Math.round(gbOps * 50).toLocaleString("en"), (oursOps / gbOps).toFixed(2)));
console.log(`\nunits in experiments over ${UNITS} units × 50: abtest ${inOurs}, GrowthBook ${inGb} (different hashes, similar shares)`);
