// `ratchain explain ID --findings FILE`: picks the finding by id or unique prefix (latest revision)
// and reads the NDJSON that `hunt -o` writes, skipping lines that are not findings.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pickFinding, readFindings } from '../../src/cli/explain.ts';
import { fullChain, partialChain } from '../support/findings.ts';

describe('explain command', () => {
  it('finds a finding by unique id prefix and keeps its latest revision', () => {
    const list = [fullChain(), fullChain({ revision: 2, score: 90 }), partialChain()];
    const f = pickFinding(list, 'cdd8');
    assert.equal(typeof f, 'object');
    assert.equal((f as { revision: number }).revision, 2);
  });

  it('refuses an ambiguous prefix and an unknown id with a message', () => {
    const list = [fullChain({ id: 'ab01' }), partialChain({ id: 'ab02' })];
    assert.match(pickFinding(list, 'ab') as string, /"ab" matches 2 findings \(ab01, ab02\)/);
    assert.match(pickFinding(list, 'zz') as string, /no finding with id "zz" among 2/);
  });

  it('reads findings NDJSON and reports bad lines by number', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ratchain-explain-')), 'f.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify(fullChain())}\nnot json\n{"x":1}\n\n${JSON.stringify(partialChain())}\n`,
    );
    const bad: number[] = [];
    const found = await readFindings(file, (line) => bad.push(line));
    assert.deepEqual(
      found.map((f) => f.id),
      [fullChain().id, partialChain().id],
    );
    assert.deepEqual(bad, [2, 3]);
  });
});
