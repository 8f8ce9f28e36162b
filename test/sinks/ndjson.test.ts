// A finding's JSON with each evidence record's text written once must be JSON.stringify's own,
// character for character: on every golden finding, on hostile text, on members left undefined,
// and on a later revision that repeats the records of an earlier one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Evidence, Finding } from '../../src/model/finding.ts';
import { findingJson, findingLine } from '../../src/sinks/ndjson.ts';
import { fullChain } from '../support/findings.ts';

const GOLDEN = join(import.meta.dirname, '..', 'golden');

function goldenFindings(): Finding[] {
  return readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.findings.ndjson'))
    .flatMap((f) =>
      readFileSync(join(GOLDEN, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Finding),
    );
}

describe('findingJson', () => {
  it('writes every golden finding as JSON.stringify does', () => {
    const all = goldenFindings();
    assert.ok(all.length >= 20, `${all.length} golden findings`);
    for (const f of all) assert.equal(findingJson(f), JSON.stringify(f), f.id);
  });

  it('keeps escapes, undefined members and key order as JSON.stringify does', () => {
    const f = fullChain();
    const hostile = '"\\\u0000\u001b[31m\u2028</script>💥 steps":[';
    f.title = hostile;
    f.user = undefined;
    f.steps[0].summary = hostile;
    f.steps[0].link = undefined;
    f.steps[0].evidence.push({ time: -0, summary: hostile, src: { file: hostile, format: 'x' } } as Evidence);
    f.steps[1].evidence = [];
    assert.equal(findingJson(f), JSON.stringify(f));
    assert.equal(findingLine(f), `${JSON.stringify(f)}\n`);
    assert.equal(findingJson({ ...f, steps: [] }), JSON.stringify({ ...f, steps: [] }));
  });

  it('writes a later revision right when it repeats records of an earlier one', () => {
    const first = fullChain();
    const shared = first.steps[0].evidence[0];
    assert.equal(findingJson(first), JSON.stringify(first));
    const next: Finding = {
      ...first,
      revision: first.revision + 1,
      steps: first.steps.map((s, i) => (i === 1 ? { ...s, evidence: [shared, ...s.evidence] } : s)),
    };
    assert.equal(findingJson(next), JSON.stringify(next));
    assert.ok(findingJson(next).split(JSON.stringify(shared)).length - 1 >= 2, 'the record appears twice');
  });
});
