// `ratchain hunt`: its options; the work is in ../hunt.ts, loaded when the command runs.
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../model/finding.ts';
import type { CliContext } from '../io.ts';
import { count } from './values.ts';

export interface HuntFlags {
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

export function huntCommand(ctx: CliContext): Command {
  return new Command('hunt')
    .description('hunt files, directories, globs or stdin (-) for remote-access-tool chains')
    .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin')
    .option('-c, --config <file>', 'YAML config (see `ratchain config init`)')
    .option('-f, --format <id>', 'force the input format instead of detecting it (`ratchain formats`)')
    .option(
      '--host <name>',
      'host for records that name none (eslogger, auditd without node=); else the file name or sibling inputs',
    )
    .option(
      '--min-steps <n>',
      'steps needed to report a chain (3 alerts; 2 adds low signals)',
      count('--min-steps'),
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
    .action(async (inputs: string[], o: HuntFlags) => {
      const { runHuntCommand } = await import('../hunt.ts');
      ctx.exitCode = await runHuntCommand(inputs, o, ctx);
    });
}
