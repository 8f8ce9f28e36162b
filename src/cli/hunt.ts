// `ratchain hunt`: wires options to the offline pipeline (src/hunt.ts) and the sinks.
import { createWriteStream, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { configSchema } from '../config/schema.ts';
import { hunt } from '../hunt.ts';
import type { Problem } from '../ingest/reader.ts';
import { type Finding, SEVERITIES, type Severity } from '../model/finding.ts';
import { findingLine } from '../sinks/ndjson.ts';
import { renderReport } from '../sinks/terminal.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import { startProgress, writeExports } from './hunt-exports.ts';

const MAX_PROBLEMS_SHOWN = 20;

function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function huntCommand(): Command {
  return new Command('hunt')
    .description('hunt files, directories, globs or stdin (-) for remote-access-tool chains')
    .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin')
    .option('-c, --config <file>', 'YAML config (see `ratchain config init`)')
    .option('-f, --format <id>', 'force the input format instead of detecting it')
    .option(
      '--host <name>',
      'host for records that name none (eslogger, auditd without node=); else the file name or sibling inputs',
    )
    .option('--min-steps <n>', 'steps needed to report a chain (3 alerts; 2 adds low signals)', (v) =>
      Number(v),
    )
    .option(
      '--internal <cidr...>',
      'internal networks (replaces the config/default list; "!cidr" carves out)',
    )
    .option('--catalog <file...>', 'extra catalogue files (ratchain format or LOLRMM rmm_tools.json)')
    .option('-o, --output <file>', 'write findings as NDJSON to this file')
    .option('--json', 'print findings as NDJSON on stdout instead of the report')
    .option('--ocsf <file>', 'write findings as OCSF 1.8.0 Detection Findings (NDJSON)')
    .option('--ecs <file>', 'write findings as ECS 8.11 alert documents (NDJSON)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('-q, --quiet', 'print nothing but problems; use with -o or the exit code')
    .addOption(
      new Option('--min-severity <severity>', 'report only findings at or above').choices([...SEVERITIES]),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').choices([
        ...SEVERITIES,
      ]),
    )
    .option('--no-color', 'never colour the report')
    .action(async (inputs: string[], o) => {
      process.exitCode = await runHuntCommand(inputs, o);
    });
}

interface HuntFlags {
  config?: string;
  format?: string;
  host?: string;
  minSteps?: number;
  internal?: string[];
  catalog?: string[];
  output?: string;
  ocsf?: string;
  ecs?: string;
  html?: string;
  json?: boolean;
  quiet?: boolean;
  minSeverity?: Severity;
  failOn?: Severity;
  color?: boolean;
}

export async function runHuntCommand(inputs: string[], o: HuntFlags): Promise<number> {
  const loaded = loadConfigOrExit(o.config);
  if (!loaded) return EXIT.usage;
  const config = { ...loaded };
  // Command-line overrides go through the same schema as the config file.
  const overrides: Array<[keyof typeof config, unknown, string]> = [];
  if (o.minSteps !== undefined) overrides.push(['MinSteps', o.minSteps, '--min-steps']);
  if (o.internal) overrides.push(['InternalNetworks', o.internal, '--internal']);
  for (const [key, value, flag] of overrides) {
    const r = configSchema.shape[key].safeParse(value);
    if (!r.success) {
      process.stderr.write(`ratchain: ${flag}: ${r.error.issues.map((i) => i.message).join('; ')}\n`);
      return EXIT.usage;
    }
    Object.assign(config, { [key]: r.data });
  }
  const catalog = loadCatalogOrReport(config, o.catalog);

  let shown = 0;
  let hidden = 0;
  const onProblem = (p: Problem) => {
    if (shown < MAX_PROBLEMS_SHOWN) {
      shown++;
      const pos = p.line !== undefined ? `:${p.line}` : p.offset !== undefined ? ` @${p.offset}` : '';
      process.stderr.write(`ratchain: ${p.file}${pos}${p.where ? ` (${p.where})` : ''}: ${p.message}\n`);
    } else hidden++;
  };

  const progress = startProgress(inputs, o);
  const { findings, summary } = await hunt({
    paths: inputs,
    config,
    catalog,
    format: o.format,
    defaultHost: o.host,
    onProblem,
    onBytes: progress.bytes,
    onEvent: progress.event,
  }).finally(progress.stop);
  for (const p of summary.inputProblems) process.stderr.write(`ratchain: ${p.file}: ${p.message}\n`);
  if (hidden) process.stderr.write(`ratchain: ... and ${hidden} more problems\n`);

  const min = o.minSeverity ? rank(o.minSeverity) : -1;
  const shownFindings = findings.filter((f) => rank(f.severity) >= min);
  if (o.output) writeFindings(o.output, shownFindings);
  writeExports(o, shownFindings, summary);
  if (o.json) {
    for (const f of shownFindings) process.stdout.write(findingLine(f));
  } else if (!o.quiet) {
    const color = o.color !== false && process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(`${renderReport(shownFindings, summary, color)}\n`);
  }
  if (summary.inputs.length === 0) return EXIT.usage;
  if (o.failOn && findings.some((f) => f.status !== 'suppressed' && rank(f.severity) >= rank(o.failOn!)))
    return EXIT.findings;
  return EXIT.ok;
}

function writeFindings(file: string, findings: Finding[]): void {
  if (file === '-') {
    for (const f of findings) process.stdout.write(findingLine(f));
    return;
  }
  writeFileSync(file, '');
  const out = createWriteStream(file);
  for (const f of findings) out.write(findingLine(f));
  out.end();
}
