// Imports the public LOLRMM catalogue (rmm_tools.json, a JSON array of tools) as catalogue
// entries. Its fields are filled by many hands: domains mix globs, regexes, URLs, ports and
// placeholders; paths mix %VARS%, globs and bare file names; OS names are spelled five ways;
// some tools appear twice. Each value is normalized or dropped with a note, and every tool is
// either imported or reported with the reason it was skipped.
import { baseName } from './match.ts';
import { mergeTools } from './merge.ts';
import {
  COMMON_DIRS,
  DOMAIN_PATTERN,
  GENERIC_FILE_NAMES,
  isSharedInfra,
  nameKey,
  vendorKey,
} from './normalize.ts';
import type { CatalogProblem, CatalogTool } from './types.ts';

export const LOLRMM_SOURCE = 'lolrmm';

/** What happened to one LOLRMM entry. */
export interface LolrmmOutcome {
  index: number;
  name: string;
  id?: string;
  outcome: 'imported' | 'merged' | 'skipped';
  reason?: string;
}

export interface LolrmmImport {
  tools: CatalogTool[];
  problems: CatalogProblem[];
  entries: LolrmmOutcome[];
}

type Os = 'windows' | 'linux' | 'macos';

/** True when parsed JSON looks like LOLRMM's rmm_tools.json. */
export function isLolrmm(data: unknown): data is unknown[] {
  if (!Array.isArray(data) || data.length === 0) return false;
  const first = data.find((x) => typeof x === 'object' && x !== null) as Record<string, unknown> | undefined;
  return !!first && 'Name' in first && ('Details' in first || 'Artifacts' in first);
}

/** LOLRMM's OS spellings ("MacOS 64bit", "Linux/macOS", "windows") as ratchain's three. */
export function normalizeOs(raw: unknown): Os[] {
  if (typeof raw !== 'string') return [];
  const out: Os[] = [];
  for (const part of raw.toLowerCase().split(/[/,&]| and /)) {
    const p = part.trim();
    if (p.startsWith('win')) out.push('windows');
    else if (p.startsWith('mac') || p.startsWith('osx') || p.startsWith('os x')) out.push('macos');
    else if (p.startsWith('linux') || p.startsWith('ubuntu') || p.startsWith('debian')) out.push('linux');
  }
  return out;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}(\/\d+)?$/;

