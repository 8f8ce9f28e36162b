// `ratchain diff` as a detection engineer runs it before changing a config: the same logs hunted
// under the old and the new config (or rule pack), the findings that changed, and an exit code a
// pipeline can gate on. The logs are the hand-written fixtures; the configs are written here.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit.ts';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-diff-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** ScreenConnect installed on WKS-BOB, beaconing, spawning cmd.exe: a 4-step alert (high). */
const SCREENCONNECT = join(REPO_ROOT, 'test/fixtures/windows/winlogbeat-screenconnect.ndjson');
const LINUX = join(REPO_ROOT, 'test/fixtures/linux');

const OLD = file('old.yaml', '# the default config\n');
const ALLOW = file('allow.yaml', 'ProcessAllowlist:\n  - tool: screenconnect\n    note: our help desk\n');
const NO_CMD = file(
  'no-cmd.yaml',
  'Rules:\n  Override:\n    control.children.windows-shells: { names: [powershell, pwsh, powershell_ise] }\n',
);

const records = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('ratchain diff -c old.yaml -c new.yaml LOGS', () => {
  test('one allowlist entry added: the ScreenConnect alert becomes suppressed', async () => {
    const r = await runCli('diff', '-c', OLD, '-c', ALLOW, SCREENCONNECT);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stdout, /1 finding under .*old\.yaml, 1 under .*allow\.yaml/);
    assert.match(r.stdout, /0 added, 0 removed, 1 changed, 0 unchanged/);
    assert.match(r.stdout, /~ changed {2}ConnectWise ScreenConnect on WKS-BOB\.corp\.example/);
    assert.match(r.stdout, /status {4}alert → suppressed/);
    assert.match(r.stdout, /severity {2}high → info/);
    assert.match(r.stdout, /reason {4}\+ allowlisted -60/);

    const json = await runCli('diff', '-c', OLD, '-c', ALLOW, SCREENCONNECT, '--json');
    const [change, summary] = records(json.stdout);
    assert.equal(change.type, 'changed');
    assert.equal(change.before.status, 'alert');
    assert.equal(change.after.status, 'suppressed');
    assert.equal(change.before.id, change.after.id, 'the same chain under both configs');
    assert.deepEqual(change.reasons, [{ code: 'allowlisted', after: -60 }]);
    assert.deepEqual(change.steps, { gained: [], lost: [] });
    assert.deepEqual(
      { type: summary.type, added: summary.added, removed: summary.removed, changed: summary.changed },
      { type: 'summary', added: 0, removed: 0, changed: 1 },
    );
  });

  test('--fail-on: the high alert disappearing fails the check; nothing at critical moved, so that passes', async () => {
    assert.equal(
      (await runCli('diff', '-c', OLD, '-c', ALLOW, SCREENCONNECT, '--fail-on', 'high')).code,
      EXIT.findings,
    );
    assert.equal(
      (await runCli('diff', '-c', OLD, '-c', ALLOW, SCREENCONNECT, '--fail-on', 'critical')).code,
      EXIT.ok,
    );
    // the other way round the alert appears
    assert.equal(
      (await runCli('diff', '-c', ALLOW, '-c', OLD, SCREENCONNECT, '--fail-on', 'high')).code,
      EXIT.findings,
    );
  });

  test('cmd removed from the shells: the finding loses S4, its step score and its severity', async () => {
    const r = await runCli('diff', '-c', OLD, '-c', NO_CMD, SCREENCONNECT, '--json');
    const [change] = records(r.stdout);
    assert.equal(change.type, 'changed');
    assert.deepEqual(change.steps, { gained: [], lost: ['control'] });
    assert.deepEqual(change.before.steps, ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(change.after.steps, ['execution', 'persistence', 'egress']);
    assert.deepEqual(change.reasons, [{ code: 'steps', before: 70, after: 50 }]);
    assert.equal(change.before.severity, 'high');
    assert.equal(change.after.severity, 'medium');
    const text = await runCli('diff', '-c', OLD, '-c', NO_CMD, SCREENCONNECT);
    assert.match(text.stdout, /steps {5}S1 S2 S3 S4 → S1 S2 S3 \(lost S4 interactive control\)/);
  });

  test('MinSteps 3 → 2: the Linux signals are added; --fail-on low sees them appear; -o writes the NDJSON too', async () => {
    const two = file('two.yaml', 'MinSteps: 2\n');
    const out = join(dir, 'diff.ndjson');
    const r = await runCli('diff', '-c', OLD, '-c', two, LINUX, '-o', out, '--fail-on', 'low');
    assert.equal(r.code, EXIT.findings, r.stderr);
    const added = records(readFileSync(out, 'utf8')).filter((x) => x.type === 'added');
    assert.ok(added.length >= 3, `${added.length} signals added`);
    for (const a of added) {
      assert.equal(a.after.status, 'signal');
      assert.equal(a.before, undefined);
      assert.match(r.stdout, new RegExp(`\\+ added {2}.*${a.host}`));
    }
  });
});

describe('ratchain diff --rules FILE LOGS', () => {
  const pack = file(
    'site.rules.yaml',
    [
      'ratchainRules: 1',
      'platform: windows',
      'description: at our site cmd.exe is the help desk, not an operator',
      'control:',
      '  children:',
      '    windows-shells:',
      '      why: the help desk scripts run in cmd, so only PowerShell counts as an operator prompt',
      '      names: [powershell, pwsh, powershell_ise]',
      '',
    ].join('\n'),
  );

  test('one pack file: the config without it and with it; the shell it drops costs the finding S4', async () => {
    const r = await runCli('diff', '--rules', pack, SCREENCONNECT, '--json');
    assert.equal(r.code, EXIT.ok, r.stderr);
    const [change, summary] = records(r.stdout);
    assert.deepEqual(change.steps.lost, ['control']);
    assert.equal(summary.before.hunted, 'the default config');
    assert.match(summary.after.hunted, /the default config \+ .*site\.rules\.yaml/);
  });

  test('the same rules on both sides: nothing changed', async () => {
    const r = await runCli('diff', '--rules', pack, '--rules', pack, SCREENCONNECT, LINUX);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stdout, /0 added, 0 removed, 0 changed, \d+ unchanged/);
  });

  test('a broken pack file is named with its line and nothing is hunted (exit 2)', async () => {
    const bad = file(
      'bad.rules.yaml',
      'ratchainRules: 1\nplatform: windows\ndescription: x\ncontrol:\n  chilren: {}\n',
    );
    const r = await runCli('diff', '--rules', bad, SCREENCONNECT);
    assert.equal(r.code, EXIT.usage);
    assert.match(r.stderr, /bad\.rules\.yaml:5:3: .*unknown key "chilren".*did you mean "children"/);
    assert.equal(r.stdout, '');
  });

  test('sides that make no comparison are refused (exit 2)', async () => {
    for (const args of [
      ['-c', OLD],
      ['-c', OLD, '-c', ALLOW, '--rules', pack],
      ['--rules', pack, '--rules', pack, '--rules', pack],
    ]) {
      const r = await runCli('diff', ...args, SCREENCONNECT);
      assert.equal(r.code, EXIT.usage, args.join(' '));
      assert.match(r.stderr, /^ratchain diff: /);
    }
  });
});
