// `ratchain watch` writes the same outputs hunt does, through the sink registry: OCSF lines that
// validate against the generated OCSF 1.8.0 schema (one per revision) and a timeline whose rows
// never repeat across a finding's revisions, with one header.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { schemaCheck } from '../support/json-schema.ts';
import { watchUntilFourSteps } from '../support/watch-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-live-outputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('watch --ocsf --timeline: schema-valid OCSF per revision, each timeline row once', async () => {
  const input = join(dir, 'in.xml');
  const ocsf = join(dir, 'f.ocsf.ndjson');
  const timeline = join(dir, 't.csv');
  writeFileSync(input, `${fleetLines({ hosts: 3 }).join('\n')}\n`);
  const { code, log } = await watchUntilFourSteps([
    input,
    '--ocsf',
    ocsf,
    '--timeline',
    timeline,
    '--idle-flush',
    '50ms',
    '--poll',
    '50ms',
  ]);
  assert.equal(code, 0, log);
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
