// `ratchain watch` as a process: SIGTERM stops it cleanly, with exit code 0, every finding line
// whole, and the chain's last state written before it exits.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { watchUntilFourSteps } from '../support/watch-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-watch-sig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('stops on SIGTERM with nothing half-written', async () => {
  const input = join(dir, 'in.xml');
  const output = join(dir, 'findings.ndjson');
  writeFileSync(input, `${fleetLines({ hosts: 3 }).join('\n')}\n`);
  // Stopped once a 4-step update was reported.
  const { code, log } = await watchUntilFourSteps([
    input,
    '-o',
    output,
    '--idle-flush',
    '50ms',
    '--poll',
    '50ms',
  ]);
  assert.equal(code, 0, log);
  assert.match(log, /stopped: 37 events, 0 late, 0 problems/);
  const text = readFileSync(output, 'utf8');
  assert.ok(text.endsWith('\n'), 'the last line is complete');
  const findings = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Finding);
  const latest = new Map<string, Finding>();
  for (const f of findings) latest.set(f.id, f);
  assert.equal(latest.size, 3, 'one finding per host chain');
  assert.ok([...latest.values()].some((f) => f.stepCount === 4));
});
