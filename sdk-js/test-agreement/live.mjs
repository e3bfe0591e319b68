// Run by SdkLiveIT against a real node: the SDK's local answers vs POST /v1/assignments on
// generated units, then a kill and how long until the SDK answers the default.
// Usage: node test-agreement/live.mjs <baseUrl> <sdkKey> <adminToken> <experiment to kill> <experiments>
import { AbTestClient } from "../dist/index.js";

const [baseUrl, sdkKey, admin, killed, expected] = process.argv.slice(2);
const UNITS = 3000;
const client = new AbTestClient({ baseUrl, sdkKey, logExposures: false, reconnectInitialMs: 100 });
const deadline = Date.now() + 120_000;
while (client.compiled.liveKeys().length < Number(expected)) {
  if (Date.now() > deadline) throw new Error(`the SDK has ${client.compiled.liveKeys().length} live experiments, not ${expected}`);
  await new Promise((r) => setTimeout(r, 50));
}
const post = async (path, token, body) => {
  const r = await fetch(baseUrl.replace(/\/$/, "") + path, { method: "POST", headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
};

let mismatches = 0;
let inAny = 0;
for (let i = 0; i < UNITS; i++) {
  const unit = (i % 3 === 0 ? "ユーザー-" : "user-") + ((i * 7919) % 1_000_003);
  const attributes = { country: ["US", "CA", "FR", "DE"][i % 4], app: { version: `${i % 4}.${i % 7}.0` }, age: i % 90 };
  const ours = client.assign(unit, attributes);
  const server = await post("/v1/assignments", sdkKey, { unit, attributes, log: false });
  if (server.status !== 200 || server.body.manifestVersion !== client.manifestVersion) {
    console.log(`unit ${unit}: server ${server.status} version ${server.body?.manifestVersion}, SDK version ${client.manifestVersion}`);
    mismatches++;
    continue;
  }
  const a = JSON.stringify(ours.map(({ experiment, variant, config }) => ({ experiment, variant, config })));
  const b = JSON.stringify(server.body.assignments.map(({ experiment, variant, config }) => ({ experiment, variant, config })));
  if (a !== b) {
    if (mismatches < 5) console.log(`unit ${unit} ${JSON.stringify(attributes)}\n  sdk    ${a}\n  server ${b}`);
    mismatches++;
  }
  inAny += ours.length > 0 ? 1 : 0;
}
console.log(`${UNITS} units against POST /v1/assignments, ${mismatches} mismatches (${inAny} in some experiment)`);

const inIt = Array.from({ length: 100 }, (_, i) => "k-" + i).find((u) => client.variant(u, killed) !== undefined);
const sent = performance.now();
const kill = await post(`/v1/experiments/${killed}/kill`, admin);
const answered = performance.now();
if (kill.status !== 200) throw new Error("kill answered " + kill.status);
while (client.variant(inIt, killed) !== undefined) {
  if (performance.now() - sent > 10_000) throw new Error("the SDK still assigns a killed experiment after 10 s");
  await new Promise((r) => setTimeout(r, 2));
}
const seen = performance.now();
console.log(`kill seen by the SDK ${Math.round(seen - answered)} ms after the kill's 200 (${Math.round(seen - sent)} ms after sending it)`);
await client.close();
process.exit(mismatches === 0 && inAny > 0 && seen - answered < 1000 ? 0 : 1);
