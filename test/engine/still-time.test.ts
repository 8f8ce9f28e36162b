// Event time that stands still (a burst stamped with one second) must not switch off the
// engine's caps: the time-driven upkeep never comes round then, the process cap still holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { at, proc } from '../support/events.ts';

test('50,000 process starts at one instant on one host: the table stays within its cap', () => {
  const cap = 2000;
  const engine = createEngine(configSchema.parse({ Limits: { ProcessesPerHost: cap } }), builtinCatalog());
  for (let i = 0; i < 50_000; i++)
    engine.push(
      proc({ guid: `G${i}`, pid: 1000 + i, image: 'C:\\Windows\\System32\\svchost.exe', at: at(0) }),
    );
  const s = engine.stats();
  assert.ok((s.live?.processes ?? 0) <= cap + 1, `${s.live?.processes} processes held`);
  assert.ok(s.processesEvicted >= 50_000 - cap - 1);
});
