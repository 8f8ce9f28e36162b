// `ratchain diff`: its options; the work is in ../diff.ts, loaded when the command runs.
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../model/finding.ts';
import type { CliContext } from '../io.ts';
import { count } from './values.ts';

export interface DiffFlags {
  config: string[];
  rules: string[];
  format?: string;
  host?: string;
  minSteps?: number;
  catalog?: string[];
  json?: boolean;
  output?: string;
  quiet?: boolean;
  failOn?: Severity;
  color?: boolean;
}

const collect = (v: string, all: string[]) => [...all, v];

export function diffCommand(ctx: CliContext): Command {
  return new Command('diff')
    .description(
      'hunt the same logs under two configs (or rule packs) and print the findings added, removed and changed',
    )
    .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin')
    .option(
      '-c, --config <file>',
      'a config: give two (-c old.yaml -c new.yaml), or one with --rules',
      collect,
      [],
    )
    .option(
      '--rules <file>',
      'a rule pack file: one compares the config without and with it, two compare them',
      collect,
      [],
    )
    .option('-f, --format <id>', 'force the input format instead of detecting it (`ratchain formats`)')
    .option('--host <name>', 'host for records that name none (eslogger, auditd without node=)')
    .option('--min-steps <n>', 'steps needed to report a chain, on both sides', count('--min-steps'))
    .option('--catalog <file...>', 'extra catalogue files, on both sides')
    .option('--json', 'print the differences as NDJSON on stdout instead of the report')
    .option('-o, --output <file>', 'also write the differences as NDJSON to this file')
    .option('-q, --quiet', 'print nothing but problems; use with -o or the exit code')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding at or above this severity appears or disappears',
      ).choices([...SEVERITIES]),
    )
    .option('--no-color', 'never colour the report')
    .action(async (inputs: string[], o: DiffFlags) => {
      const { runDiffCommand } = await import('../diff.ts');
      ctx.exitCode = await runDiffCommand(inputs, o, ctx);
    });
}
