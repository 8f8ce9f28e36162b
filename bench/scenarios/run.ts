// Runs the real hunt on one scenario folder, with the folder's config and hunt options as the
// command line would apply them, and judges the findings against its truth.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadCatalog } from '../../src/catalog/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { RunSummary } from '../../src/model/run-summary.ts';
import { judge, type Verdict } from './judge.ts';
import { loadTruth, TRUTH_FILE, type Truth } from './truth.ts';

export interface ScenarioResult extends Verdict {
  name: string;
  truth: Truth;
  findings: Finding[];
  summary: RunSummary;
  problems: Problem[];
}

/** Every scenario folder under `root` (a folder with a truth.yaml), sorted by name. */
export function scenarioDirs(root: string): string[] {
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory())
    .filter((n) => readdirSync(join(root, n)).includes(TRUTH_FILE))
    .sort()
    .map((n) => join(root, n));
}

/** The scenario's log files: everything in the folder but its truth. */
export function logFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...logFiles(p));
    else if (name !== TRUTH_FILE) out.push(p);
  }
  return out;
}

/** The ratchain config a scenario's truth states (its `config`, with `args.minSteps` applied). */
export function scenarioConfig(dir: string, truth: Truth = loadTruth(dir)): Config {
  const configFile = join(dir, TRUTH_FILE);
  const settings = { ...truth.config };
  if (truth.args.minSteps !== undefined) settings.MinSteps = truth.args.minSteps;
  if (Array.isArray(settings.Catalogs))
    settings.Catalogs = settings.Catalogs.map((c) => resolve(dir, String(c)));
  const parsed = parseConfig(stringify(settings), configFile);
  if (!parsed.ok)
    throw new Error(
      `${configFile}: config: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  return parsed.config;
}

export async function runScenario(dir: string): Promise<ScenarioResult> {
  const truth = loadTruth(dir);
  const config = scenarioConfig(dir, truth);
  const problems: Problem[] = [];
  const { findings, summary } = await hunt({
    paths: logFiles(dir),
    config,
    catalog: loadCatalog(config.Catalogs).catalog,
    format: truth.args.format,
    defaultHost: truth.args.host,
    onProblem: (p) => problems.push(p),
  });
  const name = dir.split(/[\\/]/).pop() ?? dir;
  return { name, truth, findings, summary, problems, ...judge(truth, findings) };
}

/** One line for the scorer's output. */
export function resultLine(r: ScenarioResult): string {
  const alerts = r.findings.filter((f) => f.status === 'alert').length;
  const head = `${r.right ? 'right' : 'WRONG'}  ${r.name}  expected ${r.matched}/${r.truth.expect.length}, alerts ${alerts}, events ${r.summary.events}, problems ${r.problems.length}`;
  return r.right ? head : `${head}: ${r.wrong.join('; ')}`;
}
