// The command line against hostile files and broken outputs (issue 13), each in a process of its
// own under the 512 MB heap cap: a YAML alias bomb, outputs that cannot be written (/nonexistent,
// /dev/full, a closed pipe), a 1 MB event-XML line of <Data>, attacker text of a megabyte against
// the suspicious-child patterns, and a config regex built to backtrack. Every one ends with a
// message naming the file (and position), the documented exit code, and in bounded time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit.ts';
import { builtCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';
import { parseFindings } from './compare.ts';
import { T0, writeFlatFile } from './flat-sysmon.ts';
import { describeRun, runMeasured } from './measure.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-abuse-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const EXAMPLES = join(REPO_ROOT, 'examples');
const ANYDESK_XML = join(REPO_ROOT, 'test/fixtures/windows/sysmon-anydesk.xml');

const alerts = (stdout: string) => parseFindings(stdout).filter((f) => f.status === 'alert');

describe('hostile files and broken outputs', () => {
  it('a YAML alias bomb as the config: exit 2, the file named', { timeout: 60_000 }, async (t) => {
    const bomb = join(dir, 'bomb.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(bomb, `${levels.join('\n')}\n`);
    const r = await runMeasured(['hunt', '-c', bomb, EXAMPLES]);
    t.diagnostic(describeRun('alias bomb', r));
    assert.equal(r.code, EXIT.usage, r.stderr);
    assert.match(r.stderr, new RegExp(`${bomb.replaceAll('/', '\\/')}.*alias`, 'i'));
  });

  for (const target of ['/nonexistent/x', '/dev/full'])
    it(`-o ${target}: exit 3 with one line naming it, never 1 (the findings code)`, {
      timeout: 60_000,
    }, async () => {
      const r = await runMeasured(['hunt', EXAMPLES, '-o', target]);
      assert.equal(r.code, EXIT.internal, r.stderr);
      assert.match(r.stderr, new RegExp(`^ratchain: ${target}: cannot write`, 'm'));
    });

  it('stdout into /dev/full: exit 3 with a message', { timeout: 60_000 }, async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [builtCli(), 'hunt', EXAMPLES, '--json'], {
        stdio: ['ignore', full, 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise((resolve) => child.once('close', resolve));
      assert.equal(code, EXIT.internal, stderr);
      assert.match(stderr, /^ratchain: .*(ENOSPC|no space)/im);
    } finally {
      closeSync(full);
    }
  });

  it('a reader that closes the pipe early (| head -1): a quiet end', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [builtCli(), 'hunt', EXAMPLES, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.equal(stderr, '');
    assert.ok(code === EXIT.ok || code === EXIT.findings, `exit ${code}`);
  });

  it('a 1 MB event-XML line of <Data>: reported with its line, the chain beside it found', {
    timeout: 60_000,
  }, async (t) => {
    const file = join(dir, 'data-bomb.xml');
    const good = readFileSync(ANYDESK_XML, 'utf8');
    const bomb = `<Event><System><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>X</Computer></System><EventData>${'<Data>'.repeat(175_000)}</EventData></Event>`;
    writeFileSync(file, `${bomb}\n${good}`);
    const r = await runMeasured(['hunt', file, '--json']);
    t.diagnostic(describeRun('1 MB line of <Data>', r));
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stderr, new RegExp(`${file.replaceAll('/', '\\/')}:1\\b`));
    assert.equal(alerts(r.stdout).length, 1);
  });

  it('a megabyte of attacker text in command lines and images, and a config regex built to backtrack', {
    timeout: 120_000,
  }, async (t) => {
    const file = join(dir, 'long.json');
    writeFlatFile(file, { events: 2000, hosts: 3, time: (i) => T0 + i * 100 });
    const hostile = (cmd: string, image: string) =>
      JSON.stringify({
        '@timestamp': new Date(T0 + 1).toISOString(),
        EventID: 1,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Hostname: 'WS-0001.corp.example',
        ProcessGuid: '{00000001-0000-4000-8000-000000999999}',
        ProcessId: '999',
        Image: image,
        CommandLine: cmd,
        ParentProcessGuid: '{00000001-0000-4000-8000-000000000001}',
        ParentImage: 'C:\\Users\\u1\\Downloads\\AnyDesk.exe',
      });
    const mb = 1 << 20;
    const lines = [
      hostile(
        `powershell ${'-e '.repeat(mb / 3)}`,
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      ),
      hostile(`cmd /c ${'a'.repeat(mb)}!`, `C:\\${'a'.repeat(mb)}!`),
      hostile(`${'\\\\'.repeat(mb / 2)}"`, `C:\\${'/'.repeat(mb)}`),
      hostile(`${'%COMSPEC% '.repeat(mb / 10)}`, 'C:\\Windows\\System32\\cmd.exe'),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { flag: 'a' });
    const config = join(dir, 'backtrack.yaml');
    writeFileSync(
      config,
      'ProcessAllowlist:\n  - image: "(a+)+$"\nSuspiciousChildProcesses: ["(a+)+$", "(x+x+)+y", "cmd\\\\.exe$"]\nUserContext:\n  AdminUsers: ["(.*a){12}"]\n',
    );
    const r = await runMeasured(['hunt', '-c', config, file, '--json']);
    t.diagnostic(describeRun('1 MB hostile command lines and backtracking config regexes', r));
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.equal(alerts(r.stdout).length, 3, r.stderr);
  });

  it('a config regex the linear engine cannot run: exit 2, the file and the construct named', {
    timeout: 60_000,
  }, async () => {
    const config = join(dir, 'lookaround.yaml');
    writeFileSync(config, 'UserContext:\n  SupportHosts: ["(?!jump)host", "(a)\\\\1"]\n');
    const r = await runMeasured(['hunt', '-c', config, EXAMPLES]);
    assert.equal(r.code, EXIT.usage, r.stderr);
    assert.match(r.stderr, /lookaround.*linear time/);
    assert.ok(r.stderr.includes(config), r.stderr);
  });
});
