// `ratchain export --to LANGUAGE`: the config and catalogue a hunt would use, written as a query
// for each platform asked for.
import { writeFileSync } from 'node:fs';
import { EXPORT_PLATFORMS } from '../export/analytic.ts';
import { exportAs } from '../export/index.ts';
import type { ExportFlags } from './commands/export.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

const SEPARATOR = { eql: '//', kql: '//', spl: '```', sigma: '#' } as const;

export async function runExport(o: ExportFlags, io: CliIO): Promise<number> {
  const config = await loadConfigOrExit(o.config, io);
  if (!config) return EXIT.usage;
  const catalog = await loadCatalogOrReport(config, io, o.catalog);
  const platforms = o.platform ? [o.platform] : EXPORT_PLATFORMS;
  const parts = platforms.map((p) => exportAs(o.to, config, catalog, p));
  // Several platforms: one file; Sigma documents stay separate, other languages get a rule line.
  const sep =
    o.to === 'sigma' ? '---\n' : `\n${SEPARATOR[o.to]} ${'='.repeat(70)}${o.to === 'spl' ? ' ```' : ''}\n\n`;
  const text = parts.join(sep);
  if (o.output) writeFileSync(o.output, text);
  else io.stdout.write(text);
  return EXIT.ok;
}
