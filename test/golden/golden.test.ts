// Golden findings: every example, every fixture group and one fixed simulated fleet, hunted with a
// fixed config, must give exactly the findings recorded under test/golden/*.findings.ndjson (ids,
// scores, reasons, evidence). They guard every refactor: a change that moves a finding shows up
// here as a diff. When a change is meant, regenerate with
//
//   UPDATE_GOLDEN=1 npm test -- test/golden/golden.test.ts
//
// and commit the diff of the .ndjson files with the change that caused it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { REPO_ROOT } from '../support/data.ts';

const GOLDEN = join(REPO_ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const fx = (p: string) => join(REPO_ROOT, 'test/fixtures', p);

// The Linux fixtures' hosts as the Zeek sensor sees them (the same aliases test/e2e/linux uses).
const LINUX_HOSTS = { '10.0.0.5': 'web01', '10.0.0.6': 'dev02', '10.0.0.7': 'db03', '10.0.0.8': 'app04' };

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

interface GoldenCase {
  name: string;
  paths: string[];
  config: Record<string, unknown>;
}

const CASES: GoldenCase[] = [
  { name: 'examples', paths: [join(REPO_ROOT, 'examples')], config: {} },
  {
    name: 'fixtures-linux',
    paths: [fx('linux'), fx('network/linux-hosts.conn.log'), fx('network/web05.conn.ndjson')],
    config: { HostAliases: LINUX_HOSTS, MinSteps: 1 },
  },
  { name: 'fixtures-macos', paths: [fx('macos')], config: { MinSteps: 1 } },
  { name: 'fixtures-windows', paths: [fx('windows')], config: { MinSteps: 1 } },
];

describe('golden findings', () => {
  for (const c of CASES) {
    test(`${c.name}: findings equal test/golden/${c.name}.findings.ndjson`, async () => {
      const { findings } = await hunt({
        paths: c.paths,
        config: configSchema.parse(c.config),
        catalog: builtinCatalog(),
      });
      assert.ok(findings.length > 0, 'every golden case has findings to guard');
      compare(c.name, serialize(findings, [[`${REPO_ROOT}/`, '']]));
    });
  }

  const out = mkdtempSync(join(tmpdir(), 'ratchain-golden-fleet-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  test('a fixed simulated fleet (seed 7, 24 hosts, 1 day): findings equal fleet.findings.ndjson', async () => {
    const sim = simulate({ hosts: 24, days: 1, seed: 7, out, rate: 150 });
    const loaded = loadConfig(join(out, 'ratchain.yaml'));
    assert.ok(loaded.ok, 'the generated config loads');
    const { findings } = await hunt({
      paths: [sim.logDir],
      config: { ...loaded.config, MinSteps: 2 },
      catalog: builtinCatalog(),
    });
    assert.ok(findings.length > 0);
    compare('fleet', serialize(findings, [[`${out}/`, '<fleet>/']]));
  });
});
