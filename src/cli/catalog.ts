// `ratchain catalog list|search|show|match|check`: look at the remote-access tool catalogue
// (built-in plus --catalog files), see what it would name, and validate catalogue files before a
// hunt relies on them.
import { Command } from 'commander';
import { loadCatalog } from '../catalog/index.ts';
import { loadCatalogFile } from '../catalog/load.ts';
import type { Catalog, CatalogMatch, CatalogProblem, CatalogTool } from '../catalog/types.ts';
import { EXIT } from './exit.ts';

interface CatalogFlags {
  catalog?: string[];
  json?: boolean;
}

type Out = (s: string) => void;
const out: Out = (s) => process.stdout.write(`${s}\n`);
const err: Out = (s) => process.stderr.write(`${s}\n`);

/** The catalogue for a command, with load problems (not notes) on stderr. */
function catalogFor(flags: CatalogFlags): Catalog {
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

export function catalogCommand(): Command {
  const cmd = new Command('catalog').description(
    'list, search and show the remote-access tool catalogue, see what it names, check catalogue files',
  );
  const extra = (c: Command) =>
    c
      .option('--catalog <file...>', 'extra catalogue files (ratchain format or LOLRMM rmm_tools.json)')
      .option('--json', 'JSON output');

  extra(cmd.command('list'))
    .description('list every tool: id, name, category, platforms (W/L/M), source')
    .option('--category <category>', 'only this category (remote_support, rmm, remote_desktop, tunnel, rat)')
    .action((o: CatalogFlags & { category?: string }) => {
      const tools = catalogFor(o).tools.filter((t) => !o.category || t.category === o.category);
      if (o.json) return out(JSON.stringify(tools, null, 2));
      for (const l of listRows(tools)) out(l);
      out(`\n${tools.length} tools`);
    });

  extra(cmd.command('search'))
    .description(
      'tools whose names, files, services or domains contain TEXT; a host name also matches vendor domains',
    )
    .argument('<text>', 'any part of a name, file, service, label or domain')
    .action((text: string, o: CatalogFlags) => {
      const catalog = catalogFor(o);
      const results: Array<{ tool: CatalogTool; hits: string[] }> = [];
      const byDomain = new Set(text.includes('.') ? catalog.matchDomainAll(text) : []);
      for (const t of catalog.tools) {
        const hits = searchTool(t, text);
        if (byDomain.has(t)) hits.push(`vendor domain covers ${text}`);
        if (hits.length) results.push({ tool: t, hits });
      }
      if (o.json)
        return out(
          JSON.stringify(
            results.map((r) => ({ id: r.tool.id, name: r.tool.name, source: r.tool.source, hits: r.hits })),
            null,
            2,
          ),
        );
      for (const r of results) {
        out(`${r.tool.id}  ${r.tool.name}  (${r.tool.source})`);
        for (const h of r.hits.slice(0, 5)) out(`    ${h}`);
        if (r.hits.length > 5) out(`    ... ${r.hits.length - 5} more`);
      }
      if (results.length === 0) {
        out(`no tool mentions "${text}"`);
        process.exitCode = EXIT.findings;
      }
    });

  extra(cmd.command('show'))
    .description('everything the catalogue knows about one tool (every entry with that id)')
    .argument('<id>', 'tool id or alias, e.g. anydesk')
    .action((id: string, o: CatalogFlags) => {
      const catalog = catalogFor(o);
      const main = catalog.byId(id);
      const entries = main ? catalog.tools.filter((t) => t.id === main.id) : [];
      if (entries.length === 0) {
        const near = catalog.tools.filter((t) => t.id.includes(id.toLowerCase())).map((t) => t.id);
        err(
          `ratchain: no tool "${id}"${near.length ? `; did you mean ${[...new Set(near)].slice(0, 5).join(', ')}?` : ''}`,
        );
        process.exitCode = EXIT.usage;
        return;
      }
      if (o.json) return out(JSON.stringify(entries, null, 2));
      out(entries.flatMap(showTool).join('\n'));
    });

  extra(cmd.command('match'))
    .description('which tool the catalogue names for a binary, a service/unit/label, or a destination name')
    .option('--image <path>', 'image path')
    .option('--original-file-name <name>', 'version resource OriginalFileName')
    .option('--product <name>', 'version resource ProductName')
    .option('--company <name>', 'version resource CompanyName')
    .option('--signer <name>', 'code-signing subject')
    .option('--entry <name>', 'service name, systemd unit, launchd label or plist path')
    .option('--domain <host>', 'destination DNS name')
    .action(
      (
        o: CatalogFlags & {
          image?: string;
          originalFileName?: string;
          product?: string;
          company?: string;
          signer?: string;
          entry?: string;
          domain?: string;
        },
      ) => {
        const catalog = catalogFor(o);
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
          process.exitCode = EXIT.usage;
          return;
        }
        if (o.json) out(JSON.stringify(result, null, 2));
        else for (const l of lines) out(l);
      },
    );

  cmd
    .command('check')
    .description('validate catalogue files; every problem with its file and position')
    .argument('<file...>', 'catalogue files (ratchain YAML/JSON or LOLRMM rmm_tools.json)')
    .option('--quiet', 'errors and skipped entries only, no notes')
    .action((files: string[], o: { quiet?: boolean }) => {
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
      process.exitCode = failed ? EXIT.usage : EXIT.ok;
    });
  return cmd;
}
