// `ratchain config init|check`, and config loading for the other commands.
import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { DEFAULT_CONFIG_YAML } from '../config/default-config.ts';
import { formatIssue, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { EXIT } from './exit.ts';

/** The config, or undefined after printing every issue to stderr. */
export function loadConfigOrExit(file: string | undefined): Config | undefined {
  const r = loadConfig(file);
  if (r.ok) return r.config;
  for (const i of r.issues) process.stderr.write(`ratchain: config ${formatIssue(i)}\n`);
  process.stderr.write(
    `ratchain: ${r.issues.length} problem${r.issues.length === 1 ? '' : 's'} in the config; nothing was run\n`,
  );
  return undefined;
}

/**
 * The built-in catalogue plus the config's `Catalogs` and any `--catalog` files. Files or
 * entries that cannot be loaded are reported on stderr; the rest is used.
 */
export function loadCatalogOrReport(config: Config, extra: string[] = []): Catalog {
  const { catalog, problems } = loadCatalog([...config.Catalogs, ...extra]);
  const errors = problems.filter((p) => p.kind === 'error');
  for (const p of errors.slice(0, 20))
    process.stderr.write(`ratchain: catalogue ${p.file} ${p.where}: ${p.message}\n`);
  const skipped = problems.length - errors.length;
  if (errors.length > 20)
    process.stderr.write(`ratchain: ... and ${errors.length - 20} more catalogue errors\n`);
  if (skipped)
    process.stderr.write(
      `ratchain: catalogue: ${skipped} entries skipped (see \`ratchain catalog check FILE\`)\n`,
    );
  return catalog;
}

export function configCommand(): Command {
  const cmd = new Command('config').description('write or check a configuration file');
  cmd
    .command('init')
    .description('write the commented default configuration')
    .argument('[file]', 'where to write it (default: stdout)')
    .option('--force', 'overwrite an existing file')
    .action((file: string | undefined, o: { force?: boolean }) => {
      if (!file || file === '-') {
        process.stdout.write(DEFAULT_CONFIG_YAML);
        return;
      }
      if (existsSync(file) && !o.force) {
        process.stderr.write(`ratchain: ${file} exists; use --force to overwrite\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      writeFileSync(file, DEFAULT_CONFIG_YAML);
      process.stderr.write(`ratchain: wrote ${file}\n`);
    });
  cmd
    .command('check')
    .description('report every mistake in a configuration file, with its line and a hint')
    .argument('<file>')
    .action((file: string) => {
      const r = loadConfig(file);
      if (r.ok) {
        process.stdout.write(`${file}: ok\n`);
        return;
      }
      for (const i of r.issues) process.stdout.write(`${formatIssue(i)}\n`);
      process.exitCode = EXIT.usage;
    });
  return cmd;
}
