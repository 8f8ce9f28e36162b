// Big single files (issue 13): an ordinary busy sensor (130,000 events in two minutes, once a
// stack overflow in the merge), 10^6 events whose time stands still (once held whole by the merge
// and the engine), and 10^6 events out of order (once dropped as late), each through `hunt` in a
// process capped at a 512 MB heap; `publish` reads the busy file too. Heap peaks are printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { natsServerSkip, startNatsServer } from '../stream/nats-server.ts';
import { builtCli } from '../support/cli.ts';
import { byId, parseFindings } from './compare.ts';
import { permutation, T0, writeFlatFile } from './flat-sysmon.ts';
import { BIG_EVENTS, describeRun, runMeasured } from './measure.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-abuse-big-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Chains the flat files hold: hosts 1.. run one each; every fifth host's stops at two steps. */
const alerting = (hosts: number) =>
  Array.from({ length: hosts }, (_, i) => i + 1).filter((h) => h % 5 !== 4).length;

describe('big single files', () => {
  it('130,000 events in two minutes: hunt reports every chain; publish sends every event', {
    timeout: 600_000,
  }, async (t) => {
    const file = join(dir, 'busy.json');
    const events = 130_000;
    writeFlatFile(file, { events, hosts: 20, time: (i) => T0 + Math.floor((i * 120_000) / events) });
    const hunt = await runMeasured(['hunt', file, '--json']);
    t.diagnostic(describeRun('hunt, 130,000 events in 2 min', hunt));
    assert.equal(hunt.code, 0, hunt.stderr);
    assert.equal(parseFindings(hunt.stdout).filter((f) => f.status === 'alert').length, alerting(20));

    const skip = natsServerSkip();
    if (skip.skip) {
      t.diagnostic(`publish skipped: ${skip.skip}`);
      return;
    }
    const nats = await startNatsServer();
    try {
      const child = spawn(process.execPath, [builtCli(), 'publish', '-s', nats.url, '-n', '4', file], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise((resolve) => child.once('close', resolve));
      assert.equal(code, 0, stderr);
      assert.match(stderr, /130,?000 events/, stderr);
    } finally {
      await nats.stop();
    }
  });

  it(`${BIG_EVENTS} events whose time stands still: hunt stays under the heap cap and finds the chains`, {
    timeout: 1_200_000,
  }, async (t) => {
    const file = join(dir, 'still.json');
    // Few hosts, so each holds far more processes than its cap: only the cap bounds the engine.
    const hosts = 4;
    writeFlatFile(file, { events: BIG_EVENTS, hosts, time: () => T0 });
    const run = await runMeasured(['hunt', file, '--json']);
    rmSync(file);
    t.diagnostic(describeRun(`hunt, ${BIG_EVENTS} events at one timestamp`, run));
    assert.equal(run.code, 0, run.stderr);
    const got = parseFindings(run.stdout).filter((f) => f.status === 'alert');
    assert.equal(got.length, alerting(hosts), run.stdout);
    for (const f of got)
      assert.deepEqual(
        f.steps.filter((s) => s.seen).map((s) => s.step),
        ['execution', 'persistence', 'egress', 'control'],
      );
  });

  it(`${BIG_EVENTS} events out of order: the same findings as the sorted file, by id`, {
    timeout: 1_800_000,
  }, async (t) => {
    const hosts = 50;
    const o = { events: BIG_EVENTS, hosts, time: (i: number) => T0 + i * 10 };
    const sortedFile = join(dir, 'sorted.json');
    const shuffledFile = join(dir, 'shuffled.json');
    writeFlatFile(sortedFile, o);
    const sorted = await runMeasured(['hunt', sortedFile, '--json']);
    rmSync(sortedFile);
    t.diagnostic(describeRun(`hunt, ${BIG_EVENTS} events in time order`, sorted));
    assert.equal(sorted.code, 0, sorted.stderr);
    const p = permutation(BIG_EVENTS, 42);
    writeFlatFile(shuffledFile, o, (k) => p[k]);
    const shuffled = await runMeasured(['hunt', shuffledFile, '--json']);
    rmSync(shuffledFile);
    t.diagnostic(describeRun(`hunt, the same ${BIG_EVENTS} events shuffled`, shuffled));
    assert.equal(shuffled.code, 0, shuffled.stderr);
    assert.match(shuffled.stderr, /not in time order .*sorting it on disk .*nothing is dropped/);
    const want = parseFindings(sorted.stdout);
    assert.equal(want.filter((f) => f.status === 'alert').length, alerting(hosts));
    assert.deepEqual(byId(parseFindings(shuffled.stdout)), byId(want));
  });
});