/** A LOLRMM domain value as a catalogue domain pattern, or the reason it cannot be one. */
export function normalizeDomain(raw: unknown): { domain: string; rewritten?: string } | { drop: string } {
  if (typeof raw !== 'string') return { drop: 'not a string' };
  let s = raw.trim().toLowerCase();
  if (!s) return { drop: 'empty' };
  if (/[<>\s]/.test(s) || !s.includes('.')) return { drop: 'a placeholder, not a domain' };
  const original = s;
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  s = s.replace(/[/?#].*$/, '');
  s = s.replace(/:\d+(-\d+)?$/, '');
  s = s.replace(/\.$/, '');
  if (IPV4.test(s) || s.includes(':')) return { drop: 'an IP address (allow addresses by CIDR instead)' };
  // Regex pieces become globs ("relay-[a-f0-9]{8}.net.x.com" -> "relay-*.net.x.com"); a plain
  // glob's ".*." ("rescue-list.*.x.com") is a wildcard label and stays as it is.
  if (/\\\.|[[{^$|()]|\.\+/.test(s)) {
    s = s.replace(/\\\./g, '.');
    s = s.replace(/\[[^\]]*\](\{\d+(,\d*)?\}|[*+?])?/g, '*');
    s = s.replace(/\.[*+]/g, '*');
    s = s.replace(/^\^|\$$/g, '');
  }
  s = s.replace(/\*+/g, '*');
  if (!DOMAIN_PATTERN.test(s)) return { drop: 'not a DNS name or pattern' };
  const literalLabels = s.split('.').filter((l) => !l.includes('*'));
  if (literalLabels.length < 2) return { drop: 'too broad: a wildcard over a whole top-level domain' };
  if (isSharedInfra(s)) return { drop: 'a shared cloud zone: allowing it would allow unrelated traffic' };
  return s === original ? { domain: s } : { domain: s, rewritten: original };
}

const PROGRAM_EXT = /\.(exe|scr|com|bat|cmd|ps1|py|sh|app)$/;
const NOT_PROGRAM_EXT =
  /\.(dll|sys|msi|pkg|dmg|deb|rpm|zip|log|txt|conf|cfg|ini|json|xml|db|sock|lnk|plist|service|key|pem|crt|dat|tmp|jar)$/;

type PathFact =
  | { kind: 'executable'; value: string }
  | { kind: 'path'; os: Os[]; value: string; executable?: string }
  | { kind: 'systemd_unit' | 'launchd_label'; value: string }
  | { kind: 'drop'; reason: string };

/** One LOLRMM path-like value as an executable, an install path or a persistence entry. */
export function classifyPath(raw: unknown, toolOs: Os[]): PathFact {
  if (typeof raw !== 'string' || !raw.trim()) return { kind: 'drop', reason: 'empty path' };
  let p = raw.trim().replace(/^"|"$/g, '');
  if (p.includes('[')) p = p.replace(/\[[^\]]*\](\{\d+(,\d*)?\}|[*+?])?/g, '*');
  if (p.includes('**')) p = p.replace(/\*+/g, '*');
  const low = p.toLowerCase();
  const unit = /^\/(etc|lib|usr\/lib|run)\/systemd\/(system|user)\/([^/]+\.service)$/.exec(low);
  if (unit) return { kind: 'systemd_unit', value: unit[3] };
  const plist = /\/launch(daemons|agents)\/([^/]+)\.plist$/.exec(low);
  if (plist) return { kind: 'launchd_label', value: plist[2] };
  if (!/[\\/]/.test(p)) {
    if (NOT_PROGRAM_EXT.test(low)) return { kind: 'drop', reason: `"${p}" is not a program file` };
    if (low.endsWith('.app')) return { kind: 'executable', value: low.slice(0, -4) };
    if (!PROGRAM_EXT.test(low) && low.includes('.') && !low.includes('*'))
      return { kind: 'drop', reason: `"${p}" is not a program file` };
    return { kind: 'executable', value: low };
  }
  const windows = p.includes('\\') || /^[a-z]:/i.test(p) || /^%[a-z0-9_()]+%/i.test(p);
  // A relative path ("NetSarang\xShell\*", "helpwire-operator/bin/x") may sit anywhere.
  if (!/^([a-z]:|%|\/|~|\*|\\)/i.test(p)) p = `*${windows ? '\\' : '/'}${p}`;
  const segments = low.split(/[\\/]+/).map((s) => s.replace(/%[a-z0-9_()]+%/g, '*'));
  if (segments.every((s) => COMMON_DIRS.has(s) || /^[*?]+$/.test(s) || /^[a-z]:$/.test(s)))
    return { kind: 'drop', reason: `"${p}" is too broad to name a tool` };
  let os: Os[];
  if (windows) os = ['windows'];
  else if (
    /^(~\/)?(applications|library|system|users|private)\//.test(low.replace(/^\//, '')) ||
    low.includes('.app/')
  )
    os = ['macos'];
  else os = toolOs.includes('macos') && !toolOs.includes('linux') ? ['macos'] : ['linux'];
  const last = baseName(low);
  const executable =
    last && !last.includes('*') && (PROGRAM_EXT.test(last) || (!windows && !last.includes('.')))
      ? last
      : undefined;
  return { kind: 'path', os, value: p, executable };
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const t = v.trim();
    if (t) out.push(t);
  } else if (Array.isArray(v)) for (const x of v) strings(x, out);
  return out;
}

function objects(v: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(v))
    return v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  if (typeof v === 'object' && v !== null) return [v as Record<string, unknown>];
  return [];
}

