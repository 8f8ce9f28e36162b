// Builds a Catalog (indexes plus matching) from tool entries. Metadata beats file names, so a
// renamed binary that kept its OriginalFileName or product is still named. Every pattern is
// compiled once here; a lookup is a few map probes plus the few glob patterns the catalogue has.
import {
  COMMON_DIRS,
  GENERIC_FILE_NAMES,
  GENERIC_PRODUCTS,
  nameKey,
  PLATFORM_PUBLISHERS,
  vendorKey,
} from './normalize.ts';
import type { Catalog, CatalogMatch, CatalogTool, ImageFacts, MatchBy } from './types.ts';

type Index = Map<string, CatalogTool[]>;

function add(index: Index, key: string, t: CatalogTool): void {
  if (!key) return;
  const list = index.get(key);
  if (!list) index.set(key, [t]);
  else if (!list.includes(t)) list.push(t);
}

/** File name of a Windows or POSIX path, lower-case. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return (i >= 0 ? path.slice(i + 1) : path).toLowerCase();
}

function globToRegex(glob: string): RegExp {
  const esc = glob
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

// Domain patterns are compared for every destination name; compile each glob only once.
const domainGlobs = new Map<string, RegExp>();

/** True when `host` is covered by `pattern` ("*.example.com" also covers "example.com"). */
export function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.') && !p.includes('*', 1)) return h === p.slice(2) || h.endsWith(p.slice(1));
  if (p.includes('*')) {
    let re = domainGlobs.get(p);
    if (!re) {
      re = globToRegex(p);
      if (domainGlobs.size > 10_000) domainGlobs.clear();
      domainGlobs.set(p, re);
    }
    return re.test(h);
  }
  return h === p;
}

const WIN_DIRS: Record<string, string> = {
  '%programfiles%': '/program files',
  '%programw6432%': '/program files',
  '%programfiles(x86)%': '/program files (x86)',
  '%programdata%': '/programdata',
  '%allusersprofile%': '/programdata',
  '%systemroot%': '/windows',
  '%windir%': '/windows',
  '%systemdrive%': '',
  '%public%': '/users/public',
  '%userprofile%': '/users/*',
  '%homepath%': '/users/*',
  '%appdata%': '/users/*/appdata/roaming',
  '%localappdata%': '/users/*/appdata/local',
};

/** Comparable form of an image path: lower-case, forward slashes, no drive or volume. */
export function imageKey(image: string): string {
  let p = image.trim();
  if (p.startsWith('"')) p = p.slice(1, p.indexOf('"', 1) > 0 ? p.indexOf('"', 1) : undefined);
  p = p.toLowerCase().replace(/\\/g, '/');
  if (p.startsWith('/??/') || p.startsWith('//?/')) p = p.slice(4);
  if (p.includes('%')) p = p.replace(/%[a-z0-9_()]+%/g, (v) => WIN_DIRS[v] ?? v);
  const dev = /^\/device\/harddiskvolume\d+/.exec(p);
  if (dev) return p.slice(dev[0].length);
  if (/^[a-z]:/.test(p)) return p.slice(2);
  return p;
}

/**
 * Regex for an install path pattern of the catalogue ("%ProgramFiles%\AnyDesk\*",
 * "~/Library/...", "/opt/x-*\/"), in imageKey form. `*` spans directories.
 */
