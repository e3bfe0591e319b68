// OpenFeature's OFREP web provider (@openfeature/ofrep-web-provider with @openfeature/web-sdk) in
// headless Chromium against the node. The page comes from a server of its own on another port, so
// every call to the node is cross-origin: the node's CORS for /ofrep is under test too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { env, skip, fixture, kill, mismatches } from '../support/fixture.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Debian's Chromium, installed by the project's script when missing (never a downloaded build). */
function chromiumPath() {
  const script = join(here, '..', '..', '..', 'deploy', 'browser', 'ensure-chromium.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

async function servePage() {
  const bundle = await build({
    entryPoints: [join(here, '..', 'browser', 'entry.js')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
  });
  const script = bundle.outputFiles[0].text;
  const html = '<!doctype html><meta charset="utf-8"><title>ofrep</title><script type="module" src="/bundle.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

test('the web OFREP provider in Chromium gives every unit the variant POST /v1/assignments gives it, and sees a kill within a second', { skip }, async () => {
  const { flags, units, kills } = fixture();
  const browserUnits = units.slice(0, Number(process.env.OFREP_BROWSER_UNITS ?? 200));
  const server = await servePage();
  const profile = mkdtempSync(join(tmpdir(), 'ofrep-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log(`page: ${m.text()}`); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.openfeature !== undefined);
    await page.evaluate(async ({ baseUrl, sdkKey, first }) => {
      const { OpenFeature, OFREPWebProvider } = window.openfeature;
      await OpenFeature.setContext({ targetingKey: first.unit, ...first.attributes });
      await OpenFeature.setProviderAndWait(new OFREPWebProvider({
        baseUrl,
        headers: [['Authorization', `Bearer ${sdkKey}`]],
        changeDetection: 'polling',
        pollInterval: 200,
        cacheMode: 'disabled',
      }));
      window.client = OpenFeature.getClient();
    }, { baseUrl: env.baseUrl, sdkKey: env.sdkKey, first: browserUnits[0] });

    const answers = await page.evaluate(async ({ units, flags }) => {
      const { OpenFeature } = window.openfeature;
      const out = {};
      for (const u of units) {
        await OpenFeature.setContext({ targetingKey: u.unit, ...u.attributes });
        for (const flag of flags) {
          const d = window.client.getObjectDetails(flag, {});
          out[`${u.unit} ${flag}`] = { variant: d.variant ?? null, value: d.value, reason: d.reason };
        }
      }
      return out;
    }, { units: browserUnits, flags });
    for (const u of browserUnits) {
      for (const flag of flags) {
        const a = answers[`${u.unit} ${flag}`];
        if (a.variant !== null) assert.deepEqual(a.value, u.configs[flag], `${u.unit} ${flag} config`);
      }
    }
    const wrong = mismatches(browserUnits, flags, (u, flag) => answers[`${u.unit} ${flag}`].variant);
    console.log(`web provider: ${browserUnits.length} units × ${flags.length} flags, ${wrong.length} mismatches`);
    assert.deepEqual(wrong, []);

    const key = kills.web;
    await page.evaluate(() => window.openfeature.OpenFeature.setContext({ targetingKey: 'kill-watcher' }));
    assert.equal(await page.evaluate((k) => window.client.getObjectDetails(k, {}).reason, key), 'SPLIT');
    const start = Date.now();
    await kill(key);
    const seenAt = await page.evaluate(async (k) => {
      const until = Date.now() + 5000;
      while (window.client.getObjectDetails(k, {}).errorCode !== 'FLAG_NOT_FOUND' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return window.client.getObjectDetails(k, {}).errorCode === 'FLAG_NOT_FOUND' ? Date.now() : null;
    }, key);
    assert.ok(seenAt !== null, 'the web provider never saw the kill');
    const millis = seenAt - start;
    console.log(`web provider: kill seen after ${millis} ms`);
    assert.ok(millis < 1000, `kill took ${millis} ms`);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