function get(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys)
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function emptyTool(id: string, name: string, category: CatalogTool['category']): CatalogTool {
  return {
    id,
    name,
    category,
    executables: [],
    originalFileNames: [],
    products: [],
    companies: [],
    signers: [],
    paths: { windows: [], linux: [], macos: [] },
    services: [],
    systemdUnits: [],
    launchdLabels: [],
    bundleIds: [],
    domains: [],
    ports: [],
    source: LOLRMM_SOURCE,
  };
}

function push<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Converts parsed rmm_tools.json into catalogue tools, with a note for every dropped value. */
export function importLolrmm(data: unknown[], file: string): LolrmmImport {
  const problems: CatalogProblem[] = [];
  const entries: LolrmmOutcome[] = [];
  const byId = new Map<string, { tool: CatalogTool; index: number }>();
  const tools: CatalogTool[] = [];

  for (const [index, raw] of data.entries()) {
    const rawName = get(raw, 'Name');
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    const where = `entry ${index}${name ? ` (${name})` : ''}`;
    const note = (field: string, message: string) =>
      problems.push({ file, where: `${where}.${field}`, message, kind: 'note' });
    const skip = (reason: string) => {
      problems.push({ file, where, message: reason, kind: 'skipped' });
      entries.push({ index, name, outcome: 'skipped', reason });
    };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      skip('not an object');
      continue;
    }
    if (!name) {
      skip('no Name');
      continue;
    }
    const id = slug(name);
    if (!id) {
      skip(`Name "${name}" has no letters or digits to make an id from`);
      continue;
    }

    const cat = String(get(raw, 'Category') ?? '').toLowerCase();
    const category: CatalogTool['category'] = cat === 'rat' ? 'rat' : 'rmm';
    if (cat !== 'rat' && cat !== 'rmm') note('Category', `unknown category "${cat}", imported as rmm`);
    const t = emptyTool(id, name, category);

    const os = new Set<Os>();
    for (const o of strings(get(raw, 'Details', 'SupportedOS'))) for (const n of normalizeOs(o)) os.add(n);

    for (const pe of objects(get(raw, 'Details', 'PEMetadata'))) {
      for (const f of strings(pe.Filename))
        addExecutable(t, f, (m) => note('Details.PEMetadata.Filename', m));
      for (const f of strings(pe.OriginalFileName)) {
        const k = nameKey(f);
        if (GENERIC_FILE_NAMES.has(k))
          note('Details.PEMetadata.OriginalFileName', `"${f}" is too common to name a tool`);
        else push(t.originalFileNames, k);
      }
      for (const p of strings(pe.Product)) push(t.products, vendorKey(p));
      for (const c of strings(pe.Company)) push(t.companies, vendorKey(c));
    }

    const pathValues = [
      ...strings(get(raw, 'Details', 'InstallationPaths')),
      ...strings(get(raw, 'InstallationPaths')),
      ...strings(get(raw, 'Artifacts', 'InstallationPaths')),
    ];
    for (const p of pathValues)
      addPath(t, classifyPath(p, [...os]), (m) => note('Details.InstallationPaths', m));
    // Disk artifacts are mostly logs and configs; only unit files and plists say how it persists.
    for (const d of objects(get(raw, 'Artifacts', 'Disk'))) {
      for (const f of strings(d.File)) {
        const c = classifyPath(f, normalizeOs(d.OS));
        if (c.kind === 'systemd_unit' || c.kind === 'launchd_label') addPath(t, c, () => {});
      }
    }
    for (const r of objects(get(raw, 'Artifacts', 'Registry'))) {
      for (const p of strings(r.Path)) {
        const m = /\\services\\([^\\*]+)/i.exec(p);
        if (m && !/\\eventlog\\/i.test(p)) push(t.services, m[1].trim());
      }
    }
    for (const e of objects(get(raw, 'Artifacts', 'EventLog'))) {
      for (const s of strings(e.ServiceName)) push(t.services, s);
    }
    for (const o of objects(get(raw, 'Artifacts', 'Other'))) {
      const type = String(o.Type ?? '').toLowerCase();
      const values = strings(o.Value);
      if (type.includes('systemd')) for (const v of values) push(t.systemdUnits, v);
      else if (type.includes('launch') || type.includes('macos daemon'))
        for (const v of values) push(t.launchdLabels, v);
      else if (/(^|\s)service( name)?$|service ?name/.test(type)) for (const v of values) push(t.services, v);
    }

    const signing = get(raw, 'CodeSigning');
    for (const c of objects(get(signing, 'certificates'))) {
      for (const s of strings(c.signer_name)) push(t.signers, vendorKey(s));
      for (const s of strings(c.src_file_company)) push(t.companies, vendorKey(s));
    }
    for (const s of strings(get(signing, 'signer_names'))) push(t.signers, vendorKey(s));
    for (const s of strings(get(signing, 'company_names'))) push(t.companies, vendorKey(s));
    t.signers = t.signers.filter(Boolean);
    t.companies = t.companies.filter(Boolean);

    for (const n of objects(get(raw, 'Artifacts', 'Network'))) {
      for (const d of strings(n.Domains)) {
        const r = normalizeDomain(d);
        if ('drop' in r) note('Artifacts.Network.Domains', `"${d}" dropped: ${r.drop}`);
        else {
          if (r.rewritten) note('Artifacts.Network.Domains', `"${d}" read as "${r.domain}"`);
          push(t.domains, r.domain);
        }
      }
      for (const p of Array.isArray(n.Ports) ? n.Ports : [n.Ports]) {
        if (p === undefined || p === null || p === '') continue;
        const v = typeof p === 'number' ? p : /^\d+$/.test(String(p).trim()) ? Number(p) : Number.NaN;
        if (Number.isInteger(v) && v >= 1 && v <= 65535) push(t.ports, v);
        else note('Artifacts.Network.Ports', `"${String(p)}" dropped: not a single port`);
      }
    }

    const names =
      t.executables.length +
      t.originalFileNames.length +
      t.products.length +
      t.services.length +
      t.systemdUnits.length +
      t.launchdLabels.length +
      t.paths.windows.length +
      t.paths.linux.length +
      t.paths.macos.length +
      t.domains.length;
    if (names === 0) {
      skip(
        t.signers.length || t.companies.length
          ? 'only code-signing names, which never name a tool on their own'
          : 'no executable, metadata, path, service or usable domain to recognise it by',
      );
      continue;
    }
    const earlier = byId.get(id);
    if (earlier) {
      const merged = mergeTools(earlier.tool, t);
      tools[tools.indexOf(earlier.tool)] = merged;
      earlier.tool = merged;
      problems.push({
        file,
        where,
        message: `same tool as entry ${earlier.index} (${earlier.tool.name}); merged into it`,
        kind: 'note',
      });
      entries.push({ index, name, id, outcome: 'merged', reason: `duplicate of entry ${earlier.index}` });
      continue;
    }
    byId.set(id, { tool: t, index });
    tools.push(t);
    entries.push({ index, name, id, outcome: 'imported' });
  }
  return { tools, problems, entries };
}

function addExecutable(t: CatalogTool, f: string, note: (m: string) => void): void {
  const c = classifyPath(f, []);
  if (c.kind === 'executable') {
    if (GENERIC_FILE_NAMES.has(c.value)) note(`"${f}" is too common to name a tool`);
    else push(t.executables, c.value);
  } else if (c.kind === 'path' && c.executable) push(t.executables, c.executable);
  else if (c.kind === 'drop') note(`"${f}" dropped: ${c.reason}`);
}

function addPath(t: CatalogTool, c: PathFact, note: (m: string) => void): void {
  switch (c.kind) {
    case 'executable':
      if (GENERIC_FILE_NAMES.has(c.value)) note(`"${c.value}" is too common to name a tool`);
      else push(t.executables, c.value);
      return;
    case 'path':
      for (const os of c.os) push(t.paths[os], c.value);
      if (c.executable && !GENERIC_FILE_NAMES.has(c.executable)) push(t.executables, c.executable);
      return;
    case 'systemd_unit':
      push(t.systemdUnits, c.value);
      return;
    case 'launchd_label':
      push(t.launchdLabels, c.value);
      return;
    case 'drop':
      note(c.reason);
  }
}
