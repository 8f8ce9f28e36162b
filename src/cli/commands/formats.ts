// `ratchain formats`: lists the input format ids; the work is in ../formats.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export function formatsCommand(ctx: CliContext): Command {
  return new Command('formats')
    .description('list the input formats ratchain recognises, with the ids --format takes')
    .action(async () => {
      const { runFormatsCommand } = await import('../formats.ts');
      ctx.exitCode = runFormatsCommand(ctx);
    });
}
