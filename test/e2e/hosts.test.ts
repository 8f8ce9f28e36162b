// Every event has a host, or the run summary says which inputs had none and why: on the real
// telemetry in ../shared/data, and on a collection folder where auditd writes no node= and the
// journal beside it names the machine.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import { renderSummary } from '../../src/sinks/terminal.ts';
import { needsData, REPO_ROOT, SHARED, sharedData } from '../support/data.ts';

const DATA = sharedData('.');

async function huntWithHosts(paths: string[], defaultHost?: string) {
  const hostless = new Map<string, number>();
  const r = await hunt({
    paths,
    config: configSchema.parse({ MinSteps: 2 }),
    catalog: builtinCatalog(),
    defaultHost,
    onProblem() {},
    onEvent(e) {
      if (!e.host) hostless.set(e.src.file, (hostless.get(e.src.file) ?? 0) + 1);
    },
  });
  return { ...r, hostless };
}

test(
  'real data: no host is "unknown" without the run summary saying which input and why',
  needsData(DATA),
  async () => {
    const { findings, summary, hostless } = await huntWithHosts([join(SHARED, 'data')]);
    const none = new Map(summary.hosts.filter((h) => h.how === 'none').map((h) => [h.input, h]));
    for (const [input, n] of hostless) {
      const note = none.get(input);
      assert.ok(note, `${input}: ${n} events without a host and no note in the run summary`);
      assert.equal(note.records, n);
      assert.match(note.detail, /^no host: .+; use --host$/);
    }
    for (const f of findings.filter((x) => x.host.toLowerCase() === 'unknown')) {
      const files = f.steps.flatMap((s) => s.evidence.map((e) => e.src.file));
      assert.ok(
        files.some((file) => none.has(file)),
        `finding on "unknown" from ${files.join(', ')}`,
      );
    }
    // The report prints every note, so a responder sees it (wrapped to the width: compare unwrapped).
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    const text = squeeze(renderSummary(summary, false));
    for (const h of summary.hosts)
      assert.ok(text.includes(squeeze(`${h.input}: ${h.records} records named no host`)));
    // Given --host, nothing is hostless and the summary says the host came from the flag.
    const flagged = await huntWithHosts([join(SHARED, 'data/tmc-misc-eslog')], 'mbp-lab');
    assert.equal(flagged.hostless.size, 0);
    assert.ok(flagged.summary.hosts.length > 0);
    assert.ok(flagged.summary.hosts.every((h) => h.how === 'flag' && h.host === 'mbp-lab'));
  },
);

test('auditd without node= takes the host the journal beside it names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-hosts-'));
  try {
    const audit = readFileSync(join(REPO_ROOT, 'test/fixtures/linux/relay-agent.audit.log'), 'utf8');
    writeFileSync(join(dir, 'audit.log'), audit.replace(/^node=\S+ /gm, ''));
    writeFileSync(
      join(dir, 'journal.json'),
      readFileSync(join(REPO_ROOT, 'test/fixtures/linux-formats/app07.journal.json'), 'utf8'),
    );
    const { findings, summary, hostless } = await huntWithHosts([dir]);
    assert.equal(hostless.size, 0);
    assert.deepEqual(
      summary.hosts.map((h) => [h.input, h.host, h.how]),
      [[join(dir, 'audit.log'), 'app07', 'sibling']],
    );
    assert.ok(findings.some((f) => f.host === 'app07' && f.agent.images.includes('/tmp/.x/relayd')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
