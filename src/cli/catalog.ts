// `ratchain catalog list|search|show|match|check`: look at the remote-access tool catalogue
// (built-in plus --catalog files), see what it would name, and validate catalogue files before a
// hunt relies on them.
import { loadCatalog } from '../catalog/index.ts';
import { loadCatalogFile } from '../catalog/load.ts';
import type { Catalog, CatalogMatch, CatalogProblem, CatalogTool } from '../catalog/types.ts';
import type { CatalogFlags, MatchFlags } from './commands/catalog.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

type Out = (s: string) => void;
const printer = (io: CliIO) => ({
  out: ((s) => io.stdout.write(`${s}\n`)) as Out,
  err: ((s) => io.stderr.write(`${s}\n`)) as Out,
});

/** The catalogue for a command, with load problems (not notes) on stderr. */
function catalogFor(flags: CatalogFlags, err: Out): Catalog {
  const r = loadCatalog(flags.catalog ?? []);
  for (const p of r.problems) err(`ratchain: ${formatProblem(p)}`);
  return r.catalog;
}

export function formatProblem(p: CatalogProblem): string {
  return `${p.file}: ${p.where}: ${p.kind === 'note' ? '' : `${p.kind}: `}${p.message}`;
}

function platforms(t: CatalogTool): string {
  const exe = t.executables.some((e) => e.endsWith('.exe')) || t.services.length > 0;
  const win = t.paths.windows.length > 0 || exe;
  const linux = t.paths.linux.length > 0 || t.systemdUnits.length > 0;
  const mac = t.paths.macos.length > 0 || t.launchdLabels.length > 0 || t.bundleIds.length > 0;
  return `${win ? 'W' : '-'}${linux ? 'L' : '-'}${mac ? 'M' : '-'}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

function listRows(tools: readonly CatalogTool[]): string[] {
  const rows = [['ID', 'NAME', 'CATEGORY', 'OS', 'SOURCE']];
  for (const t of tools) rows.push([t.id, t.name, t.category, platforms(t), t.source]);
  return table(rows);
}

/** Fields of a tool that contain `text`, as "field: value" strings. */
export function searchTool(t: CatalogTool, text: string): string[] {
  const q = text.toLowerCase();
  const hits: string[] = [];
  const fields: Array<[string, string[]]> = [
    ['id', [t.id, ...(t.aliases ?? [])]],
    ['name', [t.name]],
    ['executable', t.executables],
    ['original file name', t.originalFileNames],
    ['product', t.products],
    ['company', t.companies],
    ['signer', t.signers],
    ['path', [...t.paths.windows, ...t.paths.linux, ...t.paths.macos]],
    ['service', t.services],
    ['systemd unit', t.systemdUnits],
    ['launchd label', t.launchdLabels],
    ['bundle id', t.bundleIds],
    ['domain', t.domains],
  ];
  for (const [field, values] of fields)
    for (const v of values) if (v.toLowerCase().includes(q)) hits.push(`${field}: ${v}`);
  return hits;
}

function showTool(t: CatalogTool): string[] {
  const lines = [`${t.name} (${t.id}), ${t.category.replace('_', ' ')}, from ${t.source}`];
  const field = (label: string, values: readonly (string | number)[] | undefined) => {
    if (values?.length) lines.push(`  ${label.padEnd(20)} ${values.join(', ')}`);
  };
  field('aliases', t.aliases);
  field('executables', t.executables);
  field('original file names', t.originalFileNames);
  field('products', t.products);
  field('companies', t.companies);
  field('signers', t.signers);
  field('paths (Windows)', t.paths.windows);
  field('paths (Linux)', t.paths.linux);
  field('paths (macOS)', t.paths.macos);
  field('services', t.services);
  field('systemd units', t.systemdUnits);
  field('launchd labels', t.launchdLabels);
  field('bundle ids', t.bundleIds);
  field('domains', t.domains);
  field('ports', t.ports);
  field('checked against', t.refs);
  return lines;
}

export function catalogList(o: CatalogFlags & { category?: string }, io: CliIO): number {
  const { out, err } = printer(io);
  const tools = catalogFor(o, err).tools.filter((t) => !o.category || t.category === o.category);
  if (o.json) out(JSON.stringify(tools, null, 2));
  else {
    for (const l of listRows(tools)) out(l);
    out(`\n${tools.length} tools`);
  }
  return EXIT.ok;
}

/** Exit 1 when no tool mentions the text (like grep). */
export function catalogSearch(text: string, o: CatalogFlags, io: CliIO): number {
  const { out, err } = printer(io);
  const catalog = catalogFor(o, err);
  const results: Array<{ tool: CatalogTool; hits: string[] }> = [];
  const byDomain = new Set(text.includes('.') ? catalog.matchDomainAll(text) : []);
  for (const t of catalog.tools) {
    const hits = searchTool(t, text);
    if (byDomain.has(t)) hits.push(`vendor domain covers ${text}`);
    if (hits.length) results.push({ tool: t, hits });
  }
  if (o.json) {
    out(
      JSON.stringify(
        results.map((r) => ({ id: r.tool.id, name: r.tool.name, source: r.tool.source, hits: r.hits })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const r of results) {
    out(`${r.tool.id}  ${r.tool.name}  (${r.tool.source})`);
    for (const h of r.hits.slice(0, 5)) out(`    ${h}`);
    if (r.hits.length > 5) out(`    ... ${r.hits.length - 5} more`);
  }
  if (results.length > 0) return EXIT.ok;
  out(`no tool mentions "${text}"`);
  return EXIT.findings;
}

export function catalogShow(id: string, o: CatalogFlags, io: CliIO): number {
  const { out, err } = printer(io);
  const catalog = catalogFor(o, err);
  const main = catalog.byId(id);
  const entries = main ? catalog.tools.filter((t) => t.id === main.id) : [];
  if (entries.length === 0) {
    const near = catalog.tools.filter((t) => t.id.includes(id.toLowerCase())).map((t) => t.id);
    err(
      `ratchain: no tool "${id}"${near.length ? `; did you mean ${[...new Set(near)].slice(0, 5).join(', ')}?` : ''}`,
    );
    return EXIT.usage;
  }
  out(o.json ? JSON.stringify(entries, null, 2) : entries.flatMap(showTool).join('\n'));
  return EXIT.ok;
}

export function catalogMatch(o: MatchFlags, io: CliIO): number {
  const { out, err } = printer(io);
  const catalog = catalogFor(o, err);
  const lines: string[] = [];
  const result: Record<string, unknown> = {};
  const describe = (what: string, m: CatalogMatch | undefined) => {
    result[what] = m
      ? {
          id: m.tool.id,
          name: m.tool.name,
          by: m.by,
          source: m.tool.source,
          ambiguous: m.ambiguous.map((t) => t.id),
        }
      : null;
    if (!m) lines.push(`${what}: no tool`);
    else
      lines.push(
        `${what}: ${m.tool.name} (${m.tool.id}) by ${m.by.replace(/_/g, ' ')}, from ${m.tool.source}` +
          (m.ambiguous.length ? `; equally: ${m.ambiguous.map((t) => t.id).join(', ')}` : ''),
      );
  };
  if (o.image || o.originalFileName || o.product || o.company || o.signer)
    describe(
      'image',
      catalog.matchImage({
        image: o.image ?? '',
        originalFileName: o.originalFileName,
        product: o.product,
        company: o.company,
        signer: o.signer,
      }),
    );
  if (o.entry) describe('entry', catalog.matchEntry(o.entry));
  if (o.domain) {
    const tools = catalog.matchDomainAll(o.domain);
    result.domain = tools.map((t) => t.id);
    lines.push(
      `domain: ${tools.length ? tools.map((t) => `${t.name} (${t.id})`).join(', ') : 'no vendor domain covers it'}`,
    );
  }
  if (lines.length === 0) {
    err('ratchain: give --image and/or metadata, --entry or --domain');
    return EXIT.usage;
  }
  if (o.json) out(JSON.stringify(result, null, 2));
  else for (const l of lines) out(l);
  return EXIT.ok;
}

export function catalogCheck(files: string[], o: { quiet?: boolean }, io: CliIO): number {
  const { out } = printer(io);
  let failed = false;
  for (const file of files) {
    const r = loadCatalogFile(file);
    const count = (k: CatalogProblem['kind']) => r.problems.filter((p) => p.kind === k).length;
    for (const p of r.problems) if (!o.quiet || p.kind !== 'note') out(formatProblem(p));
    const errors = count('error');
    if (errors) failed = true;
    const entries = r.entries
      ? `, ${r.entries.length} entries (${['imported', 'merged', 'skipped'].map((k) => `${r.entries!.filter((e) => e.outcome === k).length} ${k}`).join(', ')})`
      : '';
    out(
      `${file}: ${r.format} catalogue${entries}: ${r.tools.length} tools loaded, ${errors} errors, ${count('skipped')} skipped, ${count('note')} notes`,
    );
  }
  return failed ? EXIT.usage : EXIT.ok;
}
