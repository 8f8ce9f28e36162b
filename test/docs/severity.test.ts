// docs/severity.md is the severity table responders read: every reason code the engine emits on
// the golden findings and the scenario corpus must be in it, every finding's level must be
// traceable from its reasons (their deltas sum to the score; the last reason names the level),
// and every number on the page must be the one the built-in rule packs hold, so the page cannot
// drift from what the engine does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScenario, scenarioDirs } from '../../bench/scenarios/run.ts';
import { levelScore } from '../../src/engine/severity.ts';
import type { Finding } from '../../src/model/finding.ts';
import { fileName } from '../../src/model/paths.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { builtinRules } from '../../src/rules/load.ts';
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

/** The first number `re` captures in the page, or a failure naming what was looked for. */
function docNumber(re: RegExp, what: string): number {
  const m = re.exec(flat);
  assert.ok(m, `docs/severity.md states ${what}`);
  return Number(m[1]);
}

/** The page with its line breaks folded, so a sentence can be matched across lines. */
const flat = doc.replace(/\s*\n\s*/g, ' ');
const rules = compileRules(builtinRules(), fileName);

test('every delta in the tables is the weight the rule packs hold', () => {
  const rows = [...doc.matchAll(/^\| ((?:`[a-z_]+`(?:, )?)+) \| ([+-]\d+) \|/gm)];
  assert.ok(rows.length >= 15, `${rows.length} weight rows`);
  const weights: Record<string, number> = rules.score.weights;
  for (const [, codes, delta] of rows)
    for (const [, code] of codes.matchAll(/`([a-z_]+)`/g))
      assert.equal(Number(delta), weights[code], `${code}: page says ${delta}`);
  const documentedWeights = new Set(
    rows.flatMap(([, codes]) => [...codes.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])),
  );
  assert.deepEqual(
    Object.keys(weights).filter((c) => !documentedWeights.has(c)),
    [],
    'weights the page does not list',
  );
  const base = /^\| `steps` \| ([^|]+) \|/m
    .exec(doc)?.[1]
    .split('/')
    .map((x) => Number(x.trim()));
  assert.deepEqual(base, rules.score.byStepCount.slice(1), 'the step base');
});

test('the levels, the signal ceiling, F1 and the network-only thresholds are the packs’', () => {
  const levels = [...doc.matchAll(/^\| (\d+) (?:and above|to \d+) \| (\w+) \|/gm)].map(([, n, level]) => [
    level,
    Number(n),
  ]);
  assert.deepEqual(levels, rules.severity.levels);
  assert.match(flat, new RegExp(`at most \\*\\*${rules.severity.signalCeiling}\\*\\*`));
  const f1 = /raises the score to (\d+) \((\w+)\)/.exec(flat);
  assert.deepEqual(
    [Number(f1?.[1]), f1?.[2]],
    [levelScore(rules.severity.fullChain.level, rules.severity), rules.severity.fullChain.level],
  );
  assert.equal(
    docNumber(/within (\d+) seconds of one of the agent's processes starting/, 'the start window') * 1000,
    rules.egress.flowAfterStartMs,
  );
  const shared = /own ports \(not ([\d ,or]+)\)/
    .exec(flat)?.[1]
    .split(/,|or/)
    .map((x) => Number(x.trim()));
  assert.deepEqual(shared?.sort(), [...rules.egress.sharedPorts].sort());
});

test('the confidence terms in §7 and §8 are the packs’', () => {
  const c = rules.score.confidence;
  assert.equal(docNumber(/`confidence` \(([\d.]+)\.\.1\)/, 'the floor'), c.floor);
  assert.equal(docNumber(/bad it is: ([\d.]+), plus/, 'the base'), c.base);
  assert.equal(docNumber(/plus ([\d.]+) per step/, 'the per-step term'), c.per_step);
  assert.equal(
    docNumber(/minus ([\d.]+) when egress is only connection starts/, 'weak egress'),
    c.weak_egress_only,
  );
  assert.equal(docNumber(/([\d.]+) when it is only untied flows/, 'untied flows'), c.host_level_only);
  assert.equal(docNumber(/([\d.]+) when it is only flows tied by evidence/, 'tied flows'), c.attributed_only);
  assert.equal(
    docNumber(/([\d.]+) when images were linked only by product/, 'product links'),
    c.product_link,
  );
  assert.equal(docNumber(/confidence -([\d.]+); untied/, 'tied flows in §7'), c.attributed_only);
  assert.equal(
    docNumber(/untied host-level flows cost confidence -([\d.]+)/, 'untied flows in §7'),
    c.host_level_only,
  );
});
