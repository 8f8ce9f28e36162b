// `ratchain catalog list|search|show|check`, run in-process with stdout captured.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const r = await runCli('catalog', ...args);
  return { out: r.stdout, err: r.stderr, code: r.code };
}

const dir = mkdtempSync(join(tmpdir(), 'ratchain-catalog-cli-'));

describe('ratchain catalog', () => {
  it('lists the built-in tools with their platforms', async () => {
    const r = await run('list', '--category', 'tunnel');
    assert.match(r.out, /^ngrok\s+ngrok\s+tunnel\s+WLM\s+builtin$/m);
    assert.doesNotMatch(r.out, /anydesk/);
  });

  it('searches names, files and vendor domains', async () => {
    const r = await run('search', 'relay-1.net.anydesk.com');
    assert.match(r.out, /^anydesk {2}AnyDesk {2}\(builtin\)$/m);
    assert.match(r.out, /vendor domain covers relay-1\.net\.anydesk\.com/);
    assert.match((await run('search', 'LTSvcMon')).out, /connectwise-automate/);
    const none = await run('search', 'no-such-thing-anywhere');
    assert.equal(none.code, 1);
  });

  it('shows one tool by id or alias, and suggests ids for a near miss', async () => {
    const r = await run('show', 'connectwise-control');
    assert.match(r.out, /^ConnectWise ScreenConnect \(screenconnect\), remote support, from builtin$/m);
    assert.match(r.out, /services\s+ScreenConnect Client \(\*\)/);
    const miss = await run('show', 'anyd');
    assert.equal(miss.code, 2);
    assert.match(miss.err, /no tool "anyd"; did you mean anydesk\?/);
  });

  it('explains what it would name: a renamed binary, an entry, a destination', async () => {
    const r = await run(
      'match',
      '--image',
      'C:\\Users\\bob\\Downloads\\invoice.exe',
      '--original-file-name',
      'AnyDesk.exe',
      '--entry',
      'HKLM\\SYSTEM\\CurrentControlSet\\Services\\TeamViewer',
      '--domain',
      'relay-9.net.anydesk.com',
    );
    assert.equal(
      r.out,
      [
        'image: AnyDesk (anydesk) by original file name, from builtin',
        'entry: TeamViewer (teamviewer) by service, from builtin',
        'domain: AnyDesk (anydesk)',
        '',
      ].join('\n'),
    );
    const amb = await run('match', '--signer', 'ConnectWise, LLC');
    assert.match(amb.out, /by signer, from builtin; equally: connectwise-automate/);
    assert.equal((await run('match')).code, 2);
  });

  it('checks a catalogue file: each problem on its own line, a summary, exit 2 on errors', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'ratchain-catalog: 1\ntools:\n  - id: x\n    name: X\n    category: vpn\n    executables: [x.exe]\n',
    );
    const r = await run('check', bad);
    assert.match(r.out, new RegExp(`^${bad}: tools\\[0\\] \\(x\\)\\.category, line 5:\\d+: error: `, 'm'));
    assert.match(r.out, /ratchain catalogue: 0 tools loaded, 1 errors, 1 skipped, 0 notes$/m);
    assert.equal(r.code, 2);
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      'ratchain-catalog: 1\ntools:\n  - id: x\n    name: X\n    category: rat\n    executables: [x.exe]\n',
    );
    assert.equal((await run('check', good)).code, 0);
  });

  it('uses extra catalogues given with --catalog', async () => {
    const extra = join(dir, 'extra.yaml');
    writeFileSync(
      extra,
      'ratchain-catalog: 1\ntools:\n  - id: corp-helpdesk\n    name: Corp Helpdesk\n    category: remote_support\n    executables: [corphd.exe]\n',
    );
    const r = await run('show', 'corp-helpdesk', '--catalog', extra);
    assert.match(r.out, /^Corp Helpdesk \(corp-helpdesk\), remote support, from .*extra\.yaml$/m);
  });
});
