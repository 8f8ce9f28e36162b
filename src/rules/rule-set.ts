// The rule set the engine runs: the built-in packs, checked (by the build, or from the sources by
// rules/load.ts), and the sets configs' `Rules:` give. This module loads no checker (no yaml,
// no zod): a hunt with the built-in rules reads the build's checked JSON and nothing else.
import { builtinRuleSet as checkedBuiltinRules, loadRulesSpec } from '../checked-builtins.ts';
import type { GroupPath, PackPlatform } from './schema.ts';

export interface RuleProblem {
  file: string;
  line?: number;
  column?: number;
  /** Where in the file ("control.children.shells.names"). */
  path: string;
  /** The same place as keys and indexes, when the problem is in a config's Rules: (for its position). */
  at?: PropertyKey[];
  message: string;
  hint?: string;
}

/** One entry as loaded: where it came from and what it says (checked, defaults filled). */
export interface RuleRecord {
  group: GroupPath;
  id: string;
  pack: PackPlatform;
  file: string;
  line?: number;
  /** Set when a config file or override changed the built-in entry. */
  changedBy?: string;
  entry: Record<string, unknown>;
}

/** Every entry of every pack, in load order, by group. */
export interface RuleSet {
  packs: Array<{ platform: PackPlatform; description: string; file: string }>;
  groups: Record<GroupPath, RuleRecord[]>;
}

/** What a config's `Rules:` says: more pack files, and entries changed or removed (null). */
export interface RulesSpec {
  Files: string[];
  Override: Record<string, unknown>;
}

export class RulesError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map(formatRuleProblem).join('\n'));
  }
}

export function formatRuleProblem(p: RuleProblem): string {
  const at = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${at}: ${p.path ? `${p.path}: ` : ''}${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;
}

let builtin: RuleSet | undefined;

/** The built-in rule packs (loaded once per process). */
export function builtinRules(): RuleSet {
  builtin ??= checkedBuiltinRules();
  return builtin;
}

/** True when the spec changes nothing: the built-in rules apply. */
export function isBuiltinSpec(spec: RulesSpec | undefined): boolean {
  return !spec || (spec.Files.length === 0 && Object.keys(spec.Override).length === 0);
}

const byConfig = new Map<string, RuleSet>();

/** Keeps the set a spec gave (rules/load.ts, when it loads one without problems). */
export function rememberRules(spec: RulesSpec, set: RuleSet): void {
  byConfig.set(JSON.stringify(spec), set);
}

/**
 * The rules a config's `Rules:` gives; throws RulesError on a problem. A config read from a file
 * had its rules loaded and remembered when it was checked (config/load.ts), so this only looks
 * them up; a spec made in code is loaded here.
 */
export function rulesFor(spec: RulesSpec | undefined): RuleSet {
  if (!spec || isBuiltinSpec(spec)) return builtinRules();
  const set = byConfig.get(JSON.stringify(spec)) ?? loadRulesSpec(spec);
  rememberRules(spec, set);
  return set;
}
