// `serve` releases a body's events when the body is accepted if every sender of their host has
// passed them in order: one in-order sender's finding goes out with its POST (just after the
// answer), though the hold here (10 minutes) never runs out. Two senders of one host, one behind the
// other, still get the finding an offline hunt gives.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { RunningServer } from '../../src/stream/serve.ts';
import { byId } from '../abuse/compare.ts';
import { type FleetLine, fleet } from '../fixtures/stream/fleet.ts';
import { serveCollecting } from './serve-harness.ts';
import { defaultConfig } from './watch-harness.ts';

/** Longer than any test: nothing is released by the wall-clock hold. */
const NEVER_MS = 600_000;

const lines = fleet({ hosts: 1, noise: 10 });
const last = lines[lines.length - 1].time;

async function post(srv: RunningServer, source: string, batch: FleetLine[]) {
  const r = await fetch(`${srv.url}/ingest?source=${source}`, {
    method: 'POST',
    body: `${batch.map((l) => l.line).join('\n')}\n`,
  });
  assert.equal(r.status, 200);
  return (await r.json()) as { accepted: number; late: number };
}

const complete = (latest: Map<string, Finding>) =>
  [...latest.values()].some((f) => f.stepCount === 4 && f.lastSeen === last);

test('one in-order sender: the finding its body completes goes out with the body, not after the hold', {
  timeout: 30_000,
}, async () => {
  const { srv, latest } = await serveCollecting({ idleFlushMs: NEVER_MS });
  try {
    const half = Math.floor(lines.length / 2);
    await post(srv, 'collector', lines.slice(0, half));
    assert.ok(!complete(latest));
    const r = await post(srv, 'collector', lines.slice(half));
    assert.equal(r.accepted, lines.length - half);
    assert.equal(srv.live.buffered(), 0, 'released with its body, not by the hold');
    // Sent once the answer is out, at most one emit interval later; the hold never runs out here.
    while (!complete(latest)) await new Promise((r) => setTimeout(r, 5));
  } finally {
    await srv.close();
  }
});

test('two senders of one host, one a line behind the other: the finding equals the hunt of its lines', async () => {
  const { srv, latest } = await serveCollecting({ idleFlushMs: NEVER_MS });
  let late = 0;
  try {
    const send = async (source: string, i: number) => {
      late += (await post(srv, source, [lines[i]])).late;
    };
    await send('a', 0);
    await send('b', 1);
    await send('a', 2);
    for (let i = 4; i < lines.length; i += 2) {
      await send('a', i);
      await send('b', i - 1);
    }
    assert.ok(!complete(latest), "a's last line is newer than anything b has passed: held for b");
    assert.ok(srv.live.buffered() > 0);
  } finally {
    await srv.close();
  }
  assert.equal(late, 0);
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-serve-senders-'));
  try {
    writeFileSync(join(dir, 'host.xml'), `${lines.map((l) => l.line).join('\n')}\n`);
    const { findings } = await hunt({ paths: [dir], config: defaultConfig(), catalog: builtinCatalog() });
    assert.ok(findings.some((f) => f.stepCount === 4));
    assert.deepEqual(byId(latest.values()), byId(findings));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
