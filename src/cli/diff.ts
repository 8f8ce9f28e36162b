// `ratchain diff`: the same logs hunted under two configs, or a config without and with a rule
// pack file (or with each of two), in one pass over the events; prints what changed and exits 1
// when a finding at or above --fail-on appears or disappears.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crossings, diffFindings } from '../backtest/diff.ts';
import { type DiffSides, diffRecords, diffText } from '../backtest/report.ts';
import type { Config } from '../config/schema.ts';
import { huntEach } from '../hunt.ts';
import { formatRuleProblem, loadRules } from '../rules/load.ts';
import type { DiffFlags } from './commands/diff.ts';
import { configWithFlags, loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import { knownFormat } from './formats.ts';
import { checkOutputs, startProgress } from './hunt-exports.ts';
import { inputReport, noReadableInput } from './input-report.ts';
import type { CliIO } from './io.ts';

interface Side {
  label: string;
  config: string | undefined;
  rules?: string;
}

/** The two sides the flags ask for, or why they ask for none. */
export function diffSides(configs: string[], rules: string[]): [Side, Side] | string {
  if (configs.length > 2 || rules.length > 2) return 'give at most two configs and at most two --rules files';
  if (configs.length === 2) {
    if (rules.length)
      return 'compare two configs (-c old -c new) or rule packs under one config (--rules), not both';
    return [
      { label: configs[0], config: configs[0] },
      { label: configs[1], config: configs[1] },
    ];
  }
  const base = configs[0];
  const name = base ?? 'the default config';
  if (rules.length === 1)
    return [
      { label: name, config: base },
      { label: `${name} + ${rules[0]}`, config: base, rules: rules[0] },
    ];
  if (rules.length === 2)
    return [
      { label: `${name} + ${rules[0]}`, config: base, rules: rules[0] },
      { label: `${name} + ${rules[1]}`, config: base, rules: rules[1] },
    ];
  return 'give two configs (-c old.yaml -c new.yaml), or --rules FILE to compare a rule pack file';
}

/** A side's config: loaded, the pack file added to its Rules.Files and checked, flags applied. */
async function sideConfig(side: Side, o: DiffFlags, io: CliIO): Promise<Config | undefined> {
  const loaded = await loadConfigOrExit(side.config, io);
  if (!loaded) return undefined;
  let config = await configWithFlags(loaded, o, io);
  if (!config || !side.rules) return config;
  const Rules = { ...config.Rules, Files: [...config.Rules.Files, resolve(side.rules)] };
  const { problems } = loadRules(Rules, side.config);
  for (const p of problems) io.stderr.write(`ratchain: rules ${formatRuleProblem(p)}\n`);
  if (problems.length) return undefined;
  config = { ...config, Rules };
  return config;
}

export async function runDiffCommand(inputs: string[], o: DiffFlags, io: CliIO): Promise<number> {
  if (!knownFormat(o.format, io)) return EXIT.usage;
  checkOutputs([o.output]);
  const sides = diffSides(o.config, o.rules);
  if (typeof sides === 'string') {
    io.stderr.write(`ratchain diff: ${sides} (see \`ratchain diff --help\`)\n`);
    return EXIT.usage;
  }
  const configs: Config[] = [];
  for (const side of sides) {
    const c = await sideConfig(side, o, io);
    if (!c) return EXIT.usage;
    configs.push(c);
  }
  const catalogs = await Promise.all(configs.map((config) => loadCatalogOrReport(config, io, o.catalog)));
  const report = inputReport(io);
  const progress = startProgress(inputs, o, io);
  const [before, after] = await huntEach(
    {
      paths: inputs,
      format: o.format,
      defaultHost: o.host,
      onProblem: report.onProblem,
      onBytes: progress.bytes,
      onEvent: progress.event,
    },
    configs.map((config, i) => ({ config, catalog: catalogs[i] })),
  ).finally(progress.stop);
  report.finish(before.summary);
  const bad = noReadableInput(before.summary, io);
  if (bad !== undefined) return bad;

  const diff = diffFindings(before.findings, after.findings);
  const labels: DiffSides = { before: sides[0].label, after: sides[1].label };
  const ndjson = () =>
    diffRecords(diff, labels)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join('');
  if (o.output) writeFileSync(o.output, ndjson());
  if (o.json) io.stdout.write(ndjson());
  else if (!o.quiet)
    io.stdout.write(
      diffText(diff, labels, o.color !== false && io.stdout.isTTY === true && !process.env.NO_COLOR),
    );
  if (o.failOn && crossings(diff, o.failOn).length) return EXIT.findings;
  return EXIT.ok;
}
