// The findings the project guards: every example, every fixture group and one fixed simulated
// fleet, each hunted with a fixed config. The golden test byte-compares them; the schema tests
// validate every export of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { REPO_ROOT } from './data.ts';

const fx = (p: string) => join(REPO_ROOT, 'test/fixtures', p);

// The Linux fixtures' hosts as the Zeek sensor sees them (the same aliases test/e2e/linux uses).
const LINUX_HOSTS = { '10.0.0.5': 'web01', '10.0.0.6': 'dev02', '10.0.0.7': 'db03', '10.0.0.8': 'app04' };

export interface CorpusCase {
  name: string;
  paths: string[];
  config: Record<string, unknown>;
}

export const CORPUS_CASES: CorpusCase[] = [
  { name: 'examples', paths: [join(REPO_ROOT, 'examples')], config: {} },
  {
    name: 'fixtures-linux',
    paths: [fx('linux'), fx('network/linux-hosts.conn.log'), fx('network/web05.conn.ndjson')],
    config: { HostAliases: LINUX_HOSTS, MinSteps: 1 },
  },
  { name: 'fixtures-macos', paths: [fx('macos')], config: { MinSteps: 1 } },
  { name: 'fixtures-windows', paths: [fx('windows')], config: { MinSteps: 1 } },
];

/** The fixed fleet: seed 7, 24 hosts, 1 day, hunted with its generated config and MinSteps 2. */
export const FLEET = { hosts: 24, days: 1, seed: 7, rate: 150 };

export async function huntCase(c: CorpusCase): Promise<Finding[]> {
  const { findings } = await hunt({
    paths: c.paths,
    config: configSchema.parse(c.config),
    catalog: builtinCatalog(),
  });
  return findings;
}

/** Simulates the fixed fleet into a fresh directory, hunts it, and removes the directory. */
export async function huntFleet(): Promise<{ findings: Finding[]; dir: string }> {
  const out = mkdtempSync(join(tmpdir(), 'ratchain-fleet-'));
  try {
    const sim = simulate({ ...FLEET, out });
    const loaded = loadConfig(join(out, 'ratchain.yaml'));
    if (!loaded.ok) throw new Error('the generated fleet config does not load');
    const { findings } = await hunt({
      paths: [sim.logDir],
      config: { ...loaded.config, MinSteps: 2 },
      catalog: builtinCatalog(),
    });
    return { findings, dir: out };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
