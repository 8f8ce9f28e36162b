// `ratchain export`: its options; the work is in ../export.ts.
import { Command, Option } from 'commander';
import type { CliContext } from '../io.ts';

export interface ExportFlags {
  to: 'eql' | 'sigma' | 'kql' | 'spl';
  config?: string;
  platform?: 'windows' | 'linux' | 'macos';
  catalog?: string[];
  output?: string;
}

export function exportCommand(ctx: CliContext): Command {
  return new Command('export')
    .description('write the analytic as an EQL, Sigma, KQL or SPL query, from the rule packs and the config')
    .addOption(
      new Option('--to <language>', 'target language')
        .choices(['eql', 'sigma', 'kql', 'spl'])
        .makeOptionMandatory(),
    )
    .option('-c, --config <file>', 'YAML config (TimeWindow, allowlists, networks, shells, Rules:)')
    .addOption(
      new Option('--platform <platform>', 'one platform (default: all three)').choices([
        'windows',
        'linux',
        'macos',
      ]),
    )
    .option('--catalog <file...>', 'extra catalogue files')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (o: ExportFlags) => {
      ctx.exitCode = await (await import('../export.ts')).runExport(o, ctx);
    });
}
