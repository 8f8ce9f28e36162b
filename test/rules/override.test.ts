// Each rule pack, changed through `Rules:` in a config, changes the finding accordingly: the
// config is parsed as a user writes it, the engine runs plain events, and the finding before
// and after the change differ exactly where the changed entry says.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { at, byTime, conns, fileCreate, proc, service } from '../support/events.ts';

const catalog = builtinCatalog();
const dir = mkdtempSync(join(tmpdir(), 'ratchain-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The one finding the events give under the config written as `yaml` (MinSteps 1). */
function hunt(events: RatEvent[], yaml = ''): Finding {
  const file = join(dir, 'ratchain.yaml');
  const r = parseConfig(`MinSteps: 1\n${yaml}`, file);
  assert.ok(r.ok, r.ok ? '' : r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  const engine = createEngine(r.config, catalog);
  for (const ev of events) engine.push(ev);
  const findings = engine.finish();
  assert.equal(findings.length, 1, findings.map((f) => f.title).join('\n'));
  return findings[0];
}

const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
const codes = (f: Finding) => f.reasons.map((r) => r.code);

const EXPLORER = 'C:\\Windows\\explorer.exe';
const PORTABLE = 'C:\\Users\\alice\\Downloads\\AnyDesk.exe';
const RELAY = '203.0.113.50';

const windowsChain = () =>
  byTime(
    proc({ at: at(0), guid: '{A}', image: PORTABLE, parentGuid: '{e}', parentImage: EXPLORER }),
    service({ at: at(1), name: 'AnyDesk', command: `"${PORTABLE}" --service` }),
    conns({ at: at(2), guid: '{A}', image: PORTABLE, dstIp: RELAY, n: 5 }),
    proc({
      at: at(5),
      guid: '{c}',
      image: 'C:\\Windows\\System32\\cmd.exe',
      parentGuid: '{A}',
      parentImage: PORTABLE,
    }),
  );

const linux = { host: 'web01', platform: 'linux' as const };
const RELAYD = '/tmp/.x/relayd';
const linuxChain = (shell = '/bin/bash') =>
  byTime(
    proc({ ...linux, at: at(0), pid: 900, image: RELAYD, parentPid: 1, parentImage: '/usr/sbin/sshd' }),
    fileCreate({ ...linux, at: at(1), pid: 900, image: RELAYD, path: '/etc/systemd/system/relayd.service' }),
    conns({ ...linux, at: at(2), pid: 900, image: RELAYD, dstIp: RELAY, n: 5 }),
    proc({ ...linux, at: at(4), pid: 901, image: shell, parentPid: 900, parentImage: RELAYD }),
  );

const macos = { host: 'mac01', platform: 'macos' as const };
const UPDATER = '/Users/amy/Downloads/updater';
const macosChain = () =>
  byTime(
    proc({ ...macos, at: at(0), pid: 700, image: UPDATER }),
    fileCreate({
      ...macos,
      at: at(1),
      pid: 700,
      image: UPDATER,
      path: '/Library/LaunchDaemons/com.apple.updated.plist',
    }),
    conns({ ...macos, at: at(2), pid: 700, image: UPDATER, dstIp: RELAY, n: 5 }),
  );

describe('Rules: in a config changes what counts, pack by pack', () => {
  test('windows.yaml: control.children.windows-shells without cmd: the AnyDesk chain loses S4', () => {
    const before = hunt(windowsChain());
    const changed = hunt(
      windowsChain(),
      'Rules:\n  Override:\n    control.children.windows-shells: { names: [powershell, pwsh, powershell_ise] }\n',
    );
    assert.deepEqual(seen(before), ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(seen(changed), ['execution', 'persistence', 'egress']);
    assert.equal(changed.id, before.id, 'the same chain, one step fewer');
  });

  test('linux.yaml: persistence.files.linux-systemd-units removed (null): the unit file is no S2', () => {
    const before = hunt(linuxChain());
    const changed = hunt(
      linuxChain(),
      'Rules:\n  Override:\n    persistence.files.linux-systemd-units: null\n',
    );
    assert.ok(seen(before).includes('persistence'));
    assert.ok(!seen(changed).includes('persistence'));
    assert.ok(changed.score < before.score);
  });

  test('macos.yaml: persistence.labels.macos-apple-lookalike allowed under /Library: the reason goes', () => {
    const before = hunt(macosChain());
    const changed = hunt(
      macosChain(),
      "Rules:\n  Override:\n    persistence.labels.macos-apple-lookalike: { unlessLocation: '^/(system/)?library/' }\n",
    );
    assert.ok(codes(before).includes('apple_lookalike'), codes(before).join(', '));
    assert.ok(!codes(changed).includes('apple_lookalike'));
    assert.equal(before.score - changed.score, 10, 'exactly the weight of apple_lookalike');
  });

  test('common.yaml: score.weights.temp_path raised from 10 to 25: the score rises by 15, the reason says so', () => {
    const before = hunt(windowsChain());
    const changed = hunt(windowsChain(), 'Rules:\n  Override:\n    score.weights.temp_path: { delta: 25 }\n');
    assert.equal(before.reasons.find((r) => r.code === 'temp_path')?.delta, 10);
    assert.equal(changed.reasons.find((r) => r.code === 'temp_path')?.delta, 25);
    assert.equal(Math.min(100, before.score + 15), changed.score);
  });

  test('a pack file in Rules.Files (relative to the config) adds a control child: tclsh spawned by the agent becomes S4', () => {
    writeFileSync(
      join(dir, 'site.rules.yaml'),
      [
        'ratchainRules: 1',
        'platform: linux',
        'description: site additions',
        'control:',
        '  children:',
        '    site-tcl:',
        '      why: our admins never run Tcl, so an agent starting tclsh is an operator',
        '      names: [tclsh]',
        '',
      ].join('\n'),
    );
    const before = hunt(linuxChain('/usr/bin/tclsh'));
    const changed = hunt(linuxChain('/usr/bin/tclsh'), 'Rules:\n  Files: [site.rules.yaml]\n');
    assert.ok(!seen(before).includes('control'));
    assert.ok(seen(changed).includes('control'));
  });
});

describe('Rules: mistakes stop the config with their position', () => {
  test('an override of an entry that does not exist names it, with its line and a did-you-mean', () => {
    const r = parseConfig(
      'Rules:\n  Override:\n    control.children.windows-shell: { names: [cmd] }\n',
      join(dir, 'bad.yaml'),
    );
    assert.ok(!r.ok);
    const [i] = r.issues;
    assert.equal(i.line, 3);
    assert.match(i.message, /control\.children has no entry "windows-shell"/);
    assert.match(i.hint ?? '', /did you mean "windows-shells"/);
  });

  test('an override with a wrong value type or a lookahead pattern is refused', () => {
    const r = parseConfig(
      "Rules:\n  Override:\n    score.weights.temp_path: { delta: lots }\n    control.suspicious.linux-dev-tcp: { pattern: 'a(?=b)' }\n",
      join(dir, 'bad.yaml'),
    );
    assert.ok(!r.ok);
    assert.ok(
      r.issues.some((i) => i.path === 'Rules.Override.score.weights.temp_path.delta'),
      JSON.stringify(r.issues),
    );
    assert.ok(r.issues.some((i) => /lookaround/.test(i.message)));
  });

  test('removing a weight the engine needs is refused', () => {
    const r = parseConfig('Rules:\n  Override:\n    score.weights.renamed: null\n', join(dir, 'bad.yaml'));
    assert.ok(!r.ok);
    assert.match(r.issues[0].message, /score\.weights\.renamed is required/);
  });
});
