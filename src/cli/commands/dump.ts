// `ratchain dump FILE.evtx`: its options; the work is in ../dump.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export function dumpCommand(ctx: CliContext): Command {
  return new Command('dump')
    .description('print the records of an EVTX file as JSON lines (problems go to stderr)')
    .argument('<file>', '.evtx file')
    .action(async (file: string) => {
      const { runDumpCommand } = await import('../dump.ts');
      ctx.exitCode = await runDumpCommand(file, ctx);
    });
}
