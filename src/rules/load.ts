// Checks rule packs: the built-in ones (common, windows, linux, macos; from the sources, cached
// by content hash, or once by the build for the package) and a config's `Rules: { Files,
// Override }`. Every mistake is reported with its file, line, column and a hint; a broken
// built-in pack is a bug in ratchain and throws. The checked sets are held by rule-set.ts, which
// the engine reads without loading this module's checkers (yaml, zod).
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { assetPath, readAsset } from '../assets.ts';
import { cachedCheck } from '../checked-cache.ts';
import { closest } from '../config/did-you-mean.ts';
import { keyNodeAt, nodeAt, yamlData } from '../config/yaml-position.ts';
import {
  builtinRules,
  isBuiltinSpec,
  type RuleProblem,
  type RuleRecord,
  type RuleSet,
  RulesError,
  type RulesSpec,
  rememberRules,
} from './rule-set.ts';
import {
  FIXED_IDS,
  GROUP_PATHS,
  GROUPS,
  type GroupPath,
  PACKS,
  type PackPlatform,
  packSchema,
  SECTIONS,
} from './schema.ts';

export type { RuleProblem, RuleRecord, RuleSet, RulesSpec } from './rule-set.ts';
export { builtinRules, formatRuleProblem, RulesError, rulesFor } from './rule-set.ts';

export interface ParsedPack {
  platform: PackPlatform;
  description: string;
  file: string;
  records: RuleRecord[];
}

type Position = (path: PropertyKey[]) => { line?: number; column?: number };

function zodProblems(
  error: z.ZodError,
  file: string,
  pos: Position,
  base: PropertyKey[] = [],
): RuleProblem[] {
  return error.issues.map((issue) => {
    const path = [...base, ...(issue.path as PropertyKey[])];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const known = knownKeysAt(path);
      const guess = known ? closest(key, known) : undefined;
      return {
        file,
        ...pos([...path, `\0key:${key}`]),
        path: [...path, key].join('.'),
        message: `unknown key "${key}"`,
        hint: guess
          ? `did you mean "${guess}"?`
          : known
            ? `the keys here are ${known.join(', ')}`
            : undefined,
      };
    }
    return { file, ...pos(path), path: path.join('.'), at: path, message: issue.message };
  });
}

/** The keys a pack allows at `path` (sections, groups), for did-you-mean. */
function knownKeysAt(path: PropertyKey[]): string[] | undefined {
  if (path.length === 0) return ['ratchainRules', 'platform', 'description', ...SECTIONS];
  if (path.length === 1)
    return GROUP_PATHS.filter((g) => g.startsWith(`${String(path[0])}.`)).map((g) => g.split('.')[1]);
  return undefined;
}

function positions(doc: ReturnType<typeof parseDocument>, lc: LineCounter): Position {
  return (path) => {
    const last = path[path.length - 1];
    const node =
      typeof last === 'string' && last.startsWith('\0key:')
        ? keyNodeAt(doc.contents, path.slice(0, -1), last.slice(5))
        : nodeAt(doc.contents, path);
    if (!node?.range) return {};
    const p = lc.linePos(node.range[0]);
    return { line: p.line, column: p.col };
  };
}

/** Checks one pack file's text; returns its entries and every problem with its position. */
export function parseRulePack(text: string, file: string): { pack?: ParsedPack; problems: RuleProblem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return {
          file,
          line: p.line,
          column: p.col,
          path: '',
          message: e.message.split('\n')[0],
          hint: 'fix the YAML syntax (indentation, quotes, colons)',
        };
      }),
    };
  }
  const pos = positions(doc, lc);
  const read = yamlData(doc);
  if ('refused' in read)
    return {
      problems: [
        { file, line: 1, column: 1, path: '', message: read.refused, hint: 'write the entries out' },
      ],
    };
  const r = packSchema.safeParse(read.data ?? {});
  if (!r.success) return { problems: zodProblems(r.error, file, pos) };
  const data = r.data as Record<string, unknown> & { platform: PackPlatform; description: string };
  const records: RuleRecord[] = [];
  const problems: RuleProblem[] = [];
  for (const group of GROUP_PATHS) {
    const [section, name] = group.split('.');
    const entries = (data[section] as Record<string, Record<string, unknown>> | undefined)?.[name];
    for (const [id, entry] of Object.entries(entries ?? {})) {
      const fixed = FIXED_IDS[group];
      if (fixed && !fixed.includes(id)) {
        problems.push({
          file,
          ...pos([section, name, `\0key:${id}`]),
          path: `${group}.${id}`,
          message: `"${id}" is not an entry of ${group}`,
          hint: `the entries here are ${fixed.join(', ')}${closest(id, [...fixed]) ? `; did you mean "${closest(id, [...fixed])}"?` : ''}`,
        });
        continue;
      }
      records.push({
        group,
        id,
        pack: data.platform,
        file,
        line: pos([section, name, id]).line,
        entry: entry as Record<string, unknown>,
      });
    }
  }
  if (problems.length) return { problems };
  return { pack: { platform: data.platform, description: data.description, file, records }, problems };
}

