// docs/severity.md is the severity table responders read: every reason code the engine emits on
// the golden findings and the scenario corpus must be in it, and every finding's level must be
// traceable from its reasons (their deltas sum to the score; the last reason names the level).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScenario, scenarioDirs } from '../../bench/scenarios/run.ts';
import type { Finding } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';

const doc = readFileSync(join(REPO_ROOT, 'docs/severity.md'), 'utf8');
const documented = new Set([...doc.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));

async function allFindings(): Promise<Finding[]> {
  const golden = join(REPO_ROOT, 'test/golden');
  const out: Finding[] = [];
  for (const f of readdirSync(golden).filter((n) => n.endsWith('.findings.ndjson')))
    for (const line of readFileSync(join(golden, f), 'utf8').split('\n'))
      if (line) out.push(JSON.parse(line) as Finding);
  for (const dir of scenarioDirs(join(REPO_ROOT, 'test/scenarios')))
    out.push(...(await runScenario(dir)).findings);
  return out;
}

test('every reason code on the golden findings and the scenario corpus is in docs/severity.md', async () => {
  const findings = await allFindings();
  assert.ok(findings.length > 40, `${findings.length} findings`);
  const codes = new Set(findings.flatMap((f) => f.reasons.map((r) => r.code)));
  const missing = [...codes].filter((c) => !documented.has(c));
  assert.deepEqual(missing, [], 'reason codes missing from docs/severity.md');
});

test("every finding's level is traced by its reasons: deltas sum to the score, the last reason names the level", async () => {
  for (const f of await allFindings()) {
    const sum = f.reasons.reduce((n, r) => n + r.delta, 0);
    assert.equal(Math.max(0, Math.min(100, sum)), f.score, f.title);
    const last = f.reasons[f.reasons.length - 1];
    assert.equal(last.code, 'severity', f.title);
    assert.match(last.text, new RegExp(`→ ${f.severity}\\b`), f.title);
  }
});
