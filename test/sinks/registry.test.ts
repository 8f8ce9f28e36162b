// The sink registry as the live modes use it: stream outputs append one whole record per write and
// never repeat a timeline row across revisions; documents keep the latest revision and are written
// at close; hunt writes each file afresh; outputs that cannot be written fail with the file named.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { RunError } from '../../src/model/run-error.ts';
import { openOutputs } from '../../src/sinks/registry.ts';
import { fullChain } from '../support/findings.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-sinks-'));
const ctx = { stdout: { write: () => true } };
const lines = (p: string) => readFileSync(p, 'utf8').trim().split('\n');

/** The first revision holds two steps; the update adds the other two. */
function revisions(): [Finding, Finding] {
  const full = fullChain({ revision: 1 });
  const first = fullChain({
    revision: 0,
    steps: full.steps.map((s, i) => (i < 2 ? s : { ...s, seen: false, evidence: [] })),
  });
  return [first, full];
}

describe('sink registry', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('live: appends NDJSON and OCSF lines, and a timeline row per record only once', () => {
    const files = { nd: join(dir, 'f.ndjson'), ocsf: join(dir, 'f.ocsf.ndjson'), tl: join(dir, 't.csv') };
    writeFileSync(files.nd, '{"already":"there"}\n');
    const out = openOutputs(
      [
        { sink: 'ndjson', path: files.nd },
        { sink: 'ocsf', path: files.ocsf },
        { sink: 'timeline', path: files.tl },
      ],
      { ...ctx, live: true },
    );
    const [a, b] = revisions();
    out.write(a);
    out.write(b);
    out.close();
    assert.equal(lines(files.nd).length, 3, 'appended after what was there');
    assert.deepEqual(
      lines(files.ocsf).map((l) => JSON.parse(l).activity_name),
      ['Create', 'Update'],
    );
    const rows = lines(files.tl);
    assert.equal(rows.length, 1 + 1 + 1 + 5 + 1, 'header, then each record once');
    const again = openOutputs([{ sink: 'timeline', path: files.tl }], { ...ctx, live: true });
    again.write(b);
    again.close();
    assert.equal(lines(files.tl).filter((l) => l.startsWith('datetime,')).length, 1, 'no second header');
  });

  it('documents keep the latest revision of each finding', () => {
    const p = join(dir, 'layer.json');
    const out = openOutputs([{ sink: 'navigator', path: p }], { ...ctx, live: true });
    const [a, b] = revisions();
    out.write(b);
    out.write(a);
    out.close();
    const layer = JSON.parse(readFileSync(p, 'utf8'));
    assert.match(
      layer.techniques.find((t: { techniqueID: string }) => t.techniqueID === 'T1219').comment,
      /^1 finding/,
    );
  });

  it('hunt writes each file afresh', () => {
    const p = join(dir, 'fresh.ndjson');
    writeFileSync(p, 'old\nold\n');
    const out = openOutputs([{ sink: 'ndjson', path: p }], { ...ctx, live: false });
    out.write(fullChain());
    out.close();
    assert.equal(lines(p).length, 1);
  });

  it('fails with the file named when an output cannot be created', () => {
    const p = join(dir, 'missing', 'x.ndjson');
    assert.throws(
      () => openOutputs([{ sink: 'ocsf', path: p }], { ...ctx, live: false }),
      (e: unknown) => e instanceof RunError && e.kind === 'output' && e.at.file === p,
    );
    assert.throws(
      () => openOutputs([{ sink: 'timeline', path: join(dir, 't.xlsx') }], { ...ctx, live: false }),
      (e: unknown) => e instanceof RunError && e.kind === 'usage',
    );
  });
});
