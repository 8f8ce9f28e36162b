// `ratchain rules list|show|check`: their options; the work is in ../rules.ts.
import { Command, Option } from 'commander';
import type { CliContext } from '../io.ts';

export interface RulesFlags {
  config?: string;
  platform?: 'common' | 'windows' | 'linux' | 'macos';
  json?: boolean;
}

const run = () => import('../rules.ts');
const PLATFORMS = ['common', 'windows', 'linux', 'macos'];

export function rulesCommand(ctx: CliContext): Command {
  const cmd = new Command('rules').description(
    'list and explain the rule packs (what counts as each step, weights, severities), check rule files',
  );
  const common = (c: Command) =>
    c
      .option('-c, --config <file>', 'YAML config whose Rules: (Files, Override) apply')
      .addOption(new Option('--platform <platform>', 'only this pack').choices(PLATFORMS))
      .option('--json', 'JSON output');

  common(cmd.command('list'))
    .description('one line per entry: section.group.id, pack, what it holds')
    .argument('[group]', 'only entries under this section or group, e.g. control or control.children')
    .action(async (group: string | undefined, o: RulesFlags) => {
      ctx.exitCode = await (await run()).rulesList(group, o, ctx);
    });

  common(cmd.command('show'))
    .description('an entry (or every entry of a group) in full: why it counts, where it comes from')
    .argument('<entry>', 'section.group.id as `rules list` prints it, or a group')
    .action(async (entry: string, o: RulesFlags) => {
      ctx.exitCode = await (await run()).rulesShow(entry, o, ctx);
    });

  cmd
    .command('check')
    .description('validate rule pack files; every problem with its file, line, column and a hint')
    .argument('<file...>', 'rule pack YAML files')
    .action(async (files: string[]) => {
      ctx.exitCode = (await run()).rulesCheck(files, ctx);
    });
  return cmd;
}
