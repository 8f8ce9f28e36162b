// Combining two entries for one tool: every list is the union of both, first entry's order first.
import type { CatalogTool } from './types.ts';

const LISTS = [
  'executables',
  'originalFileNames',
  'products',
  'companies',
  'signers',
  'services',
  'systemdUnits',
  'launchdLabels',
  'bundleIds',
  'domains',
] as const;

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

/** A new entry with `a`'s identity and the facts of both. */
export function mergeTools(a: CatalogTool, b: CatalogTool, source: string = a.source): CatalogTool {
  const out: CatalogTool = {
    ...a,
    paths: {
      windows: union(a.paths.windows, b.paths.windows),
      linux: union(a.paths.linux, b.paths.linux),
      macos: union(a.paths.macos, b.paths.macos),
    },
    ports: union(a.ports, b.ports),
    source,
  };
  for (const k of LISTS) out[k] = union(a[k], b[k]);
  const aliases = union(a.aliases ?? [], [...(b.aliases ?? []), b.id]).filter((x) => x !== a.id);
  if (aliases.length) out.aliases = aliases;
  const refs = union(a.refs ?? [], b.refs ?? []);
  if (refs.length) out.refs = refs;
  return out;
}