function emptyGroups(): Record<GroupPath, RuleRecord[]> {
  return Object.fromEntries(GROUP_PATHS.map((g) => [g, []])) as unknown as Record<GroupPath, RuleRecord[]>;
}

/** Adds a pack's entries: a new id is appended; `replace` lets a user file replace an entry by id. */
function addPack(set: RuleSet, pack: ParsedPack, replace: boolean, problems: RuleProblem[]): void {
  set.packs.push({ platform: pack.platform, description: pack.description, file: pack.file });
  for (const rec of pack.records) {
    const list = set.groups[rec.group];
    const i = list.findIndex((x) => x.id === rec.id);
    if (i < 0) list.push(rec);
    else if (replace) list[i] = { ...rec, changedBy: rec.file };
    else
      problems.push({
        file: rec.file,
        line: rec.line,
        path: `${rec.group}.${rec.id}`,
        message: `the id "${rec.id}" is already used in ${rec.group} by ${list[i].file}`,
        hint: 'ids are unique within a group across the built-in packs',
      });
  }
}

/** Entries the engine cannot do without: every weight, every confidence term, the chain limits. */
const REQUIRED: Partial<Record<GroupPath, readonly string[]>> = {
  'score.weights': FIXED_IDS['score.weights'],
  'score.confidence': FIXED_IDS['score.confidence'],
  'score.steps': FIXED_IDS['score.steps'],
  'severity.alert': FIXED_IDS['severity.alert'],
  'severity.signal': FIXED_IDS['severity.signal'],
  'egress.thresholds': FIXED_IDS['egress.thresholds'],
  'severity.floors': FIXED_IDS['severity.floors'],
};

function missingProblems(set: RuleSet, file: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [group, ids] of Object.entries(REQUIRED) as Array<[GroupPath, readonly string[]]>)
    for (const id of ids)
      if (!set.groups[group].some((r) => r.id === id))
        problems.push({
          file,
          path: `${group}.${id}`,
          message: `${group}.${id} is required (it was removed)`,
          hint: 'change it instead of removing it',
        });
  return problems;
}

// ---- built-in packs ------------------------------------------------------------------------

export const BUILTIN_PACKS = PACKS.map((p) => `rules/${p}.yaml`);

function parseBuiltinPacks(texts: string[], files: string[]): ParsedPack[] {
  const packs: ParsedPack[] = [];
  const problems: RuleProblem[] = [];
  for (const [i, text] of texts.entries()) {
    const r = parseRulePack(text, files[i]);
    problems.push(...r.problems);
    if (r.pack) packs.push(r.pack);
  }
  if (problems.length) throw new RulesError(problems);
  return packs;
}

function ruleSetOf(packs: ParsedPack[]): RuleSet {
  const set: RuleSet = { packs: [], groups: emptyGroups() };
  const problems: RuleProblem[] = [];
  for (const p of packs) addPack(set, p, false, problems);
  problems.push(...missingProblems(set, 'built-in rules'));
  if (problems.length) throw new RulesError(problems);
  return set;
}

/**
 * The built-in packs checked from their sources (running from a clone; the package reads the
 * build's result, checked-builtins.built.ts). Checking with positions costs a few hundred
 * milliseconds, so the packs are cached by content and by the paths they record (checked-cache.ts).
 */
