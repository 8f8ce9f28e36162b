// `ratchain catalog list|search|show|match|check`: their options; the work is in ../catalog.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export interface CatalogFlags {
  catalog?: string[];
  json?: boolean;
}

export interface MatchFlags extends CatalogFlags {
  image?: string;
  originalFileName?: string;
  product?: string;
  company?: string;
  signer?: string;
  entry?: string;
  domain?: string;
}

const run = () => import('../catalog.ts');

export function catalogCommand(ctx: CliContext): Command {
  const cmd = new Command('catalog').description(
    'list, search and show the remote-access tool catalogue, see what it names, check catalogue files',
  );
  const extra = (c: Command) =>
    c
      .option('--catalog <file...>', 'extra catalogue files (ratchain format or LOLRMM rmm_tools.json)')
      .option('--json', 'JSON output');

  extra(cmd.command('list'))
    .description('list every tool: id, name, category, platforms (W/L/M), source')
    .option('--category <category>', 'only this category (remote_support, rmm, remote_desktop, tunnel, rat)')
    .action(async (o: CatalogFlags & { category?: string }) => {
      ctx.exitCode = (await run()).catalogList(o, ctx);
    });

  extra(cmd.command('search'))
    .description(
      'tools whose names, files, services or domains contain TEXT; a host name also matches vendor domains',
    )
    .argument('<text>', 'any part of a name, file, service, label or domain')
    .action(async (text: string, o: CatalogFlags) => {
      ctx.exitCode = (await run()).catalogSearch(text, o, ctx);
    });

  extra(cmd.command('show'))
    .description('everything the catalogue knows about one tool (every entry with that id)')
    .argument('<id>', 'tool id or alias, e.g. anydesk')
    .action(async (id: string, o: CatalogFlags) => {
      ctx.exitCode = (await run()).catalogShow(id, o, ctx);
    });

  extra(cmd.command('match'))
    .description('which tool the catalogue names for a binary, a service/unit/label, or a destination name')
    .option('--image <path>', 'image path')
    .option('--original-file-name <name>', 'version resource OriginalFileName')
    .option('--product <name>', 'version resource ProductName')
    .option('--company <name>', 'version resource CompanyName')
    .option('--signer <name>', 'code-signing subject')
    .option('--entry <name>', 'service name, systemd unit, launchd label or plist path')
    .option('--domain <host>', 'destination DNS name')
    .action(async (o: MatchFlags) => {
      ctx.exitCode = (await run()).catalogMatch(o, ctx);
    });

  cmd
    .command('check')
    .description('validate catalogue files; every problem with its file and position')
    .argument('<file...>', 'catalogue files (ratchain YAML/JSON or LOLRMM rmm_tools.json)')
    .option('--quiet', 'errors and skipped entries only, no notes')
    .action(async (files: string[], o: { quiet?: boolean }) => {
      ctx.exitCode = (await run()).catalogCheck(files, o, ctx);
    });
  return cmd;
}
