// The SDK in a page in headless Chromium (Debian's, from deploy/browser/ensure-chromium.sh; never
// a downloaded browser), driven by playwright-core, against the stub server that also serves the
// page: same answers as Node (and as the Java evaluator when its agreement files are there), live
// updates over the stream, events on page hide, the OpenFeature web provider.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { CompiledManifest } from "../dist/index.js";
import { everyone, manifestWith, startStub, until } from "../test/stub-server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(here, "..");
const ensure = path.resolve(sdk, "..", "deploy", "browser", "ensure-chromium.sh");
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let stub, context, page, profile;

before(async () => {
  await esbuild.build({ entryPoints: [path.join(here, "provider-entry.mjs")], bundle: true, format: "esm", outfile: path.join(sdk, "target/browser-test/provider.js"), logLevel: "warning" });
  const executablePath = execFileSync("bash", [ensure], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  stub = await startStub({ manifest: manifestWith(1, [everyone("exp", ["on"])]), staticDir: sdk });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "abtest-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ["--headless", ...FLAGS] });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(stub.url + "/test-browser/page.html");
  await page.waitForFunction(() => window.sdkLoaded === true);
});

after(async () => {
  await context?.close();
  await stub?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

function agreementInput() {
  const dir = path.join(sdk, "target/sdk-agreement");
  if (fs.existsSync(path.join(dir, "java.txt"))) {
    const units = fs.readFileSync(path.join(dir, "units.jsonl"), "utf8").trim().split("\n").slice(0, 20000).map((l) => JSON.parse(l));
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const java = fs.readFileSync(path.join(dir, "java.txt"), "utf8").split("\n").map((l) => l.split(" # ")[0]);
    return { units, manifest, expected: java.slice(0, units.length), against: "the Java evaluator" };
  }
  const manifest = manifestWith(1, [
    everyone("a"),
    { ...everyone("t", ["x", "y", "z"]), coverage: 7000, targeting: { country: { $in: ["US", "CA"] }, "app.version": { $vgte: "2.0.0" } } },
    { ...everyone("l"), layerSalt: "L", layerSlots: [0, 5000] },
    { ...everyone("r"), layerSalt: "L", layerSlots: [5000, 10000], holdout: true },
  ]);
  manifest.holdout = { salt: "h", range: [0, 2000] };
  const units = Array.from({ length: 20000 }, (_, i) => ["ユーザー-" + i, { country: ["US", "DE", "CA"][i % 3], app: { version: `${i % 4}.1.0` } }, {}]);
  const m = new CompiledManifest(manifest);
  return { units, manifest, expected: units.map(([u, a, f]) => line(m, manifest, u, a, f)), against: "Node (the Java agreement files are not built)" };
}

// the same line as test-agreement/compare.mjs writes, here and in the page (self-contained: the
// page gets its source), with the Java test's stored first variants for the sticky experiments
function line(m, manifest, unit, attributes, forced) {
  const sticky = {
    variant(experiment, salt, u) {
      const keys = manifest.experiments.find((e) => e.key === experiment).variants.map((v) => v.key);
      let sum = 0;
      for (let i = 0; i < u.length; i++) sum += u.charCodeAt(i);
      const i = sum % (keys.length + 1);
      return i === keys.length ? null : keys[i];
    },
    assigned() {},
  };
  let s = "";
  for (const a of m.evaluate(unit, attributes, forced, sticky)) s += `${a.experiment}=${a.variant}${JSON.stringify(a.config)}${a.shipped ? "! " : " "}`;
  s += "|";
  for (const e of manifest.experiments.concat(manifest.shipped ?? [])) {
    const r = m.explain(e.key, unit, attributes, undefined, sticky);
    s += " " + r.outcome + (r.assignment ? "=" + r.assignment.variant : "");
  }
  return s;
}

test("in Chromium the SDK gives the same answers on 20,000 generated units", async () => {
  const { units, manifest, expected, against } = agreementInput();
  const got = await page.evaluate(([manifest, units, lineSource]) => {
    const line = new Function("return " + lineSource)();
    const m = new window.abtest.CompiledManifest(manifest);
    return units.map(([u, a, f]) => line(m, manifest, u, a, f));
  }, [manifest, units, line.toString()]);
  let mismatches = 0;
  got.forEach((g, i) => (mismatches += g === expected[i] ? 0 : 1));
  console.log(`# browser agreement with ${against}: ${units.length} units, ${mismatches} mismatches`);
  assert.equal(mismatches, 0);
});

test("in Chromium a new manifest arrives over the stream within a second, and a kill gives defaults", async () => {
  await page.evaluate((url) => {
    window.client = new window.abtest.AbTestClient({ baseUrl: url, sdkKey: "sdk-test", reconnectInitialMs: 20, flushIntervalMs: 60000 });
    return window.client.whenReady(3000);
  }, stub.url);
  assert.equal(await page.evaluate(() => window.client.variant("u-1", "exp", {}, "off")), "on");
  await until(() => stub.state.streams.size >= 1, 3000, "the stream");
  const start = Date.now();
  stub.publish(manifestWith(2, []));
  await page.waitForFunction(() => window.client.manifestVersion === 2, null, { timeout: 1000 });
  assert.ok(Date.now() - start < 1000);
  assert.equal(await page.evaluate(() => window.client.variant("u-1", "exp", {}, "off")), "off");
});

test("in Chromium the OpenFeature web provider answers from the SDK", async () => {
  stub.publish(manifestWith(3, [{ ...everyone("checkout", ["green"]), variants: [{ key: "green", weight: 10000, config: { label: "Buy now" } }] }]));
  const details = await page.evaluate(async () => {
    await window.client.whenReady(1000);
    while (window.client.manifestVersion < 3) await new Promise((r) => setTimeout(r, 10));
    await window.OpenFeature.setProviderAndWait(new window.AbTestWebProvider(window.client));
    await window.OpenFeature.setContext({ targetingKey: "user-7" });
    const c = window.OpenFeature.getClient();
    return [c.getStringDetails("checkout/label", "Buy"), c.getBooleanDetails("gone", false)];
  });
  assert.deepEqual([details[0].value, details[0].reason, details[0].variant], ["Buy now", "SPLIT", "green"]);
  assert.deepEqual([details[1].value, details[1].errorCode], [false, "FLAG_NOT_FOUND"]);
});

test("in Chromium queued events are handed over when the page goes away: keepalive fetch with the key, or sendBeacon to a beacon URL", async () => {
  stub.state.events = [];
  await page.evaluate((url) => {
    window.client.track("user-7", "purchase", 12.5);
    window.client.track("user-7", "purchase", 3);
    window.beaconed = new window.abtest.AbTestClient({ baseUrl: url, sdkKey: "sdk-test", stream: false, flushIntervalMs: 60000, beaconUrl: "/beacon" });
    window.beaconed.track("user-8", "signup", 1);
  }, stub.url);
  assert.equal(stub.state.events.length, 0);
  await page.goto("about:blank"); // pagehide
  const metrics = () => stub.state.events.filter((e) => e.type === "metric");
  await until(() => metrics().length === 3, 3000, "the page-hide events");
  const via = metrics().map((e) => `${e.unit}:${e.via}`).sort();
  assert.deepEqual(via, ["user-7:/v1/events", "user-7:/v1/events", "user-8:/beacon"]);
});
