// ratchain's own catalogue file format (YAML or JSON, documented in README.md): a list of tools.
// Each entry is checked on its own, so one bad entry is reported with its position and skipped
// while the rest of the file loads.
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import * as z from 'zod';
import { closest } from '../config/did-you-mean.ts';
import { nodeAt, yamlData } from '../config/yaml-position.ts';
import { DOMAIN_PATTERN, isSharedInfra, nameKey, vendorKey } from './normalize.ts';
import type { CatalogProblem, CatalogTool } from './types.ts';

export const FORMAT_KEY = 'ratchain-catalog';
export const FORMAT_VERSION = 1;

const CATEGORIES = ['remote_support', 'rmm', 'remote_desktop', 'tunnel', 'rat'] as const;
const list = z.array(z.string().trim().min(1, 'must not be empty')).default([]);

const windowsPath = z
  .string()
  .refine(
    (p) => /^([a-z]:\\|%[a-z0-9_()]+%|\*|\\\\)/i.test(p),
    'a Windows path starts with a drive, %VAR% or *',
  );
const posixPath = z
  .string()
  .refine((p) => /^(\/|~\/|\*)/.test(p), 'a Linux or macOS path starts with / or ~/');

const entrySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-", e.g. "anydesk"'),
  name: z.string().trim().min(1),
  category: z.enum(CATEGORIES),
  aliases: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'an alias is written like an id')).default([]),
  executables: z
    .array(
      z.string().refine((s) => !/[\\/]/.test(s), 'a file name without directories (put paths under paths:)'),
    )
    .default([]),
  originalFileNames: list,
  products: list,
  companies: list,
  signers: list,
  paths: z
    .strictObject({
      windows: z.array(windowsPath).default([]),
      linux: z.array(posixPath).default([]),
      macos: z.array(posixPath).default([]),
    })
    .default({ windows: [], linux: [], macos: [] }),
  services: list,
  systemdUnits: list,
  launchdLabels: list,
  bundleIds: list,
  domains: z
    .array(
      z
        .string()
        .transform((d) => d.trim().toLowerCase())
        .refine((d) => DOMAIN_PATTERN.test(d), 'a DNS name or "*.name" (no scheme, port or path)')
        .refine(
          (d) => !isSharedInfra(d),
          'a shared cloud zone would allow everyone on it; list the vendor subdomain',
        ),
    )
    .default([]),
  ports: z.array(z.number().int().min(1).max(65535)).default([]),
  refs: z.array(z.string().url()).default([]),
});

type Entry = z.output<typeof entrySchema>;

const KNOWN = Object.keys(entrySchema.shape);

function toTool(e: Entry, source: string): CatalogTool {
  const low = (xs: string[]) => [...new Set(xs.map(nameKey))];
  return {
    id: e.id,
    name: e.name,
    category: e.category,
    executables: low(e.executables),
    originalFileNames: low(e.originalFileNames),
    products: [...new Set(e.products.map(vendorKey))],
    companies: [...new Set(e.companies.map(vendorKey))],
    signers: [...new Set(e.signers.map(vendorKey))],
    paths: e.paths,
    services: e.services,
    systemdUnits: e.systemdUnits,
    launchdLabels: e.launchdLabels,
    bundleIds: e.bundleIds,
    domains: [...new Set(e.domains)],
    ports: e.ports,
    source,
    aliases: e.aliases,
    refs: e.refs,
  };
}

function identifies(e: Entry): boolean {
  return (
    e.executables.length +
      e.originalFileNames.length +
      e.products.length +
      e.signers.length +
      e.services.length +
      e.systemdUnits.length +
      e.launchdLabels.length +
      e.bundleIds.length +
      e.paths.windows.length +
      e.paths.linux.length +
      e.paths.macos.length +
      e.domains.length >
    0
  );
}

/** True when parsed data looks like a ratchain catalogue ({ratchain-catalog: 1, tools: [...]}). */
export function isRatchainCatalog(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'tools' in data;
}

