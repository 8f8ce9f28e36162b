// The host options on the command line: `watch --host` and `publish --host` name hostless records
// as `hunt --host` does and say so on stderr; `serve --event-host` refuses what is not a host name.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { natsServerSkip, startNatsServer } from '../stream/nats-server.ts';
import { builtCli, runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

/** ENRICHED auditd without node=: no record names its host (a hand-written scenario log). */
const NODELESS = join(REPO_ROOT, 'test/scenarios/linux-auditd-enriched-nodeless/db05.audit.log');

/** `ratchain watch ...args -` with the node-less log on stdin (the watch ends at its EOF). */
function watchStdin(...args: string[]) {
  return spawnSync(process.execPath, [builtCli(), 'watch', ...args, '-'], {
    input: readFileSync(NODELESS),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('host options', () => {
  it('watch --host names every hostless record, and says so when deciding and at the end', () => {
    const r = watchStdin('--host', 'ir-01');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^ratchain: -: records name no host; given ir-01 from --host$/m);
    assert.match(r.stderr, /^ratchain: hosts: -: \d+ records named no host; given ir-01 from --host$/m);
    const findings = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { host: string });
    assert.ok(findings.length > 0 && findings.every((f) => f.host === 'ir-01'));
  });

  it('watch without --host on stdin says why there is no host', () => {
    const r = watchStdin();
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /^ratchain: hosts: -: \d+ records named no host; no host: stdin has no file name/m,
    );
  });

  it('publish --host gives the host and says so', natsServerSkip(), async () => {
    const nats = await startNatsServer();
    try {
      const child = spawn(
        process.execPath,
        [builtCli(), 'publish', '-s', nats.url, '-n', '2', '--host', 'ir-01', NODELESS],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, stderr);
      assert.ok(
        stderr.includes(`ratchain: hosts: ${NODELESS}: `) &&
          / records named no host; given ir-01 from --host$/m.test(stderr),
        stderr,
      );
    } finally {
      await nats.stop();
    }
  });

  it('serve --event-host must be a host name', async () => {
    const r = await runCli('serve', '--event-host', 'a b', '--port', '0');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--event-host: "a b" is not a host name/);
  });
});
