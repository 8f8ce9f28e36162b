// Builds a Catalog (indexes plus matching) from tool entries. Metadata beats file names, so a
// renamed binary that kept its OriginalFileName or product is still named.
import type { Catalog, CatalogMatch, CatalogTool, ImageFacts, MatchBy } from './types.ts';

type Index = Map<string, CatalogTool[]>;

function add(index: Index, key: string, t: CatalogTool): void {
  const k = key.toLowerCase();
  const list = index.get(k);
  if (!list) index.set(k, [t]);
  else if (!list.includes(t)) list.push(t);
}

/** File name of a Windows or POSIX path, lower-case. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return (i >= 0 ? path.slice(i + 1) : path).toLowerCase();
}

function globToRegex(glob: string): RegExp {
  const esc = glob.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

/** True when `host` is covered by `pattern` ("*.example.com" also covers "example.com"). */
export function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return h === p.slice(2) || h.endsWith(p.slice(1));
  if (p.includes('*')) return globToRegex(p).test(h);
  return h === p;
}

export function createCatalog(tools: CatalogTool[]): Catalog {
  const byOfn: Index = new Map();
  const byProduct: Index = new Map();
  const byCompany: Index = new Map();
  const bySigner: Index = new Map();
  const byExe: Index = new Map();
  const byEntry: Index = new Map();
  const entryGlobs: Array<[RegExp, CatalogTool, MatchBy]> = [];
  const domainList: Array<[string, CatalogTool]> = [];
  const ids = new Map<string, CatalogTool>();

  for (const t of tools) {
    if (!ids.has(t.id)) ids.set(t.id, t);
    for (const v of t.originalFileNames) add(byOfn, v, t);
    for (const v of t.products) add(byProduct, v, t);
    for (const v of t.companies) add(byCompany, v, t);
    for (const v of t.signers) add(bySigner, v, t);
    for (const v of t.executables) add(byExe, v, t);
    const entries: Array<[string[], MatchBy]> = [
      [t.services, 'service'],
      [t.systemdUnits, 'systemd_unit'],
      [t.launchdLabels, 'launchd_label'],
      [t.bundleIds, 'bundle_id'],
    ];
    for (const [names, by] of entries) {
      for (const n of names) {
        if (n.includes('*')) entryGlobs.push([globToRegex(n), t, by]);
        else add(byEntry, n, t);
      }
    }
    for (const d of t.domains) domainList.push([d, t]);
  }

  function hit(list: CatalogTool[] | undefined, by: MatchBy): CatalogMatch | undefined {
    if (!list || list.length === 0) return undefined;
    return { tool: list[0], by, ambiguous: list.slice(1) };
  }

  return {
    tools,
    matchImage(f: ImageFacts): CatalogMatch | undefined {
      const low = (s?: string) => s?.trim().toLowerCase() || undefined;
      const ofn = low(f.originalFileName);
      const product = low(f.product);
      const company = low(f.company);
      const signer = low(f.signer);
      return (
        (ofn && ofn !== '-' ? hit(byOfn.get(ofn), 'original_file_name') : undefined) ??
        (product ? hit(byProduct.get(product), 'product') : undefined) ??
        (signer ? hit(bySigner.get(signer), 'signer') : undefined) ??
        (company ? hit(byCompany.get(company), 'company') : undefined) ??
        hit(byExe.get(baseName(f.image)), 'executable')
      );
    },
    matchEntry(name: string): CatalogMatch | undefined {
      const n = name.trim().toLowerCase();
      const direct = hit(byEntry.get(n), 'service');
      if (direct) {
        // Report which kind of entry matched.
        for (const [names, by] of [
          ['services', 'service'],
          ['systemdUnits', 'systemd_unit'],
          ['launchdLabels', 'launchd_label'],
          ['bundleIds', 'bundle_id'],
        ] as const) {
          if ((direct.tool[names] as string[]).includes(n)) return { ...direct, by: by as MatchBy };
        }
        return direct;
      }
      const globs = entryGlobs.filter(([re]) => re.test(n));
      if (globs.length === 0) return undefined;
      return { tool: globs[0][1], by: globs[0][2], ambiguous: globs.slice(1).map((g) => g[1]) };
    },
    matchDomain(host: string): CatalogTool | undefined {
      for (const [d, t] of domainList) if (domainMatches(d, host)) return t;
      return undefined;
    },
    byId(id: string) {
      return ids.get(id.toLowerCase());
    },
  };
}