/**
 * Parses a ratchain catalogue document. `source` names the catalogue in findings ("builtin", or
 * the file path). Problems name the file and the entry (index, id), field and line.
 */
export function parseRatchainCatalog(
  text: string,
  file: string,
  source: string = file,
): { tools: CatalogTool[]; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const at = (n: YamlNode | undefined) => {
    const off = n?.range?.[0];
    if (off === undefined) return '';
    const p = lc.linePos(off);
    return `line ${p.line}:${p.col}`;
  };
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    problems.push({
      file,
      where: `line ${p.line}:${p.col}`,
      message: e.message.split('\n')[0],
      kind: 'error',
    });
  }
  if (problems.length) return { tools: [], problems };
  const read = yamlData(doc);
  if ('refused' in read)
    return { tools: [], problems: [{ file, where: 'line 1:1', message: read.refused, kind: 'error' }] };
  const data = read.data as Record<string, unknown> | null;
  if (!isRatchainCatalog(data) || !Array.isArray(data?.tools)) {
    problems.push({
      file,
      where: 'top level',
      message: `not a ratchain catalogue: expected "${FORMAT_KEY}: ${FORMAT_VERSION}" and a "tools:" list`,
      kind: 'error',
    });
    return { tools: [], problems };
  }
  const version = data[FORMAT_KEY];
  if (version !== undefined && version !== FORMAT_VERSION) {
    problems.push({
      file,
      where: `${FORMAT_KEY}, ${at(nodeAt(doc.contents, [FORMAT_KEY]))}`,
      message: `format version ${String(version)} is not supported (this ratchain reads ${FORMAT_VERSION})`,
      kind: 'error',
    });
    return { tools: [], problems };
  }
  for (const key of Object.keys(data)) {
    if (key !== 'tools' && key !== FORMAT_KEY)
      problems.push({
        file,
        where: `${key}, ${at(nodeAt(doc.contents, [key]))}`,
        message: `unknown top-level key "${key}" (ignored)`,
        kind: 'note',
      });
  }

  const tools: CatalogTool[] = [];
  const seen = new Map<string, number>();
  (data.tools as unknown[]).forEach((raw, i) => {
    const id = (raw as { id?: unknown })?.id;
    const label = `tools[${i}]${typeof id === 'string' ? ` (${id})` : ''}`;
    const r = entrySchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const path = ['tools', i, ...issue.path];
        let field = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
        let message = issue.message;
        if (issue.code === 'unrecognized_keys') {
          const keys = (issue as { keys: string[] }).keys;
          field += `.${keys[0]}`;
          path.push(keys[0]);
          const near = closest(keys[0], KNOWN);
          message = `unknown field "${keys[0]}"${near ? ` (did you mean "${near}"?)` : ''}`;
        }
        const pos = at(nodeAt(doc.contents, path));
        problems.push({ file, where: `${label}${field}${pos ? `, ${pos}` : ''}`, message, kind: 'error' });
      }
      problems.push({
        file,
        where: label,
        message: 'entry not loaded (see the errors above)',
        kind: 'skipped',
      });
      return;
    }
    const e = r.data;
    const pos = at(nodeAt(doc.contents, ['tools', i]));
    if (seen.has(e.id)) {
      problems.push({
        file,
        where: `${label}, ${pos}`,
        message: `duplicate id "${e.id}" (first at tools[${seen.get(e.id)}]); entry not loaded`,
        kind: 'skipped',
      });
      return;
    }
    if (!identifies(e)) {
      problems.push({
        file,
        where: `${label}, ${pos}`,
        message:
          'nothing to recognise the tool by (no executable, metadata, path or service); entry not loaded',
        kind: 'skipped',
      });
      return;
    }
    seen.set(e.id, i);
    tools.push(toTool(e, source));
  });
  return { tools, problems };
}
