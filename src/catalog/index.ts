// The catalogue the engine uses: the built-in entries plus any extra catalogue files.
import { BUILTIN_TOOLS } from './builtin.ts';
import { createCatalog } from './match.ts';
import type { Catalog, CatalogTool } from './types.ts';

export function builtinCatalog(extra: CatalogTool[] = []): Catalog {
  return createCatalog([...BUILTIN_TOOLS, ...extra]);
}
