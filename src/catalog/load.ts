// Loads extra catalogue files: ratchain's own format (YAML or JSON) or LOLRMM's rmm_tools.json,
// told apart by content. A file that cannot be read or parsed is one problem; it never stops
// the others from loading.
import { readFileSync } from 'node:fs';
import { isRatchainCatalog, parseRatchainCatalog } from './format.ts';
import { importLolrmm, isLolrmm, type LolrmmOutcome } from './lolrmm.ts';
import type { CatalogProblem, CatalogTool } from './types.ts';

export type CatalogFormat = 'ratchain' | 'lolrmm' | 'unknown';

export interface LoadedCatalogFile {
  file: string;
  format: CatalogFormat;
  tools: CatalogTool[];
  problems: CatalogProblem[];
  /** LOLRMM only: what happened to each entry. */
  entries?: LolrmmOutcome[];
}

/** Parses catalogue text whose format is not known yet. */
export function parseCatalogText(text: string, file: string): LoadedCatalogFile {
  const body = text.replace(/^\uFEFF/, '');
  const head = body.trimStart()[0];
  if (head === '[' || head === '{') {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      // Not strict JSON: YAML flow syntax is a superset, let the YAML reader say where it breaks.
      if (head === '[')
        return {
          file,
          format: 'unknown',
          tools: [],
          problems: [
            { file, where: 'top level', message: `not valid JSON: ${(e as Error).message}`, kind: 'error' },
          ],
        };
    }
    if (data !== undefined && isLolrmm(data)) {
      const r = importLolrmm(data, file);
      return { file, format: 'lolrmm', tools: r.tools, problems: r.problems, entries: r.entries };
    }
    if (data !== undefined && !isRatchainCatalog(data))
      return {
        file,
        format: 'unknown',
        tools: [],
        problems: [
          {
            file,
            where: 'top level',
            message:
              'neither a ratchain catalogue ({"ratchain-catalog": 1, "tools": [...]}) nor LOLRMM rmm_tools.json (an array of tools with Name and Details)',
            kind: 'error',
          },
        ],
      };
  }
  const r = parseRatchainCatalog(body, file);
  return { file, format: 'ratchain', tools: r.tools, problems: r.problems };
}

/** Reads and parses one catalogue file. */
export function loadCatalogFile(file: string): LoadedCatalogFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return {
      file,
      format: 'unknown',
      tools: [],
      problems: [{ file, where: 'file', message: `cannot read: ${err.code ?? err.message}`, kind: 'error' }],
    };
  }
  return parseCatalogText(text, file);
}