export function checkBuiltinRules(): RuleSet {
  const texts = BUILTIN_PACKS.map(readAsset);
  const files = BUILTIN_PACKS.map(assetPath);
  const packs = cachedCheck(
    'rules',
    [...texts, ...files],
    () => parseBuiltinPacks(texts, files),
    (c): c is ParsedPack[] => Array.isArray(c) && c.length === BUILTIN_PACKS.length,
  );
  return ruleSetOf(packs);
}

/** The built-in packs checked for the build, each file named as an asset ("rules/common.yaml"). */
export function checkBuiltinRulesForBuild(read: (asset: string) => string): RuleSet {
  return ruleSetOf(parseBuiltinPacks(BUILTIN_PACKS.map(read), BUILTIN_PACKS));
}

// ---- a config's Rules ----------------------------------------------------------------------

function copy(set: RuleSet): RuleSet {
  const groups = emptyGroups();
  for (const g of GROUP_PATHS) groups[g] = [...set.groups[g]];
  return { packs: [...set.packs], groups };
}

/** Where an override key points: its group and id, or why it points nowhere. */
function overrideTarget(
  set: RuleSet,
  key: string,
): { group: GroupPath; id: string } | { problem: string; hint?: string } {
  const dot = key.lastIndexOf('.');
  const group = key.slice(0, dot) as GroupPath;
  const id = key.slice(dot + 1);
  if (dot < 0 || !(group in GROUPS)) {
    const guess = closest(key.slice(0, Math.max(dot, 0)) || key, GROUP_PATHS);
    return {
      problem: `"${key}" names no rule group`,
      hint: `write section.group.id, e.g. control.children.shells${guess ? `; did you mean group "${guess}"?` : ''}`,
    };
  }
  if (!set.groups[group].some((r) => r.id === id)) {
    const ids = set.groups[group].map((r) => r.id);
    const guess = closest(id, ids);
    return {
      problem: `${group} has no entry "${id}"`,
      hint: guess
        ? `did you mean "${guess}"? (\`ratchain rules list\` shows every id)`
        : `the entries are ${ids.join(', ')}`,
    };
  }
  return { group, id };
}

/** Applies `Override` entries: each merges over the entry it names, or (null) removes it. */
function applyOverrides(
  set: RuleSet,
  override: Record<string, unknown>,
  file: string,
  problems: RuleProblem[],
): void {
  for (const [key, value] of Object.entries(override)) {
    const t = overrideTarget(set, key);
    const at = ['Rules', 'Override', key];
    if ('problem' in t) {
      problems.push({ file, path: at.join('.'), at, message: t.problem, hint: t.hint });
      continue;
    }
    const list = set.groups[t.group];
    const i = list.findIndex((r) => r.id === t.id);
    if (value === null) {
      list.splice(i, 1);
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({
        file,
        path: at.join('.'),
        at,
        message: 'an override is a mapping of the keys to change, or null to remove the entry',
      });
      continue;
    }
    const r = GROUPS[t.group].safeParse({ ...list[i].entry, ...value });
    if (!r.success) {
      problems.push(...zodProblems(r.error, file, () => ({}), at));
      continue;
    }
    list[i] = { ...list[i], entry: r.data as Record<string, unknown>, changedBy: `${file} Rules.Override` };
  }
}

/**
 * The built-in packs with a config's `Rules:` applied: each file in order (an entry with an id
 * already loaded replaces it, a new id is added), then the overrides. `configFile` names the
 * config in problems about overrides.
 */
export function loadRules(
  spec: RulesSpec | undefined,
  configFile = 'config',
): { rules: RuleSet; problems: RuleProblem[] } {
  const base = builtinRules();
  if (!spec || isBuiltinSpec(spec)) return { rules: base, problems: [] };
  const set = copy(base);
  const problems: RuleProblem[] = [];
  for (const file of spec.Files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, path: '', message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const r = parseRulePack(text, file);
    problems.push(...r.problems);
    if (r.pack) addPack(set, r.pack, true, problems);
  }
  applyOverrides(set, spec.Override, configFile, problems);
  problems.push(...missingProblems(set, configFile));
  if (problems.length === 0) rememberRules(spec, set);
  return { rules: set, problems };
}

/** The rules a spec gives; throws RulesError on a problem. */
export function rulesOfSpec(spec: RulesSpec): RuleSet {
  const r = loadRules(spec);
  if (r.problems.length) throw new RulesError(r.problems);
  return r.rules;
}
