// `ratchain watch` as a process: SIGTERM stops it cleanly, with exit code 0, every finding line
// whole, and the chain's last state written before it exits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { builtCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-watch-sig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('stops on SIGTERM with nothing half-written', async () => {
  const input = join(dir, 'in.xml');
  const output = join(dir, 'findings.ndjson');
  writeFileSync(input, `${fleetLines({ hosts: 3 }).join('\n')}\n`);
  const child = spawn(
    process.execPath,
    [builtCli(), 'watch', input, '-o', output, '--idle-flush', '50ms', '--poll', '50ms'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    // Wait until a 4-step update was reported, then ask it to stop.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (/4-step/.test(log)) resolve();
      });
      child.once('exit', () => reject(new Error(`watch exited early: ${log}`)));
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0, log);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
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
