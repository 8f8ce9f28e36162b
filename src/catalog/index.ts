// The catalogue the engine uses: the built-in entries plus any extra catalogue files.
import { BUILTIN_TOOLS } from './builtin.ts';
import { type LoadedCatalogFile, loadCatalogFile } from './load.ts';
import { createCatalog } from './match.ts';
import { mergeTools } from './merge.ts';
import type { Catalog, CatalogProblem, CatalogTool } from './types.ts';

// Without files there is nothing to load: catalog/builtin.ts gives the catalogue and loads no
// file checker (yaml, zod).
export { builtinCatalog } from './builtin.ts';

/**
 * Gives an imported tool the id and name of the known tool it is, so findings and allowlists
 * use one name: same id or alias ("connectwise-control"), or a longer name of it
 * ("splashtop-remote" is Splashtop). Returns the canonical tool it was linked to.
 */
export function linkTool(t: CatalogTool, known: Map<string, CatalogTool>): CatalogTool | undefined {
  const candidates = [t.id, ...(t.aliases ?? [])];
  let best: CatalogTool | undefined;
  let bestLen = 0;
  for (const c of candidates) {
    const exact = known.get(c);
    if (exact) return exact;
    const parts = c.split('-');
    for (let n = parts.length - 1; n >= 1; n--) {
      const prefix = parts.slice(0, n).join('-');
      const k = known.get(prefix);
      if (k && prefix.length > bestLen) {
        best = k;
        bestLen = prefix.length;
      }
    }
  }
  return best;
}

export interface LoadedCatalog {
  catalog: Catalog;
  /** Files that could not be loaded, entries that were invalid or skipped (with the reason). */
  problems: CatalogProblem[];
  /** Values dropped or rewritten while importing, and tools linked to known ones. */
  notes: CatalogProblem[];
  files: LoadedCatalogFile[];
}

/**
 * The built-in catalogue plus `files` (config `Catalogs` and `--catalog`), with every problem.
 * An entry in a ratchain-format file with the id (or alias) of a known tool extends that tool,
 * so a company can add its own relay domain to `screenconnect`; LOLRMM entries are linked to
 * known tools by name but kept apart, because their facts are less certain.
 */
export function loadCatalog(files: string[]): LoadedCatalog {
  const known = new Map<string, CatalogTool>();
  const remember = (t: CatalogTool) => {
    for (const id of [t.id, ...(t.aliases ?? [])]) if (!known.has(id)) known.set(id, t);
  };
  for (const t of BUILTIN_TOOLS) remember(t);
  const tools: CatalogTool[] = [...BUILTIN_TOOLS];
  const problems: CatalogProblem[] = [];
  const notes: CatalogProblem[] = [];
  const loaded: LoadedCatalogFile[] = [];
  // The same file from the config and from --catalog is loaded once.
  for (const file of [...new Set(files)]) {
    const f = loadCatalogFile(file);
    loaded.push(f);
    for (const p of f.problems) (p.kind === 'note' ? notes : problems).push(p);
    const fresh: CatalogTool[] = [];
    for (const t of f.tools) {
      if (f.format === 'ratchain') {
        const same = [t.id, ...(t.aliases ?? [])].map((id) => known.get(id)).find((x) => x !== undefined);
        if (same) {
          const merged = mergeTools(same, t, `${same.source} + ${file}`);
          tools[tools.indexOf(same)] = merged;
          for (const [k, v] of known) if (v === same) known.set(k, merged);
          remember(merged);
          notes.push({
            file,
            where: t.id,
            message: `extends known tool "${same.id}" (${same.name})`,
            kind: 'note',
          });
          continue;
        }
      } else {
        const same = linkTool(t, known);
        if (same && same.id !== t.id) {
          notes.push({
            file,
            where: t.name,
            message: `linked to known tool "${same.id}" (${same.name})`,
            kind: 'note',
          });
          t.aliases = [...new Set([...(t.aliases ?? []), t.id])];
          t.id = same.id;
          t.name = same.name;
        }
      }
      tools.push(t);
      fresh.push(t);
    }
    for (const t of fresh) remember(t);
  }
  return { catalog: createCatalog(tools), problems, notes, files: loaded };
}
