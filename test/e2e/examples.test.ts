// The README's first command: `ratchain hunt examples/` on the logs shipped with the project
// finds one chain per platform and nothing in the benign background.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';

function ratchain(...args: string[]) {
  return spawnSync(process.execPath, ['bin/ratchain.mjs', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

test('hunting the shipped examples finds the Windows, Linux and macOS chains, and only those', () => {
  const r = ratchain('hunt', 'examples/', '--json');
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

test('the report is plain text in a pipe, and --fail-on gives scripts an exit code', () => {
  const r = ratchain('hunt', 'examples/');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Run summary/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour codes when stdout is not a terminal');
  assert.match(r.stdout, /4 findings: 3 critical, 1 medium/);
  assert.equal(ratchain('hunt', 'examples/', '-q', '--fail-on', 'high').status, 1);
  assert.equal(ratchain('hunt', 'examples/', '-q', '--fail-on', 'critical').status, 1);
  assert.equal(
    ratchain('hunt', 'examples/windows/background-winlogbeat.ndjson', '-q', '--fail-on', 'low').status,
    0,
  );
});
