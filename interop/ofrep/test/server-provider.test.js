// OpenFeature's OFREP server provider (@openfeature/ofrep-provider) under Node.js against the node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { env, skip, fixture, kill, mismatches } from '../support/fixture.js';

test('the Node OFREP provider gives every unit the variant POST /v1/assignments gives it, and sees a kill within a second', { skip }, async () => {
  const { flags, units, kills } = fixture();
  await OpenFeature.setProviderAndWait(
    new OFREPProvider({ baseUrl: env.baseUrl, headers: [['Authorization', `Bearer ${env.sdkKey}`]] }),
  );
  const client = OpenFeature.getClient();
  const answers = new Map();
  for (const u of units) {
    const context = { targetingKey: u.unit, ...u.attributes };
    for (const flag of flags) {
      const details = await client.getObjectDetails(flag, {}, context);
      answers.set(`${u.unit} ${flag}`, details.variant);
      if (details.variant !== undefined) {
        assert.deepEqual(details.value, u.configs[flag], `${u.unit} ${flag} config`);
        assert.match(details.reason, /^(SPLIT|TARGETING_MATCH)$/);
      }
    }
  }
  const wrong = mismatches(units, flags, (u, flag) => answers.get(`${u.unit} ${flag}`));
  console.log(`node provider: ${units.length} units × ${flags.length} flags, ${wrong.length} mismatches`);
  assert.deepEqual(wrong, []);

  const key = kills.node;
  const context = { targetingKey: 'kill-watcher' };
  assert.equal((await client.getObjectDetails(key, {}, context)).reason, 'SPLIT');
  const start = Date.now();
  await kill(key);
  let details;
  do {
    details = await client.getObjectDetails(key, {}, context);
  } while (details.errorCode !== 'FLAG_NOT_FOUND' && Date.now() - start < 5000);
  const millis = Date.now() - start;
  console.log(`node provider: kill seen after ${millis} ms`);
  assert.equal(details.errorCode, 'FLAG_NOT_FOUND');
  assert.ok(millis < 1000, `kill took ${millis} ms`);
  await OpenFeature.close();
});
