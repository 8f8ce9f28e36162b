// `ratchain watch`: its options; the work is in ../watch.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';
import { addInputOptions, type InputFlags } from './input-options.ts';
import { addSinkOptions, LIVE_SINKS, type LiveOutputFlags } from './sink-options.ts';

export interface WatchFlags extends InputFlags, LiveOutputFlags {
  reorder: string;
  idleFlush: string;
  poll: string;
  fromEnd?: boolean;
  quiet?: boolean;
}

export function watchCommand(ctx: CliContext): Command {
  const cmd = addInputOptions(
    new Command('watch')
      .description(
        'follow files (appends, rotation, truncation) or stdin (-) and report chains as they happen',
      )
      .argument(
        '<inputs...>',
        'files to follow (they may not exist yet), directories, globs, or - for stdin',
      ),
  ).option('--reorder <duration>', 'event-time window to restore order across inputs', '5s');
  // Findings go to stdout as NDJSON when no output is named.
  return addSinkOptions(cmd, LIVE_SINKS, 'append')
    .option('--idle-flush <duration>', 'release held events after this long without input', '1s')
    .option('--poll <duration>', 'how often followed files are checked', '250ms')
    .option('--from-end', 'start at the end of existing files (like tail -f)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .action(async (inputs: string[], o: WatchFlags) => {
      const { runWatchCommand } = await import('../watch.ts');
      ctx.exitCode = await runWatchCommand(inputs, o, ctx);
    });
}
