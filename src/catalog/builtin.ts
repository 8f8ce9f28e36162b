// ratchain's own catalogue of remote-access tools, tools.yaml next to this file (the same format
// users write, so `ratchain catalog check src/catalog/tools.yaml` checks it too), as checked by
// checked-builtins.ts (from the sources) or by the build (the package).
import { assetPath } from '../assets.ts';
import { builtinTools } from '../checked-builtins.ts';
import { CATALOG_ASSET } from '../checked-cache.ts';
import { createCatalog } from './match.ts';
import type { Catalog, CatalogTool } from './types.ts';

export const BUILTIN_FILE = assetPath(CATALOG_ASSET);
export const BUILTIN_TOOLS: CatalogTool[] = builtinTools();

export function builtinCatalog(extra: CatalogTool[] = []): Catalog {
  return createCatalog([...BUILTIN_TOOLS, ...extra]);
}
