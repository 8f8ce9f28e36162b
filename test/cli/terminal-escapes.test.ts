// Log fields carrying terminal escape sequences (OSC title, clear screen) reach every
// human-readable output escaped: the report, `explain`, and the problem and log lines on stderr.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-escapes-'));
const HOSTILE = '\u001b]0;owned\u0007\u001b[2J';
const file = join(dir, 'hostile.xml');
writeFileSync(
  file,
  readFileSync(join(REPO_ROOT, 'examples/windows/ws-fin-07-sysmon.xml'), 'utf8')
    .replaceAll('WS-FIN-07.corp.example', `WS-FIN-07${HOSTILE}`)
    .replaceAll('AnyDesk.exe&quot;', `AnyDesk.exe&quot; ${HOSTILE}`),
);
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('the report, the NDJSON explain reads, and explain print no raw control character', async () => {
  const report = await runCli('hunt', file, '--no-color');
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /\\x1b\[2J/, 'shown escaped');
  assert.doesNotMatch(report.stdout, raw);
  const out = join(dir, 'f.ndjson');
  await runCli('hunt', file, '-q', '-o', out);
  const id = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]).id as string;
  const explained = await runCli('explain', id, '--findings', out);
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /\\x1b/);
  assert.doesNotMatch(explained.stdout, raw);
});

test('stderr lines quoting a file name or a field are escaped', async () => {
  const r = await runCli('hunt', join(dir, `missing${HOSTILE}.log`));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing\\x1b\]0;owned\\x07/);
  assert.doesNotMatch(r.stderr, raw);
});
