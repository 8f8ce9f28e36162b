// The config file: defaults that work, `config init` output that loads back to the defaults,
// and every mistake reported with its line, column and a hint.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG_YAML } from '../../src/config/default-config.ts';
import { formatIssue, parseConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { runCli } from '../support/cli.ts';
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
    assert.match(
      lines[1],
      /^bad\.yaml:3:19: EgressHeuristics\.MinConnections: must be a whole number of at least 1, not -1$/,
    );
    assert.match(lines[2], /^bad\.yaml:5:13: ProcessAllowlist\.0\.hosts\.0: not a valid regular expression/);
    assert.match(lines[3], /^bad\.yaml:6:13: TimeWindow: "soon" is not a duration; write e\.g\. 15m/);
    assert.match(lines[4], /^bad\.yaml:7:\d+: InternalNetworks\.0: "10\.0\.0\.0\/33x" has|the prefix length/);
  });

  test('addresses and CIDR blocks are checked as addresses, not by their characters', () => {
    const r = parseConfig(
      [
        'InternalNetworks: [10.0.0.300/8, cafe, 10.0.0.0/33, "!fd00::/129", 10.0.0.0/8, "!fd00::/8", ::1]',
        'ExternalIPAllowlist:',
        '  cidrs: [203.0.113.7, 010.1.1.1]',
      ].join('\n'),
      'cidr.yaml',
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => `${i.path}: ${i.message}`),
      [
        'InternalNetworks.0: "10.0.0.300" is not an IPv4 address: write four numbers from 0 to 255 with dots between (no leading zeros)',
        'InternalNetworks.1: "cafe" is not an IP address; write e.g. 10.0.0.0/8, 2001:db8::/32, or !10.1.2.3/32 to carve one out',
        'InternalNetworks.2: the prefix length after "/" must be a whole number from 0 to 32 for an IPv4 address, not "33"',
        'InternalNetworks.3: the prefix length after "/" must be a whole number from 0 to 128 for an IPv6 address, not "129"',
        'ExternalIPAllowlist.cidrs.1: "010.1.1.1" is not an IPv4 address: write four numbers from 0 to 255 with dots between (no leading zeros)',
      ],
    );
  });

  test('a misspelt nested setting gets a "did you mean" from the settings at that place', () => {
    const r = parseConfig(
      [
        'EgressHeuristics:',
        '  MinSesionDuration: 5m',
        'Limits:',
        '  Host: 10',
        'UserContext:',
        '  Bogus: 1',
      ].join('\n'),
      'nested.yaml',
    );
    assert.ok(!r.ok);
    const lines = r.issues.map(formatIssue);
    assert.deepEqual(lines, [
      'nested.yaml:2:3: EgressHeuristics.MinSesionDuration: unknown setting "MinSesionDuration" (hint: did you mean "MinSessionDuration"?)',
      'nested.yaml:4:3: Limits.Host: unknown setting "Host" (hint: did you mean "Hosts"?)',
      'nested.yaml:6:3: UserContext.Bogus: unknown setting "Bogus" (hint: remove it; the settings here are SupportHosts, AdminUsers, AdminGroups)',
    ]);
  });

  test('ranges and types are said in plain words', () => {
    const r = parseConfig(
      [
        'MinSteps: 7',
        'EgressHeuristics:',
        '  BytesOutInRatio: 0',
        'Limits:',
        '  Hosts: 1.5',
        'HostAliases:',
        '  10.0.0.5: 7',
      ].join('\n'),
      'range.yaml',
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => `${i.path}: ${i.message}`),
      [
        'MinSteps: must be a whole number from 1 to 4, not 7',
        'EgressHeuristics.BytesOutInRatio: must be a number above 0, not 0',
        'Limits.Hosts: must be a whole number, not 1.5',
        'HostAliases.10.0.0.5: must be text, not 7 (put it in quotes)',
      ],
    );
  });

  test('--internal is checked like InternalNetworks: `cafe` is an error, not an address that matches nothing', async () => {
    const r = await runCli('hunt', join(REPO_ROOT, 'examples'), '--internal', '10.0.0.0/8', 'cafe');
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'ratchain: --internal: "cafe" is not an IP address; write e.g. 10.0.0.0/8, 2001:db8::/32, or !10.1.2.3/32 to carve one out\n',
    );
    assert.equal(r.stdout, '');
  });

  test('broken YAML is a syntax error with its position, not a crash', () => {
    const r = parseConfig('TimeWindow: [15m\nMinSteps: 2\n', 'broken.yaml');
    assert.ok(!r.ok);
    assert.ok(r.issues[0].line !== undefined && r.issues[0].hint?.includes('YAML syntax'));
  });

  test('a key written twice in one mapping is an error at the repeat; the same key in two mappings is not', () => {
    const text = [
      'MinSteps: 2',
      'HostAliases:',
      '  10.1.0.11: ws-0001',
      '  10.1.0.12: ws-0002',
      '  10.1.0.11: ws-0003',
      'EgressHeuristics:',
      '  MinConnections: 3',
      'MinSteps: 3',
      '',
    ].join('\n');
    const r = parseConfig(text, 'dup.yaml');
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.line, i.column, i.message]),
      [
        [5, 3, 'Map keys must be unique'],
        [8, 1, 'Map keys must be unique'],
      ],
    );
  });

  test('a config with 100,000 HostAliases loads', { timeout: 60_000 }, () => {
    const lines = ['HostAliases:'];
    for (let i = 0; i < 100_000; i++) lines.push(`  10.${i >> 16}.${(i >> 8) & 255}.${i & 255}: ws-${i}`);
    const r = parseConfig(`${lines.join('\n')}\n`, 'fleet.yaml');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues.slice(0, 3)));
    assert.equal(Object.keys(r.config.HostAliases).length, 100_000);
  });

  test('a bad config never starts a hunt: exit 2, the issues on stderr, no report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'MinSteps: 7\n');
    const r = await runCli('hunt', '-c', file, join(REPO_ROOT, 'examples'));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /bad\.yaml:1:11: MinSteps: /);
    assert.match(r.stderr, /nothing was run/);
    assert.equal(r.stdout, '');
  });

  test('`config check` exits 0 on a good file and 2 on a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-config-'));
    const good = join(dir, 'good.yaml');
    const init = await runCli('config', 'init', good);
    assert.equal(init.code, 0, init.stderr);
    const ok = await runCli('config', 'check', good);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /good\.yaml: ok/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'Lateness: forever\n');
    const no = await runCli('config', 'check', bad);
    assert.equal(no.code, 2);
    assert.match(no.stdout, /bad\.yaml:1:11: Lateness: "forever" is not a duration/);
  });
});

test('a YAML alias bomb is a problem of the config file, not an internal error', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  const r = parseConfig(levels.join('\n'), 'bomb.yaml');
  assert.equal(r.ok, false);
  if (!r.ok)
    assert.match(`${r.issues[0].file}: ${r.issues[0].message}`, /^bomb\.yaml: Excessive alias count/);
});