export function installPathRegex(pattern: string): RegExp {
  let p = pattern.trim().toLowerCase().replace(/\\/g, '/');
  if (/^[a-z]:/.test(p)) p = p.slice(2);
  p = p.replace(/%[a-z0-9_()]+%/g, (v) => WIN_DIRS[v] ?? '*');
  if (p.endsWith('/')) p += '*';
  const home = p.startsWith('~/');
  if (home) p = p.slice(1);
  const body = p
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${home ? '(?:/users/[^/]+|/home/[^/]+|/root|/var/root)' : ''}${body}$`);
}

/** How much one kind of evidence says about which tool a binary is. */
const WEIGHT: Record<MatchBy, number> = {
  original_file_name: 8,
  product: 6,
  signer: 4,
  company: 3,
  executable: 3,
  path: 2,
  service: 5,
  systemd_unit: 5,
  launchd_label: 5,
  bundle_id: 6,
};

interface Candidate {
  tool: CatalogTool;
  score: number;
  by: MatchBy;
  kinds: Set<MatchBy>;
  /** Enough on its own to name the tool (not only a platform or imported signer). */
  names: boolean;
}

type Entry = { re: RegExp; tool: CatalogTool };

/** A path or name glob, compiled on first use and only tried when its longest literal part is present. */
interface LazyGlob {
  anchor: string;
  source: string;
  tool: CatalogTool;
  re?: RegExp;
}

function lazyGlob(source: string, comparable: string, tool: CatalogTool): LazyGlob {
  const anchor = comparable.split(/[*?]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return { anchor, source, tool };
}

/** The longest literal, uncommon directory name of an install path pattern, if it has one. */
function indexSegment(pattern: string): string | undefined {
  const segs = pattern
    .toLowerCase()
    .replace(/%[a-z0-9_()]+%/g, '*')
    .split(/[\\/]+/)
    .slice(0, -1);
  let best: string | undefined;
  for (const seg of segs) {
    if (/^[a-z]:$/.test(seg) || seg.includes('*') || seg.includes('?') || seg.includes('~')) continue;
    if (COMMON_DIRS.has(seg)) continue;
    if (!best || seg.length > best.length) best = seg;
  }
  return best;
}

function globHit(g: LazyGlob, key: string, compile: (source: string) => RegExp): boolean {
  if (g.anchor && !key.includes(g.anchor)) return false;
  g.re ??= compile(g.source);
  return g.re.test(key);
}

export function createCatalog(tools: CatalogTool[]): Catalog {
  const byOfn: Index = new Map();
  const byProduct: Index = new Map();
  const byCompany: Index = new Map();
  const bySigner: Index = new Map();
  const byExe: Index = new Map();
  const exeGlobs: LazyGlob[] = [];
  const pathsByName = new Map<string, LazyGlob[]>();
  // Directory patterns are indexed by one literal directory name they need ("mesh agent"), so
  // an image only tries the few whose directory it has; the rest are scanned by substring.
  const dirBySegment = new Map<string, LazyGlob[]>();
  const dirScan: LazyGlob[] = [];
  const entryIndex: Record<'service' | 'systemd_unit' | 'launchd_label' | 'bundle_id', Index> = {
    service: new Map(),
    systemd_unit: new Map(),
    launchd_label: new Map(),
    bundle_id: new Map(),
  };
  const entryGlobs: Array<{ re: RegExp; tool: CatalogTool; by: MatchBy }> = [];
  const exactDomains: Index = new Map();
  const zoneDomains: Index = new Map();
  const globDomains: Entry[] = [];
  const ids = new Map<string, CatalogTool>();

  for (const t of tools) {
    for (const id of [t.id, ...(t.aliases ?? [])])
      if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), t);
    for (const v of t.originalFileNames) if (!GENERIC_FILE_NAMES.has(nameKey(v))) add(byOfn, nameKey(v), t);
    for (const v of t.products) if (!GENERIC_PRODUCTS.has(vendorKey(v))) add(byProduct, vendorKey(v), t);
    for (const v of t.companies) add(byCompany, vendorKey(v), t);
    for (const v of t.signers) add(bySigner, vendorKey(v), t);
    for (const v of t.executables) {
      const k = nameKey(v);
      if (GENERIC_FILE_NAMES.has(k)) continue;
      if (k.includes('*') || k.includes('?')) exeGlobs.push(lazyGlob(k, k, t));
      else add(byExe, k, t);
    }
    for (const p of [...t.paths.windows, ...t.paths.linux, ...t.paths.macos]) {
      const g = lazyGlob(p, imageKey(p.replace(/%[a-z0-9_()]+%/gi, '*').replace(/^~/, '*')), t);
      const last = /[\\/]$/.test(p) ? '*' : baseName(p);
      if (last.includes('*') || last.includes('?') || last.includes('%')) {
        const seg = indexSegment(g.source);
        if (seg) {
          const list = dirBySegment.get(seg) ?? [];
          list.push(g);
          dirBySegment.set(seg, list);
        } else dirScan.push(g);
      } else {
        const list = pathsByName.get(last) ?? [];
        list.push(g);
        pathsByName.set(last, list);
      }
    }
    const entries: Array<[string[], keyof typeof entryIndex]> = [
      [t.services, 'service'],
      [t.systemdUnits, 'systemd_unit'],
      [t.launchdLabels, 'launchd_label'],
      [t.bundleIds, 'bundle_id'],
    ];
    for (const [names, by] of entries) {
      for (const n of names) {
        const k = nameKey(n);
        if (k.includes('*')) entryGlobs.push({ re: globToRegex(k), tool: t, by });
        else add(entryIndex[by], k, t);
      }
    }
    for (const d of t.domains) {
      const k = nameKey(d);
      if (k.startsWith('*.') && !k.includes('*', 1)) add(zoneDomains, k.slice(2), t);
      else if (k.includes('*')) globDomains.push({ re: globToRegex(k), tool: t });
      else add(exactDomains, k, t);
    }
  }

  // The same few product and signer strings arrive with thousands of images.
  const vendorKeys = new Map<string, string>();
  function vendorKeyCached(s: string): string {
    let k = vendorKeys.get(s);
    if (k === undefined) {
      k = vendorKey(s);
      if (vendorKeys.size >= 4096) vendorKeys.clear();
      vendorKeys.set(s, k);
    }
    return k;
  }

  /** Ranked candidates for a binary's facts, evidence summed per tool id. */
  function candidates(f: ImageFacts): Candidate[] {
    const cands = new Map<string, Candidate>();
    const note = (list: CatalogTool[] | undefined, by: MatchBy, names: (t: CatalogTool) => boolean) => {
      if (!list) return;
      for (const tool of list) {
        let c = cands.get(tool.id);
        if (!c) {
          c = { tool, score: 0, by, kinds: new Set(), names: false };
          cands.set(tool.id, c);
        }
        if (c.kinds.has(by)) continue;
        c.kinds.add(by);
        c.score += WEIGHT[by];
        if (WEIGHT[by] > WEIGHT[c.by]) {
          c.by = by;
          c.tool = tool;
        }
        if (names(tool)) c.names = true;
      }
    };
    const always = () => true;
    const clean = (s?: string) => (s && s.trim() !== '-' ? s : undefined);
    const ofn = clean(f.originalFileName);
    const product = clean(f.product);
    const company = clean(f.company);
    const signer = clean(f.signer);
    if (ofn) note(byOfn.get(nameKey(ofn)), 'original_file_name', always);
    if (product) note(byProduct.get(vendorKeyCached(product)), 'product', always);
    // A vendor name alone names a tool only when the vendor is not an OS platform and the entry
    // was written by hand: imported signers come from installers and are sometimes a wrapper's.
    const vendorNames = (key: string) => (t: CatalogTool) =>
      !PLATFORM_PUBLISHERS.has(key) && t.source !== 'lolrmm';
    if (signer) {
      const k = vendorKeyCached(signer);
      note(bySigner.get(k), 'signer', vendorNames(k));
    }
    if (company) {
      const k = vendorKeyCached(company);
      note(byCompany.get(k), 'company', vendorNames(k));
    }
    // A macOS signing identifier is the bundle id, or a helper's id below it
    // ("com.teamviewer.TeamViewer.Desktop").
    const signingId = clean(f.signingId);
    if (signingId) {
      const labels = nameKey(signingId).split('.');
      for (let n = labels.length; n >= 3; n--) {
        const hits = entryIndex.bundle_id.get(labels.slice(0, n).join('.'));
        if (hits) {
          note(hits, 'bundle_id', always);
          break;
        }
      }
    }
    if (f.image) {
      const exe = baseName(f.image);
      if (!GENERIC_FILE_NAMES.has(exe)) {
        note(byExe.get(exe), 'executable', always);
        for (const g of exeGlobs) if (globHit(g, exe, globToRegex)) note([g.tool], 'executable', always);
      }
      const key = imageKey(f.image);
      for (const g of pathsByName.get(exe) ?? [])
        if (globHit(g, key, installPathRegex)) note([g.tool], 'path', always);
      const segments = key.split('/');
      for (let i = 0; i < segments.length - 1; i++)
        for (const g of dirBySegment.get(segments[i]) ?? [])
          if (globHit(g, key, installPathRegex)) note([g.tool], 'path', always);
      for (const g of dirScan) if (globHit(g, key, installPathRegex)) note([g.tool], 'path', always);
    }
    return [...cands.values()].filter((c) => c.names).sort((a, b) => b.score - a.score);
  }

  function best(ranked: Candidate[]): CatalogMatch | undefined {
    if (ranked.length === 0) return undefined;
    const top = ranked[0];
    return {
      tool: top.tool,
      by: top.by,
      ambiguous: ranked.filter((c) => c !== top && c.score === top.score).map((c) => c.tool),
    };
  }

  // The engine asks about every new image; the same facts recur across hosts.
  const memo = new Map<string, CatalogMatch | undefined>();

  function findEntry(n: string): CatalogMatch | undefined {
    const hits: Array<{ tool: CatalogTool; by: MatchBy }> = [];
    for (const by of ['service', 'systemd_unit', 'launchd_label', 'bundle_id'] as const) {
      for (const tool of entryIndex[by].get(n) ?? []) hits.push({ tool, by });
    }
    if (hits.length === 0)
      for (const g of entryGlobs) if (g.re.test(n)) hits.push({ tool: g.tool, by: g.by });
    if (hits.length === 0) return undefined;
    const seen = new Set([hits[0].tool.id]);
    const ambiguous: CatalogTool[] = [];
    for (const h of hits.slice(1)) {
      if (seen.has(h.tool.id)) continue;
      seen.add(h.tool.id);
      ambiguous.push(h.tool);
    }
    return { tool: hits[0].tool, by: hits[0].by, ambiguous };
  }

  function domainHits(host: string): CatalogTool[] {
    const h = nameKey(host).replace(/\.$/, '');
    if (!h) return [];
    const out: CatalogTool[] = [...(exactDomains.get(h) ?? [])];
    for (let zone = h; zone; ) {
      out.push(...(zoneDomains.get(zone) ?? []));
      const dot = zone.indexOf('.');
      zone = dot < 0 ? '' : zone.slice(dot + 1);
    }
    for (const g of globDomains) if (g.re.test(h)) out.push(g.tool);
    const seen = new Set<string>();
    return out.filter((t) => !seen.has(t.id) && seen.add(t.id));
  }

  return {
    tools,
    matchImage(f: ImageFacts): CatalogMatch | undefined {
      const key = `${f.image}\u0000${f.originalFileName ?? ''}\u0000${f.product ?? ''}\u0000${f.company ?? ''}\u0000${f.signer ?? ''}\u0000${f.signingId ?? ''}`;
      if (memo.has(key)) return memo.get(key);
      const m = best(candidates(f));
      if (memo.size >= 8192) memo.clear();
      memo.set(key, m);
      return m;
    },
    matchEntry(name: string): CatalogMatch | undefined {
      let n = nameKey(name).replace(/^"|"$/g, '');
      const svc = /\\services\\([^\\]+)/.exec(n);
      if (svc) n = svc[1];
      else if (n.includes('/')) n = baseName(n);
      if (n.endsWith('.plist')) n = n.slice(0, -6);
      return findEntry(n) ?? (n.endsWith('.service') ? findEntry(n.slice(0, -8)) : findEntry(`${n}.service`));
    },
    matchDomain(host: string): CatalogTool | undefined {
      return domainHits(host)[0];
    },
    matchDomainAll(host: string): CatalogTool[] {
      return domainHits(host);
    },
    byId(id: string) {
      return ids.get(id.toLowerCase());
    },
  };
}
