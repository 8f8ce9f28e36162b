// `ratchain config init|check`: their options; the work is in ../config.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

const run = () => import('../config.ts');

export function configCommand(ctx: CliContext): Command {
  const cmd = new Command('config').description('write or check a configuration file');
  cmd
    .command('init')
    .description('write the commented default configuration')
    .argument('[file]', 'where to write it (default: stdout)')
    .option('--force', 'overwrite an existing file')
    .action(async (file: string | undefined, o: { force?: boolean }) => {
      ctx.exitCode = (await run()).configInit(file, o, ctx);
    });
  cmd
    .command('check')
    .description('report every mistake in a configuration file, with its line and a hint')
    .argument('<file>')
    .action(async (file: string) => {
      ctx.exitCode = await (await run()).configCheck(file, ctx);
    });
  return cmd;
}
