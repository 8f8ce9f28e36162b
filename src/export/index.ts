// `ratchain export`: the analytic a hunt runs, written in the query language of a SIEM.
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import { type ExportPlatform, exportAnalytic } from './analytic.ts';
import { toEql } from './eql.ts';
import { toKql } from './kql.ts';
import { toSigma } from './sigma.ts';
import { toSpl } from './spl.ts';

export const EXPORT_LANGUAGES = ['eql', 'sigma', 'kql', 'spl'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

/** File extension of each language's output. */
export const EXPORT_EXTENSION: Record<ExportLanguage, string> = {
  eql: 'eql',
  sigma: 'yml',
  kql: 'kql',
  spl: 'spl',
};

const WRITERS = { eql: toEql, sigma: toSigma, kql: toKql, spl: toSpl } as const;

export function exportAs(
  language: ExportLanguage,
  cfg: Config,
  catalog: Catalog,
  platform: ExportPlatform,
): string {
  return WRITERS[language](exportAnalytic(cfg, catalog, platform));
}
