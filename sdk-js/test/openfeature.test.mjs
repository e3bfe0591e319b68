import { test } from "node:test";
import assert from "node:assert/strict";
import { OpenFeature, ProviderEvents } from "@openfeature/web-sdk";
import { AbTestClient, bucket } from "../dist/index.js";
import { AbTestWebProvider } from "../dist/openfeature.js";
import { Keyed } from "../dist/keys.js";

const manifest = (version, extra = []) => ({
  version,
  experiments: [
    {
      key: "checkout",
      salt: "s-checkout",
      coverage: 10000,
      variants: [{ key: "green", weight: 10000, config: { label: "Buy now", size: 3, style: { color: "green" }, value: false } }],
    },
    { key: "flag", salt: "s-flag", coverage: 10000, targeting: { plan: "pro" }, variants: [{ key: "on", weight: 10000, config: {} }] },
    { key: "half", salt: "s-half", coverage: 5000, variants: [{ key: "a", weight: 10000, config: { value: "x" } }], overrides: { [new Keyed("s-half").hash("unit", "qa")]: "a" } },
    { key: "broken", salt: "s", coverage: 10000, targeting: { x: { $bad: 1 } }, variants: [{ key: "a", weight: 10000 }] },
    ...extra,
  ],
});

test("the OpenFeature web provider answers configs at a path, variants, reasons and the Java provider's error codes", async () => {
  const client = new AbTestClient({ baseUrl: "", sdkKey: "", offline: true, manifest: manifest(1) });
  await OpenFeature.setProviderAndWait(new AbTestWebProvider(client));
  await OpenFeature.setContext({ targetingKey: "user-1", plan: "pro" });
  const of = OpenFeature.getClient();

  const label = of.getStringDetails("checkout/label", "Buy");
  assert.equal(label.value, "Buy now");
  assert.equal(label.reason, "SPLIT");
  assert.equal(label.variant, "green");
  assert.deepEqual(label.flagMetadata, { experiment: "checkout", outcome: "split", variant: "green", configPath: "label" });
  assert.equal(of.getStringValue("checkout", "control"), "green");
  assert.equal(of.getNumberValue("checkout/size", 1), 3);
  assert.deepEqual(of.getObjectValue("checkout/style", {}), { color: "green" });
  assert.equal(of.getBooleanValue("checkout", true), false);
  assert.equal(of.getStringDetails("checkout/style/color", "").value, "green");

  const nothing = of.getStringDetails("checkout/missing", "dflt");
  assert.deepEqual([nothing.value, nothing.reason, nothing.errorCode], ["dflt", "DEFAULT", undefined]);
  const mismatch = of.getNumberDetails("checkout/label", 7);
  assert.deepEqual([mismatch.value, mismatch.reason, mismatch.errorCode], [7, "ERROR", "TYPE_MISMATCH"]);
  const blocked = of.getStringDetails("checkout/label/x", "d");
  assert.equal(blocked.errorCode, "TYPE_MISMATCH");
  const unknown = of.getBooleanDetails("nope", false);
  assert.deepEqual([unknown.value, unknown.reason, unknown.errorCode], [false, "ERROR", "FLAG_NOT_FOUND"]);
  assert.equal(of.getBooleanDetails("broken", false).errorCode, "PARSE_ERROR");
  assert.equal(of.getBooleanDetails("checkout//x", false).errorCode, "GENERAL");

  const flag = of.getBooleanDetails("flag", false);
  assert.deepEqual([flag.value, flag.reason], [true, "TARGETING_MATCH"]);
  await OpenFeature.setContext({ targetingKey: "user-1", plan: "free" });
  const off = of.getBooleanDetails("flag", false);
  assert.deepEqual([off.value, off.reason, off.flagMetadata.outcome], [false, "DEFAULT", "not_targeted"]);

  await OpenFeature.setContext({ targetingKey: "qa" });
  assert.equal(of.getStringDetails("half", "d").reason, "TARGETING_MATCH");
  const outside = ["u1", "u2", "u3", "u4", "u5", "u6"].find((u) => bucket("s-half", u) >= 5000);
  await OpenFeature.setContext({ targetingKey: outside });
  assert.deepEqual([of.getStringDetails("half", "d").reason, of.getStringDetails("half", "d").flagMetadata.outcome], ["DEFAULT", "coverage"]);

  await OpenFeature.setContext({});
  assert.equal(of.getStringDetails("checkout", "d").errorCode, "TARGETING_KEY_MISSING");

  let changed = 0;
  of.addHandler(ProviderEvents.ConfigurationChanged, () => changed++);
  client.setManifest(manifest(2));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(changed, 1);
  await OpenFeature.close();
});

