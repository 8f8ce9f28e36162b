// The shared input options (commands/input-options.ts) turned into what a run needs: the config
// with --internal (and hunt's --min-steps) applied through the same schema as the file, the
// catalogue with --catalog, and the format checked. Problems are printed; undefined means a usage
// error (exit 2).
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import type { InputFlags } from './commands/input-options.ts';
import { configWithFlags, loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { knownFormat } from './formats.ts';
import type { CliIO } from './io.ts';

export interface ResolvedInputs {
  config: Config;
  catalog: Catalog;
  format?: string;
  defaultHost?: string;
}

export async function resolveInputs(
  o: InputFlags & { minSteps?: number },
  io: CliIO,
): Promise<ResolvedInputs | undefined> {
  if (!knownFormat(o.format, io)) return undefined;
  const loaded = await loadConfigOrExit(o.config, io);
  const config = loaded && (await configWithFlags(loaded, o, io));
  if (!config) return undefined;
  return {
    config,
    catalog: await loadCatalogOrReport(config, io, o.catalog),
    format: o.format,
    defaultHost: o.host,
  };
}
