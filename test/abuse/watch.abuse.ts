// `watch` after one event dated years ahead (issue 13: it once raised the live watermark for
// good, and every later event was dropped as late): the event is quarantined and reported, and
// the chains written after it, in two files of different hosts, equal an offline hunt's, by id.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import { fleet } from '../fixtures/stream/fleet.ts';
import { defaultConfig, startWatch } from '../stream/watch-harness.ts';
import { byId } from './compare.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-abuse-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('one event years ahead is quarantined; every chain after it is found as hunt finds it', {
  timeout: 120_000,
}, async () => {
  const lines = fleet({ hosts: 10, noise: 5 });
  const a = join(dir, 'a.xml');
  const b = join(dir, 'b.xml');
  const future = lines[0].line
    .replace(/SystemTime='\d{4}/, "SystemTime='2031")
    .replace(/(UtcTime'>)\d{4}/g, '$12031');
  writeFileSync(a, `${future}\n`);
  writeFileSync(b, '');
  const w = startWatch([a, b]);
  try {
    await w.until('the future event', () => w.problems.some((p) => /quarantined/.test(p.message)));
    for (const l of lines) appendFileSync(Number(l.host.slice(3)) % 2 ? a : b, `${l.line}\n`);
    await w.until('every event', () => (w.stats()?.eventsIn ?? 0) >= lines.length);
  } finally {
    const summary = await w.stop();
    assert.equal(summary.late, 0, 'nothing dropped as late');
  }
  const all = join(dir, 'all.xml');
  writeFileSync(all, `${lines.map((l) => l.line).join('\n')}\n`);
  const want = (await hunt({ paths: [all], config: defaultConfig(), catalog: builtinCatalog() })).findings;
  assert.ok(want.length >= 5);
  assert.deepEqual(byId(w.latest().values()), byId(want));
});
