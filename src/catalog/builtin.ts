// ratchain's own catalogue of remote-access tools, read from tools.yaml next to this file (the
// same format users write, so `ratchain catalog check src/catalog/tools.yaml` checks it too).
import { assetPath, readAsset, readOptionalAsset } from '../assets.ts';
import { cachedCheck } from '../checked-cache.ts';
import { parseRatchainCatalog } from './format.ts';
import type { CatalogTool } from './types.ts';

export { parseBuiltin };

export const BUILTIN_ASSET = 'catalog/tools.yaml';
export const BUILTIN_FILE = assetPath(BUILTIN_ASSET);
/** tools.yaml parsed and checked by the build (scripts/build.ts); only the built package has it. */
export const BUILTIN_CHECKED_ASSET = 'catalog/tools.checked.json';

function parseBuiltin(text: string): CatalogTool[] {
  const { tools, problems } = parseRatchainCatalog(text, BUILTIN_FILE, 'builtin');
  const bad = problems.filter((p) => p.kind !== 'note');
  // A broken built-in catalogue is a bug in ratchain itself, not in the user's input.
  if (bad.length)
    throw new Error(`built-in catalogue: ${bad.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  return tools;
}

/**
 * The built package reads the catalogue the build checked; running the sources, the checked
 * result is cached by content (checked-cache.ts).
 */
function loadBuiltin(): CatalogTool[] {
  const checked = readOptionalAsset(BUILTIN_CHECKED_ASSET);
  if (checked) return JSON.parse(checked) as CatalogTool[];
  const text = readAsset(BUILTIN_ASSET);
  return cachedCheck(
    'catalog',
    [text, assetPath(BUILTIN_ASSET)],
    () => parseBuiltin(text),
    (c): c is CatalogTool[] => Array.isArray(c) && c.length > 0,
  );
}

export const BUILTIN_TOOLS: CatalogTool[] = loadBuiltin();
