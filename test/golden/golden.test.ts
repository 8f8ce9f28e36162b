// Golden findings: every example, every fixture group and one fixed simulated fleet, hunted with a
// fixed config, must give exactly the findings recorded under test/golden/*.findings.ndjson (ids,
// scores, reasons, evidence). They guard every refactor: a change that moves a finding shows up
// here as a diff. When a change is meant, regenerate with
//
//   UPDATE_GOLDEN=1 npm test -- test/golden/golden.test.ts
//
// and commit the diff of the .ndjson files with the change that caused it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { CORPUS_CASES, FLEET, huntCase, huntFleet } from '../support/corpus.ts';
import { REPO_ROOT } from '../support/data.ts';

const GOLDEN = join(REPO_ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** One finding per line, with machine-specific path prefixes replaced so the file is portable. */
function serialize(findings: Finding[], prefixes: Array<[string, string]>): string {
  const sorted = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.revision - b.revision));
  let text = sorted.map((f) => JSON.stringify(f)).join('\n');
  for (const [from, to] of prefixes) text = text.split(from).join(to);
  return text + (sorted.length ? '\n' : '');
}

function compare(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.findings.ndjson`);
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  const expected = readFileSync(file, 'utf8');
  if (actual === expected) return;
  // Compare line by line so the failure names the finding that moved, not a 100 kB string.
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i])
      assert.deepEqual(
        a[i] ? JSON.parse(a[i]) : a[i],
        e[i] ? JSON.parse(e[i]) : e[i],
        `${file}, line ${i + 1}`,
      );
  }
  assert.equal(a.length, e.length, `${file}: number of findings`);
}

describe('golden findings', () => {
  for (const c of CORPUS_CASES) {
    test(`${c.name}: findings equal test/golden/${c.name}.findings.ndjson`, async () => {
      const findings = await huntCase(c);
      assert.ok(findings.length > 0, 'every golden case has findings to guard');
      compare(c.name, serialize(findings, [[`${REPO_ROOT}/`, '']]));
    });
  }

  test(`a fixed simulated fleet (seed ${FLEET.seed}, ${FLEET.hosts} hosts, ${FLEET.days} day): findings equal fleet.findings.ndjson`, async () => {
    const { findings, dir } = await huntFleet();
    assert.ok(findings.length > 0);
    compare('fleet', serialize(findings, [[`${dir}/`, '<fleet>/']]));
  });
});
