// `ratchain watch` writes the same outputs hunt does, through the sink registry: OCSF lines that
// validate against the generated OCSF 1.8.0 schema (one per revision) and a timeline whose rows
// never repeat across a finding's revisions, with one header.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { builtCli } from '../support/cli.ts';
import { schemaCheck } from '../support/json-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-live-outputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('watch --ocsf --timeline: schema-valid OCSF per revision, each timeline row once', async () => {
  const input = join(dir, 'in.xml');
  const ocsf = join(dir, 'f.ocsf.ndjson');
  const timeline = join(dir, 't.csv');
  writeFileSync(input, `${fleetLines({ hosts: 3 }).join('\n')}\n`);
  const child = spawn(
    process.execPath,
    [
      builtCli(),
      'watch',
      input,
      '--ocsf',
      ocsf,
      '--timeline',
      timeline,
      '--idle-flush',
      '50ms',
      '--poll',
      '50ms',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (/4-step/.test(log)) resolve();
      });
      child.once('exit', () => reject(new Error(`watch exited early: ${log}`)));
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0, log);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const check = schemaCheck('ocsf-detection-finding.schema.json');
  const docs = readFileSync(ocsf, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(docs.length >= 3);
  for (const d of docs) assert.deepEqual(check(d), [], d.finding_info.title);
  assert.ok(
    docs.some((d) => d.activity_name === 'Update'),
    'updates are appended as they come',
  );
  const rows = readFileSync(timeline, 'utf8').trim().split('\n');
  assert.equal(rows.filter((r) => r.startsWith('datetime,')).length, 1);
  assert.equal(new Set(rows).size, rows.length, 'no row twice');
});