test("before a manifest the provider is not ready and answers defaults", async () => {
  const client = new AbTestClient({ baseUrl: "", sdkKey: "", offline: true });
  const provider = new AbTestWebProvider(client, 50);
  await OpenFeature.setProviderAndWait(provider).catch(() => undefined);
  await OpenFeature.setContext({ targetingKey: "u" });
  const d = OpenFeature.getClient().getStringDetails("checkout", "control");
  assert.equal(d.value, "control");
  assert.equal(d.reason, "ERROR");
  let ready = false;
  OpenFeature.getClient().addHandler(ProviderEvents.Ready, () => (ready = true));
  client.setManifest(manifest(1));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ready, true);
  assert.equal(OpenFeature.getClient().getStringValue("checkout", "control"), "green");
  await OpenFeature.close();
});

test("a shipped flag answers its variant with reason STATIC without targeting, TARGETING_MATCH when targeted; excluded units get the default", async () => {
  const ship = (key, extra = {}) => ({ key, salt: "s-" + key, coverage: 10000, variants: [{ key: "green", weight: 10000, config: { label: "Buy now", value: true } }], ...extra });
  const client = new AbTestClient({
    baseUrl: "",
    sdkKey: "",
    offline: true,
    manifest: {
      version: 1,
      holdout: { salt: "h", range: [0, 5000] },
      experiments: manifest(1).experiments,
      shipped: [ship("shipped"), ship("shipped-us", { targeting: { country: "US" } }), ship("shipped-held", { holdout: true })],
    },
  });
  await OpenFeature.setProviderAndWait(new AbTestWebProvider(client));
  const of = OpenFeature.getClient();
  const held = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"].find((u) => bucket("h", u) < 5000);
  const free = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"].find((u) => bucket("h", u) >= 5000);

  await OpenFeature.setContext({ targetingKey: free, country: "US" });
  const label = of.getStringDetails("shipped/label", "Buy");
  assert.deepEqual([label.value, label.reason, label.variant, label.errorCode], ["Buy now", "STATIC", "green", undefined]);
  assert.deepEqual(label.flagMetadata, { experiment: "shipped", outcome: "shipped", variant: "green", configPath: "label" });
  assert.deepEqual([of.getStringDetails("shipped", "control").value, of.getStringDetails("shipped", "control").reason], ["green", "STATIC"]);
  assert.deepEqual([of.getBooleanDetails("shipped-held", false).value, of.getBooleanDetails("shipped-held", false).reason], [true, "STATIC"]);
  const us = of.getBooleanDetails("shipped-us", false);
  assert.deepEqual([us.value, us.reason, us.flagMetadata.outcome], [true, "TARGETING_MATCH", "targeted"]);
  assert.equal(of.getStringDetails("checkout/label", "Buy").reason, "SPLIT"); // a live one still splits

  await OpenFeature.setContext({ targetingKey: free, country: "DE" });
  const de = of.getBooleanDetails("shipped-us", false);
  assert.deepEqual([de.value, de.reason, de.errorCode, de.flagMetadata.outcome], [false, "DEFAULT", undefined, "not_targeted"]);

  await OpenFeature.setContext({ targetingKey: held, country: "US" });
  const out = of.getStringDetails("shipped-held/label", "Buy");
  assert.deepEqual([out.value, out.reason, out.errorCode, out.flagMetadata.outcome], ["Buy", "DEFAULT", undefined, "holdout"]);
  assert.equal(of.getStringDetails("shipped", "control").reason, "STATIC"); // no holdout for this one
  await OpenFeature.close();
});
