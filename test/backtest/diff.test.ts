// The backtest's parts on their own: several engines fed by one pass of the events hunt exactly
// as one hunt each would, and two finding lists are compared chain by chain.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crossings, diffFindings } from '../../src/backtest/diff.ts';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt, huntEach } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';

const catalog = builtinCatalog();
const paths = [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test/fixtures/linux')];
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('huntEach', () => {
  test('two engines over one pass give what two separate hunts give (no state shared between them)', async () => {
    const base = configSchema.parse({});
    const signals = configSchema.parse({ MinSteps: 2 });
    const [a, b] = await huntEach({ paths, now: NOW }, [
      { config: base, catalog },
      { config: signals, catalog },
    ]);
    const alone = await hunt({ paths, now: NOW, config: base, catalog });
    const aloneSignals = await hunt({ paths, now: NOW, config: signals, catalog });
    assert.ok(a.findings.length >= 4);
    assert.ok(b.findings.length > a.findings.length, 'MinSteps 2 adds signals');
    assert.deepEqual(a.findings, alone.findings);
    assert.deepEqual(b.findings, aloneSignals.findings);
    assert.equal(a.summary.events, alone.summary.events, 'the events were read once for both');
  });
});

describe('diffFindings', () => {
  const sample = async (): Promise<Finding[]> =>
    (await hunt({ paths: [join(REPO_ROOT, 'examples')], now: NOW, config: configSchema.parse({}), catalog }))
      .findings;

  test('the same findings: all unchanged', async () => {
    const f = await sample();
    const d = diffFindings(f, await sample());
    assert.deepEqual([d.added, d.removed, d.changed, d.unchanged], [0, 0, 0, f.length]);
  });

  test('a chain whose first activity moved (a new id) is one changed finding, matched by host and agent', async () => {
    const before = await sample();
    const after = structuredClone(before);
    after[0].id = 'moved-first-activity';
    after[0].score -= 10;
    const d = diffFindings(before, after);
    assert.deepEqual([d.added, d.removed, d.changed], [0, 0, 1]);
    assert.equal(d.changes[0].before?.id, before[0].id);
    assert.equal(d.changes[0].after?.id, 'moved-first-activity');
  });

  test('a finding that is gone, and one that is new', async () => {
    const before = await sample();
    const after = structuredClone(before.slice(1));
    const extra = structuredClone(before[0]);
    extra.id = 'another';
    extra.host = 'elsewhere';
    extra.hostId = 'elsewhere';
    after.push(extra);
    const d = diffFindings(before, after);
    assert.deepEqual([d.added, d.removed, d.changed], [1, 1, 0]);
    assert.deepEqual(d.changes.map((c) => c.type).sort(), ['added', 'removed']);
    assert.equal(d.changes.find((c) => c.type === 'added')?.host, 'elsewhere');
  });

  test('crossings: a critical alert suppressed disappears at every level; a score change within critical crosses nothing', async () => {
    const before = await sample();
    const critical = before.find((f) => f.severity === 'critical')!;
    const suppressed = structuredClone(before);
    const s = suppressed.find((f) => f.id === critical.id)!;
    s.status = 'suppressed';
    s.severity = 'info';
    const d = diffFindings(before, suppressed);
    assert.equal(crossings(d, 'critical').length, 1);
    assert.equal(crossings(d, 'low').length, 1);
    const rescored = structuredClone(before);
    rescored.find((f) => f.id === critical.id)!.score -= 5;
    assert.equal(crossings(diffFindings(before, rescored), 'critical').length, 0);
  });
});
