// The README's first command: `ratchain hunt examples/` on the logs shipped with the project
// finds one chain per platform and nothing in the benign background. The first test runs the
// built package as `npx ratchain` does; the rest run the command line in-process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { builtCli, runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const EXAMPLES = join(REPO_ROOT, 'examples');

test('the built package hunting the shipped examples finds the Windows, Linux and macOS chains, and only those', () => {
  const r = spawnSync(process.execPath, [builtCli(), 'hunt', 'examples/', '--json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no problems in the examples');
  const findings = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Finding);
  const got = findings
    .map((f) => `${f.host} ${f.agent.tool?.name ?? f.agent.names[0]} ${f.stepCount}`)
    .sort();
  assert.deepEqual(got, [
    'WS-FIN-07.corp.example AnyDesk 4',
    'dev02 Cloudflare Tunnel (cloudflared) 3',
    'mbp-alice syncd 4',
    'web01 relayd 4',
  ]);
  assert.ok(findings.every((f) => f.status === 'alert'));
  const mac = findings.find((f) => f.host === 'mbp-alice')!;
  assert.equal(mac.analytic, 'AN1368', 'the eslogger host comes from its file name');
});

test('the report is plain text in a pipe, and --fail-on gives scripts an exit code', async () => {
  const r = await runCli('hunt', EXAMPLES);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Run summary/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour codes when stdout is not a terminal');
  assert.match(r.stdout, /4 findings: 3 critical, 1 medium/);
  assert.equal((await runCli('hunt', EXAMPLES, '-q', '--fail-on', 'high')).code, 1);
  assert.equal((await runCli('hunt', EXAMPLES, '-q', '--fail-on', 'critical')).code, 1);
  const background = join(EXAMPLES, 'windows', 'background-winlogbeat.ndjson');
  assert.equal((await runCli('hunt', background, '-q', '--fail-on', 'low')).code, 0);
});
