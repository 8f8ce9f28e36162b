// `ratchain rules list|show|check` as a detection engineer uses them: find an entry, read why it
// counts and where it comes from, see a config's change, check a pack file before relying on it.
// One run goes through the built package, so the packs are found beside the bundle too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtCli, runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-rules-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ratchain rules', () => {
  test('list: one line per entry with its pack; a group narrows it; --platform one pack', async () => {
    const all = await runCli('rules', 'list');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^control\.children\.windows-shells\s+windows\s+cmd, powershell/m);
    assert.match(all.stdout, /^score\.weights\.temp_path\s+common\s+\+10$/m);
    const linux = await runCli('rules', 'list', 'persistence', '--platform', 'linux');
    assert.match(linux.stdout, /persistence\.files\.linux-systemd-units/);
    assert.doesNotMatch(linux.stdout, /windows|macos|control\./);
    const bad = await runCli('rules', 'list', 'persistance');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /did you mean "persistence"/);
  });

  test('show: why the entry counts, its file and line; an unknown entry gets a did-you-mean', async () => {
    const r = await runCli('rules', 'show', 'persistence.registry.windows-run-keys');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pack: windows \(.*src\/rules\/windows\.yaml:\d+\)/);
    assert.match(r.stdout, /why: Run and RunOnce values start their program at every logon/);
    assert.match(r.stdout, /mechanism: run_key/);
    const miss = await runCli('rules', 'show', 'persistence.registry.windows-run-key');
    assert.equal(miss.code, 2);
    assert.match(miss.stderr, /did you mean "persistence\.registry\.windows-run-keys"/);
  });

  test('list and show with -c: the config’s override is marked and shown', async () => {
    const cfg = join(dir, 'ratchain.yaml');
    writeFileSync(cfg, 'Rules:\n  Override:\n    score.weights.temp_path: { delta: 25 }\n');
    const list = await runCli('rules', 'list', 'score.weights', '-c', cfg);
    assert.match(list.stdout, /^score\.weights\.temp_path \*\s+common\s+\+25$/m);
    assert.match(list.stdout, /\* changed by the config/);
    const show = await runCli('rules', 'show', 'score.weights.temp_path', '-c', cfg, '--json');
    assert.equal(JSON.parse(show.stdout).entry.delta, 25);
  });

  test('check: a good file says what it replaces and adds; a bad one prints each problem and exits 2', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      'ratchainRules: 1\nplatform: linux\ndescription: site\ncontrol:\n  children:\n    linux-shells: { why: only bash counts here, names: [bash] }\n    site-tcl: { why: nobody here runs Tcl, names: [tclsh] }\n',
    );
    const ok = await runCli('rules', 'check', good);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /ok, linux pack, 2 entries \(1 replace built-in ones, 1 new\)/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      "ratchainRules: 1\nplatform: linux\ndescription: site\ncontrol:\n  suspicious:\n    x: { why: a test of a lookahead, pattern: 'a(?!b)' }\n",
    );
    const no = await runCli('rules', 'check', bad);
    assert.equal(no.code, 2);
    assert.match(no.stdout, /bad\.yaml:6:\d+: control\.suspicious\.x\.pattern: lookaround/);
  });

  test('the built package finds its packs beside the bundle', () => {
    const r = spawnSync(process.execPath, [builtCli(), 'rules', 'show', 'severity.alert.steps'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: dir },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /dist\/rules\/common\.yaml/);
    assert.match(r.stdout, /steps: 3/);
  });
});
