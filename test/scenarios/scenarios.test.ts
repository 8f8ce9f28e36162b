// The scenario corpus (docs/scenarios.md): every scenario folder here is hunted with its own
// config and options and must match its truth.yaml. The scorer itself is tested too: a wrong
// truth must make it fail, and `npm run scenarios` must say so in its last line and exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { judge } from '../../bench/scenarios/judge.ts';
import { resultLine, runScenario, scenarioDirs } from '../../bench/scenarios/run.ts';
import { truthSchema } from '../../bench/scenarios/truth.ts';
import { REPO_ROOT } from '../support/data.ts';

const CORPUS = join(REPO_ROOT, 'test/scenarios');
const RAW_NODE = join(CORPUS, 'linux-auditd-raw-node');

describe('scenario corpus', () => {
  for (const dir of scenarioDirs(CORPUS)) {
    const name = dir.split('/').pop()!;
    test(name, async () => {
      const r = await runScenario(dir);
      assert.ok(r.right, resultLine(r));
    });
  }
});

describe('scenario scorer', () => {
  test('a wrong severity, a missing step or an unexpected alert makes a scenario wrong', async () => {
    const r = await runScenario(RAW_NODE);
    assert.ok(r.right, resultLine(r));
    const [chain] = r.truth.expect;
    const wrong = (change: object) => judge({ ...r.truth, expect: [{ ...chain, ...change }] }, r.findings);
    assert.match(wrong({ severity: 'low' }).wrong.join(), /severity critical, expected low/);
    assert.match(wrong({ agent: ['/usr/bin/other'] }).wrong.join(), /missing web01 alert \/usr\/bin\/other/);
    assert.match(wrong({ reasons: ['renamed'] }).wrong.join(), /lack renamed/);
    assert.match(wrong({ links: { persistence: 'no such link' } }).wrong.join(), /persistence link/);
    // Nothing expected: the chain is an unexpected alert, on a host declared quiet.
    const none = judge({ ...r.truth, expect: [], quiet: ['web01'] }, r.findings);
    assert.equal(none.right, false);
    assert.match(none.wrong.join(), /alert on quiet host web01/);
  });

  test('a truth file with an unknown key is refused, naming the key', () => {
    const truth = parse(readFileSync(join(RAW_NODE, 'truth.yaml'), 'utf8'));
    const r = truthSchema.safeParse({ ...truth, expects: [] });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error?.issues), /expects/);
  });

  test('npm run scenarios: one line per scenario, scenarios_right=N/M last, exit 1 below M/M', () => {
    const corpus = mkdtempSync(join(tmpdir(), 'ratchain-scenarios-'));
    try {
      cpSync(RAW_NODE, join(corpus, 'linux-right'), { recursive: true });
      cpSync(RAW_NODE, join(corpus, 'linux-wrong'), { recursive: true });
      const truth = join(corpus, 'linux-wrong', 'truth.yaml');
      writeFileSync(truth, readFileSync(truth, 'utf8').replace('severity: critical', 'severity: medium'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/scenarios.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, SCENARIOS_DIR: corpus },
        encoding: 'utf8',
      });
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines.length, 3, run.stdout + run.stderr);
      assert.match(lines[0], /^right {2}linux-right /);
      assert.match(lines[1], /^WRONG {2}linux-wrong .*severity critical, expected medium/);
      assert.equal(lines[2], 'scenarios_right=1/2');
      assert.equal(run.status, 1);
    } finally {
      rmSync(corpus, { recursive: true, force: true });
    }
  });
});
