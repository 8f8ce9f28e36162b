// `ratchain hunt`: its options; the work is in ../hunt.ts, loaded when the command runs.
import { Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '../../model/finding.ts';
import type { SinkId } from '../../sinks/sink-flags.ts';
import type { CliContext } from '../io.ts';
import { addInputOptions, type InputFlags } from './input-options.ts';
import { addSinkOptions } from './sink-options.ts';
import { count } from './values.ts';

export interface HuntFlags extends InputFlags {
  minSteps?: number;
  output?: string;
  ocsf?: string;
  ecs?: string;
  timeline?: string;
  navigator?: string;
  html?: string;
  json?: boolean;
  quiet?: boolean;
  minSeverity?: Severity;
  failOn?: Severity;
  color?: boolean;
}

/** The outputs hunt can write (the terminal report is its stdout). */
export const HUNT_SINKS: SinkId[] = ['ndjson', 'ocsf', 'ecs', 'timeline', 'navigator', 'html'];

export function huntCommand(ctx: CliContext): Command {
  const cmd = addInputOptions(
    new Command('hunt')
      .description('hunt files, directories, globs or stdin (-) for remote-access-tool chains')
      .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin'),
  )
    .option(
      '--min-steps <n>',
      'steps needed to report a chain (3 alerts; 2 adds low signals)',
      count('--min-steps'),
    )
    .option('--json', 'print findings as NDJSON on stdout instead of the report');
  addSinkOptions(cmd, HUNT_SINKS, 'write');
  return cmd
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
