// `ratchain watch`: its options; the work is in ../watch.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export interface WatchFlags {
  config?: string;
  format?: string;
  output?: string;
  reorder: string;
  idleFlush: string;
  poll: string;
  fromEnd?: boolean;
  quiet?: boolean;
}

export function watchCommand(ctx: CliContext): Command {
  return new Command('watch')
    .description('follow files (appends, rotation, truncation) or stdin (-) and report chains as they happen')
    .argument('<inputs...>', 'files to follow (they may not exist yet), directories, globs, or - for stdin')
    .option('-c, --config <file>', 'YAML config (see `ratchain config init`)')
    .option('-f, --format <id>', 'force the input format instead of detecting it (`ratchain formats`)')
    .option('-o, --output <file>', 'append findings as NDJSON to this file (default: stdout)')
    .option('--reorder <duration>', 'event-time window to restore order across inputs', '5s')
    .option('--idle-flush <duration>', 'release held events after this long without input', '1s')
    .option('--poll <duration>', 'how often followed files are checked', '250ms')
    .option('--from-end', 'start at the end of existing files (like tail -f)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .action(async (inputs: string[], o: WatchFlags) => {
      const { runWatchCommand } = await import('../watch.ts');
      ctx.exitCode = await runWatchCommand(inputs, o, ctx);
    });
}
