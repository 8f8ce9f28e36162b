// The config file: defaults that work, `config init` output that loads back to the defaults,
// and every mistake reported with its line, column and a hint.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG_YAML } from '../../src/config/default-config.ts';
import { formatIssue, parseConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { REPO_ROOT } from '../support/data.ts';

describe('config', () => {
  test('the commented default written by `config init` loads to exactly the built-in defaults', () => {
    const r = parseConfig(DEFAULT_CONFIG_YAML, 'default.yaml');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    const defaults = configSchema.parse({});
    assert.deepEqual(JSON.parse(JSON.stringify(r.config)), JSON.parse(JSON.stringify(defaults)));
    assert.equal(defaults.TimeWindow, 15 * 60_000);
    assert.equal(defaults.MinSteps, 3);
  });

  test('durations, carve-outs and allowlists parse into what the engine uses', () => {
    const r = parseConfig(
      [
        'TimeWindow: 30m',
        'InternalNetworks: [10.0.0.0/8, "!10.10.10.5/32"]',
        'ProcessAllowlist:',
        '  - tool: anydesk',
        "    hosts: ['^helpdesk-']",
        'EgressHeuristics:',
        '  MinSessionDuration: 90s',
      ].join('\n'),
      'c.yaml',
    );
    assert.ok(r.ok);
    assert.equal(r.config.TimeWindow, 30 * 60_000);
    assert.equal(r.config.EgressHeuristics.MinSessionDuration, 90_000);
    assert.equal(r.config.EgressHeuristics.MinConnections, 5, 'unset keys keep their defaults');
    assert.ok(r.config.ProcessAllowlist[0].hosts[0].test('HELPDESK-07'), 'regexes are case-insensitive');
    assert.deepEqual(r.config.InternalNetworks, ['10.0.0.0/8', '!10.10.10.5/32']);
  });

  test('every mistake is reported, in file order, with line, column and a hint', () => {
    const text = [
      'TimeWindw: 15m', // typo of a setting name
      'EgressHeuristics:',
      '  MinConnections: -1', // out of range
      'ProcessAllowlist:',
      "  - hosts: ['[']", // bad regex
      'TimeWindow: soon', // not a duration
      'InternalNetworks: [10.0.0.0/33x]', // not a CIDR
    ].join('\n');
    const r = parseConfig(text, 'bad.yaml');
    assert.ok(!r.ok);
    const lines = r.issues.map(formatIssue);
    assert.equal(r.issues.length, 5, lines.join('\n'));
    assert.match(
      lines[0],
      /^bad\.yaml:1:1: TimeWindw: unknown setting "TimeWindw" \(hint: did you mean "TimeWindow"\?\)/,
    );
    assert.match(lines[1], /^bad\.yaml:3:19: EgressHeuristics\.MinConnections: /);
    assert.match(lines[2], /^bad\.yaml:5:13: ProcessAllowlist\.0\.hosts\.0: not a valid regular expression/);
    assert.match(lines[3], /^bad\.yaml:6:13: TimeWindow: "soon" is not a duration; write e\.g\. 15m/);
    assert.match(lines[4], /^bad\.yaml:7:\d+: InternalNetworks\.0: not an IP address or CIDR block/);
  });

  test('broken YAML is a syntax error with its position, not a crash', () => {
    const r = parseConfig('TimeWindow: [15m\nMinSteps: 2\n', 'broken.yaml');
    assert.ok(!r.ok);
    assert.ok(r.issues[0].line !== undefined && r.issues[0].hint?.includes('YAML syntax'));
  });

  test('a bad config never starts a hunt: exit 2, the issues on stderr, no report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'MinSteps: 7\n');
    const r = spawnSync(process.execPath, ['bin/ratchain.mjs', 'hunt', '-c', file, 'examples/'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /bad\.yaml:1:11: MinSteps: /);
    assert.match(r.stderr, /nothing was run/);
    assert.equal(r.stdout, '');
  });

  test('`config check` exits 0 on a good file and 2 on a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-config-'));
    const good = join(dir, 'good.yaml');
    const init = spawnSync(process.execPath, ['bin/ratchain.mjs', 'config', 'init', good], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(init.status, 0, init.stderr);
    const ok = spawnSync(process.execPath, ['bin/ratchain.mjs', 'config', 'check', good], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /good\.yaml: ok/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'Lateness: forever\n');
    const no = spawnSync(process.execPath, ['bin/ratchain.mjs', 'config', 'check', bad], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(no.status, 2);
    assert.match(no.stdout, /bad\.yaml:1:11: Lateness: "forever" is not a duration/);
  });
});
