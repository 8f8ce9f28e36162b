// A live chain ends as the offline hunt ends it: evidence that came after the last emission (the
// last beacons of a three-step chain change no step's verdict) is in the final state sent at close.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { serveCollecting } from './serve-harness.ts';
import { defaultConfig } from './watch-harness.ts';

const counts = (f: Finding) => f.steps.map((s) => `${s.step}×${s.count}`).join(' ');

test('serve closes every chain with the counts hunt gives the same events', async () => {
  const lines = fleetLines({ hosts: 8, noise: 10, spacingMs: 5_000 });
  const { srv, latest } = await serveCollecting();
  try {
    const r = await fetch(`${srv.url}/ingest`, { method: 'POST', body: `${lines.join('\n')}\n` });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  } finally {
    await srv.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-live-final-'));
  try {
    writeFileSync(join(dir, 'fleet.xml'), `${lines.join('\n')}\n`);
    const { findings } = await hunt({ paths: [dir], config: defaultConfig(), catalog: builtinCatalog() });
    assert.ok(
      findings.some((f) => f.stepCount === 3),
      'three-step chains among them',
    );
    for (const f of findings) assert.equal(latest.has(f.id) && counts(latest.get(f.id)!), counts(f), f.host);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
