// `ratchain rules list|show|check`: read what counts as each DET0496 step (the built-in packs
// plus a config's Rules:), see why each entry counts and where it comes from, and validate rule
// files before a config relies on them.
import { readFileSync } from 'node:fs';
import { closest } from '../config/did-you-mean.ts';
import {
  builtinRules,
  formatRuleProblem,
  loadRules,
  parseRulePack,
  type RuleRecord,
  type RuleSet,
} from '../rules/load.ts';
import { GROUP_PATHS } from '../rules/schema.ts';
import type { RulesFlags } from './commands/rules.ts';
import { loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

/** A summary of an entry is cut here, so a list stays one line per entry. */
const WHAT_CHARS = 70;

/** The rules a command looks at: built-in, or with the config's Rules: applied. */
async function rulesFor(o: RulesFlags, io: CliIO): Promise<RuleSet | undefined> {
  if (!o.config) return builtinRules();
  const config = await loadConfigOrExit(o.config, io);
  if (!config) return undefined;
  const r = loadRules(config.Rules, o.config);
  for (const p of r.problems) io.stderr.write(`ratchain: rules ${formatRuleProblem(p)}\n`);
  return r.problems.length ? undefined : r.rules;
}

function records(set: RuleSet, o: RulesFlags, under?: string): RuleRecord[] {
  const out: RuleRecord[] = [];
  for (const g of GROUP_PATHS) {
    if (under && g !== under && !g.startsWith(`${under}.`)) continue;
    for (const r of set.groups[g]) if (!o.platform || r.pack === o.platform) out.push(r);
  }
  return out;
}

/** One line saying what an entry holds (names, a pattern, a value). */
export function entrySummary(r: RuleRecord): string {
  const e = r.entry as Record<string, unknown>;
  const list = (xs: unknown) => (Array.isArray(xs) ? xs.join(', ') : '');
  let what: string;
  if (Array.isArray(e.names) || Array.isArray(e.patterns))
    what = [list(e.names), list(e.patterns)].filter(Boolean).join('; ');
  else if (typeof e.parent === 'string') what = `${e.parent} > ${e.child}`;
  else if (typeof e.match === 'string') what = `${e.mechanism ?? 'registry'}: ${e.match}`;
  else if (typeof e.mechanism === 'string') what = `${e.mechanism}: ${e.pattern}`;
  else if (typeof e.pattern === 'string') what = e.pattern;
  else if (typeof e.delta === 'number') what = `${e.delta > 0 ? '+' : ''}${e.delta}`;
  else if (typeof e.minScore === 'number') what = `score >= ${e.minScore}`;
  else if (Array.isArray(e.deltas)) what = e.deltas.join(', ');
  else if (typeof e.steps === 'number') what = `${e.steps} steps`;
  else if (typeof e.ceiling === 'string') what = `<= ${e.maxSteps} steps: at most ${e.ceiling}`;
  else what = String(e.value ?? '');
  return what.length > WHAT_CHARS ? `${what.slice(0, WHAT_CHARS - 1)}…` : what;
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

function unknownGroup(under: string, io: CliIO): number {
  const sections = [...new Set(GROUP_PATHS.map((g) => g.split('.')[0]))];
  const guess = closest(under, [...GROUP_PATHS, ...sections]);
  io.stderr.write(
    `ratchain: rules: no section or group "${under}"${guess ? `; did you mean "${guess}"?` : ''} (sections: ${sections.join(', ')})\n`,
  );
  return EXIT.usage;
}

export async function rulesList(under: string | undefined, o: RulesFlags, io: CliIO): Promise<number> {
  const set = await rulesFor(o, io);
  if (!set) return EXIT.usage;
  if (under && !GROUP_PATHS.some((g) => g === under || g.startsWith(`${under}.`)))
    return unknownGroup(under, io);
  const rs = records(set, o, under);
  if (o.json) {
    io.stdout.write(
      `${JSON.stringify(
        rs.map(({ group, id, pack, file, line, changedBy, entry }) => ({
          entry: `${group}.${id}`,
          pack,
          file,
          line,
          changedBy,
          ...entry,
        })),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const rows = [['ENTRY', 'PACK', 'WHAT']];
  for (const r of rs) rows.push([`${r.group}.${r.id}${r.changedBy ? ' *' : ''}`, r.pack, entrySummary(r)]);
  io.stdout.write(`${table(rows).join('\n')}\n`);
  if (rs.some((r) => r.changedBy)) io.stdout.write('* changed by the config\n');
  io.stdout.write(`${rs.length} entries; \`ratchain rules show ENTRY\` says why each counts\n`);
  return EXIT.ok;
}

function showOne(r: RuleRecord): string[] {
  const lines = [`${r.group}.${r.id}`, `  pack: ${r.pack} (${r.file}${r.line ? `:${r.line}` : ''})`];
  if (r.changedBy) lines.push(`  changed by: ${r.changedBy}`);
  for (const [k, v] of Object.entries(r.entry)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0) || v === false) continue;
    lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return lines;
}

export async function rulesShow(name: string, o: RulesFlags, io: CliIO): Promise<number> {
  const set = await rulesFor(o, io);
  if (!set) return EXIT.usage;
  const dot = name.lastIndexOf('.');
  const exact = GROUP_PATHS.find((g) => g === name.slice(0, dot));
  const hit = exact ? set.groups[exact].find((r) => r.id === name.slice(dot + 1)) : undefined;
  const rs = hit ? [hit] : records(set, o, name);
  if (rs.length === 0) {
    const all = records(set, {}).map((r) => `${r.group}.${r.id}`);
    const guess = closest(name, all);
    io.stderr.write(
      `ratchain: rules: no entry "${name}"${guess ? `; did you mean "${guess}"?` : ''} (\`ratchain rules list\` shows every entry)\n`,
    );
    return EXIT.usage;
  }
  if (o.json) {
    io.stdout.write(`${JSON.stringify(rs.length === 1 ? rs[0] : rs, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`${rs.map((r) => showOne(r).join('\n')).join('\n\n')}\n`);
  return EXIT.ok;
}

export function rulesCheck(files: string[], io: CliIO): number {
  const base = builtinRules();
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.stdout.write(`${file}: cannot read: ${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    const r = parseRulePack(text, file);
    for (const p of r.problems) io.stdout.write(`${formatRuleProblem(p)}\n`);
    if (!r.pack) {
      failed = true;
      io.stdout.write(`${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`);
      continue;
    }
    const replaced = r.pack.records.filter((x) => base.groups[x.group].some((b) => b.id === x.id)).length;
    io.stdout.write(
      `${file}: ok, ${r.pack.platform} pack, ${r.pack.records.length} entries (${replaced} replace built-in ones, ${r.pack.records.length - replaced} new)\n`,
    );
  }
  return failed ? EXIT.usage : EXIT.ok;
}
