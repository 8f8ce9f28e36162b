// `ratchain explain ID`: its options; the work is in ../explain.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export interface ExplainFlags {
  findings?: string;
  config?: string;
  format?: string;
}

export function explainCommand(ctx: CliContext): Command {
  return new Command('explain')
    .description('tell one finding as a story: each step, its evidence, what is missing, how it was scored')
    .argument('<id>', 'finding id (or a unique prefix of it)')
    .argument('[inputs...]', 'logs to hunt again when no --findings file is given')
    .option('--findings <file>', 'findings NDJSON written by `ratchain hunt -o FILE` (- for stdin)')
    .option('-c, --config <file>', 'YAML config for re-hunting the inputs')
    .option('-f, --format <id>', 'force the input format when re-hunting (`ratchain formats`)')
    .action(async (id: string, inputs: string[], o: ExplainFlags) => {
      const { runExplain } = await import('../explain.ts');
      ctx.exitCode = await runExplain(id, inputs, o, ctx);
    });
}
