// What OfrepProvidersIT hands the tests: the node, its credentials, and units with the variants
// POST /v1/assignments gave them. Without these the tests are skipped (they need a running node).
import { readFileSync } from 'node:fs';

export const env = {
  baseUrl: process.env.OFREP_BASE_URL,
  sdkKey: process.env.OFREP_SDK_KEY,
  adminToken: process.env.OFREP_ADMIN_TOKEN,
  unitsFile: process.env.OFREP_UNITS,
};

export const skip = !env.baseUrl || !env.sdkKey || !env.unitsFile
  ? 'needs OFREP_BASE_URL, OFREP_SDK_KEY and OFREP_UNITS (cluster-node OfrepProvidersIT sets them)'
  : false;

/** {flags: [keys], units: [{unit, attributes, variants: {flag: variant|null}}], kills: {...}} */
export function fixture() {
  return JSON.parse(readFileSync(env.unitsFile, 'utf8'));
}

/** Kills an experiment with the admin token; resolves when the node has accepted it. */
export async function kill(key) {
  const response = await fetch(`${env.baseUrl}/v1/experiments/${key}/kill`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.adminToken}` },
  });
  if (response.status !== 200) {
    throw new Error(`kill ${key}: ${response.status} ${await response.text()}`);
  }
}

/** Units whose answer differs from the expected one, as readable lines. */
export function mismatches(units, flags, answer) {
  const out = [];
  for (const u of units) {
    for (const flag of flags) {
      const want = u.variants[flag] ?? null;
      const got = answer(u, flag) ?? null;
      if (want !== got) out.push(`${u.unit} ${flag}: expected ${want}, got ${got}`);
    }
  }
  return out;
}
