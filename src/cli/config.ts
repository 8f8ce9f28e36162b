// `ratchain config init|check`, and config loading for the other commands. What checks a file
// (config/load.ts, the schema, the catalogue loader: yaml and zod) is loaded only when there is
// a file or a flag to check: with neither, a command starts from the build's checked defaults.
import { existsSync, writeFileSync } from 'node:fs';
import { builtinCatalog } from '../catalog/builtin.ts';
import type { Catalog } from '../catalog/types.ts';
import { defaultConfig } from '../checked-builtins.ts';
import { DEFAULT_CONFIG_YAML } from '../config/default-config.ts';
import type { Config } from '../config/schema.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

/** The config, or undefined after printing every issue to stderr. */
export async function loadConfigOrExit(file: string | undefined, io: CliIO): Promise<Config | undefined> {
  if (!file) return defaultConfig();
  const { formatIssue, loadConfig } = await import('../config/load.ts');
  const r = loadConfig(file);
  if (r.ok) return r.config;
  for (const i of r.issues) io.stderr.write(`ratchain: config ${formatIssue(i)}\n`);
  io.stderr.write(
    `ratchain: ${r.issues.length} problem${r.issues.length === 1 ? '' : 's'} in the config; nothing was run\n`,
  );
  return undefined;
}

/**
 * The config with the command line's --min-steps and --internal applied, checked by the config's
 * own schema; undefined after saying on stderr what is wrong.
 */
export async function configWithFlags(
  loaded: Config,
  o: { minSteps?: number; internal?: string[] },
  io: CliIO,
): Promise<Config | undefined> {
  const config = { ...loaded };
  const overrides: Array<[keyof Config, unknown, string]> = [];
  if (o.minSteps !== undefined) overrides.push(['MinSteps', o.minSteps, '--min-steps']);
  if (o.internal) overrides.push(['InternalNetworks', o.internal, '--internal']);
  if (overrides.length === 0) return config;
  const [{ configSchema }, { issueMessage }] = await Promise.all([
    import('../config/schema.ts'),
    import('../config/explain-issue.ts'),
  ]);
  for (const [key, value, flag] of overrides) {
    const r = configSchema.shape[key].safeParse(value, { reportInput: true });
    if (!r.success) {
      io.stderr.write(`ratchain: ${flag}: ${r.error.issues.map(issueMessage).join('; ')}\n`);
      return undefined;
    }
    Object.assign(config, { [key]: r.data });
  }
  return config;
}

/**
 * The built-in catalogue plus the config's `Catalogs` and any `--catalog` files. Files or
 * entries that cannot be loaded are reported on stderr; the rest is used.
 */
export async function loadCatalogOrReport(config: Config, io: CliIO, extra: string[] = []): Promise<Catalog> {
  const files = [...config.Catalogs, ...extra];
  if (files.length === 0) return builtinCatalog();
  const { loadCatalog } = await import('../catalog/index.ts');
  const { catalog, problems } = loadCatalog(files);
  const errors = problems.filter((p) => p.kind === 'error');
  for (const p of errors.slice(0, 20))
    io.stderr.write(`ratchain: catalogue ${p.file} ${p.where}: ${p.message}\n`);
  const skipped = problems.length - errors.length;
  if (errors.length > 20) io.stderr.write(`ratchain: ... and ${errors.length - 20} more catalogue errors\n`);
  if (skipped)
    io.stderr.write(
      `ratchain: catalogue: ${skipped} entries skipped (see \`ratchain catalog check FILE\`)\n`,
    );
  return catalog;
}

export function configInit(file: string | undefined, o: { force?: boolean }, io: CliIO): number {
  if (!file || file === '-') {
    io.stdout.write(DEFAULT_CONFIG_YAML);
    return EXIT.ok;
  }
  if (existsSync(file) && !o.force) {
    io.stderr.write(`ratchain: ${file} exists; use --force to overwrite\n`);
    return EXIT.usage;
  }
  writeFileSync(file, DEFAULT_CONFIG_YAML);
  io.stderr.write(`ratchain: wrote ${file}\n`);
  return EXIT.ok;
}

export async function configCheck(file: string, io: CliIO): Promise<number> {
  const { formatIssue, loadConfig } = await import('../config/load.ts');
  const r = loadConfig(file);
  if (r.ok) {
    io.stdout.write(`${file}: ok\n`);
    return EXIT.ok;
  }
  for (const i of r.issues) io.stdout.write(`${formatIssue(i)}\n`);
  return EXIT.usage;
}
