// ratchain's own catalogue of remote-access tools, read from tools.yaml next to this file (the
// same format users write, so `ratchain catalog check src/catalog/tools.yaml` checks it too).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRatchainCatalog } from './format.ts';
import type { CatalogTool } from './types.ts';

export const BUILTIN_FILE = fileURLToPath(new URL('./tools.yaml', import.meta.url));

function loadBuiltin(): CatalogTool[] {
  const { tools, problems } = parseRatchainCatalog(
    readFileSync(BUILTIN_FILE, 'utf8'),
    BUILTIN_FILE,
    'builtin',
  );
  const bad = problems.filter((p) => p.kind !== 'note');
  // A broken built-in catalogue is a bug in ratchain itself, not in the user's input.
  if (bad.length)
    throw new Error(`built-in catalogue: ${bad.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  return tools;
}

export const BUILTIN_TOOLS: CatalogTool[] = loadBuiltin();
