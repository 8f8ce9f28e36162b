// Every regular expression applied to log text (command lines, image paths, registry keys, host
// and user names), from the config and from the rule packs, is compiled here, with re2js: RE2's
// automata, no backtracking, so `(a+)+$` against a long path costs what the path costs, not 2^n,
// and `.*x.*y` on a long command line is one pass, not a pass per starting position. RE2 cannot
// run look-arounds, back-references, atomic groups or possessive quantifiers in linear time, so
// a pattern that uses them is refused with a message naming the construct and why. `test`, the
// question nearly every match asks, runs the pattern's DFA when it has one (dfa/), with no RE2
// program to compile or engine to warm up, and exec, matchAll and replaceFirst run RE2's program
// as shipped (dfa/program.ts).
import { RE2JS } from 're2js';
import { dfaTest } from './dfa/match.ts';
import { execArray, programExec, substitute } from './dfa/program.ts';
import { type PatternTables, tablesFor } from './dfa/tables.ts';
import { type Clause, hasLiterals, requiredLiterals } from './literals.ts';

/**
 * Text longer than this is matched on its first MAX_MATCH_CHARS characters. Windows caps a
 * command line at 32,767 characters; Linux allows megabytes of arguments, and nothing a pattern
 * looks for sits that deep in a real one. Bounds the cost of one match whatever the input.
 */
export const MAX_MATCH_CHARS = 32_768;

/** A compiled, linear-time pattern: the part of RegExp ratchain uses. */
export interface Pattern {
  readonly source: string;
  readonly caseSensitive: boolean;
  test(text: string): boolean;
  /** The first match as RegExp.exec gives it (groups that took no part are undefined), or null. */
  exec(text: string): RegExpExecArray | null;
  /** Every match, as String.prototype.matchAll gives them (named groups in `.groups`). */
  matchAll(text: string): IterableIterator<RegExpMatchArray>;
  /** `text` with its first match replaced; `$1`, `$&` as in String.prototype.replace. */
  replaceFirst(text: string, replacement: string): string;
}

export class PatternError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatternError';
  }
}

/** Constructs RE2 refuses because they need backtracking. */
const BACKTRACKING: Array<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookaround ((?=, (?!, (?<=, (?<!)'],
  [/(^|[^\\])\\[1-9]|\\k</, 'backreference (\\1, \\k<name>)'],
  [/\(\?>/, 'atomic group (?>...)'],
  [/[+*?}]\+/, 'possessive quantifier (++, *+, ?+)'],
];

function refusal(source: string, e: unknown): string {
  for (const [re, what] of BACKTRACKING)
    if (re.test(source))
      return `${what} cannot be matched in linear time (ratchain refuses such patterns so that no log line can stall a run); match without it, or with a second pattern`;
  const m = (e as Error).message.replace(/^error parsing regexp:\s*/, '');
  return `not a valid regular expression (RE2 syntax, matched in linear time): ${m}`;
}

const NO_MATCHES: RegExpMatchArray[] = [];

const bounded = (text: string) => (text.length > MAX_MATCH_CHARS ? text.slice(0, MAX_MATCH_CHARS) : text);

/** Every pattern made in this process (not the joined ones of lists): the build tables each. */
const made = new Map<string, { source: string; caseSensitive: boolean }>();

/** The patterns compilePattern, checkedPattern and anyOf have made so far. */
export function madePatterns(): Array<{ source: string; caseSensitive: boolean }> {
  return [...made.values()];
}

/** Whether a pattern answers `test` with its DFA (looked up when first asked). */
const linear = new WeakMap<Pattern, () => boolean>();

/** Compiles `source` (case-insensitive unless asked); throws PatternError with a readable reason. */
export function compilePattern(source: string, o: { caseSensitive?: boolean } = {}): Pattern {
  const caseSensitive = o.caseSensitive === true;
  const re = compileRe2(source, caseSensitive);
  made.set(`${caseSensitive}${source}`, { source, caseSensitive });
  return matching(source, caseSensitive, () => re);
}

function compileRe2(source: string, caseSensitive: boolean): RE2JS {
  try {
    return RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    throw new PatternError(source, refusal(source, e));
  }
}

/**
 * The Pattern of `source` around `re()` (compiled when first called): a text without the
 * literals every match contains (literals.ts) is answered without RE2, and most texts are.
 */
function matching(source: string, caseSensitive: boolean, re: () => RE2JS, given?: Clause[]): Pattern {
  let literals = given;
  // null: looked up, none (a pattern of the user's own in the package, or too big a table); the
  // joined automaton of a list (`given`) never has one.
  let tables: PatternTables | null | undefined = given ? null : undefined;
  const hasTables = () => {
    if (tables === undefined) tables = tablesFor(source, caseSensitive) ?? null;
    return tables !== null;
  };
  // Most texts match nothing, and exec, matchAll and replaceFirst run only on text test said
  // matches: test is the DFA's walk (or RE2's, without capture groups), the cheapest question.
  const test = (text: string) => {
    literals ??= requiredLiterals(source, caseSensitive);
    if (!hasLiterals(literals, text)) return false;
    return hasTables() ? dfaTest((tables as PatternTables).dfa, bounded(text)) : re().test(bounded(text));
  };
  /** The first match at or after `from` by the shipped program. */
  const run = (text: string, from: number): RegExpExecArray | null => {
    const { dfa, program } = tables as PatternTables;
    const caps = programExec(program, dfa, text, from);
    return caps ? execArray(program, text, caps) : null;
  };
  const p: Pattern = {
    source,
    caseSensitive,
    test,
    exec: (text) => {
      if (!test(text)) return null;
      return tables ? run(bounded(text), 0) : (re().exec(bounded(text)) as RegExpExecArray | null);
    },
    matchAll: (text) => {
      if (!test(text)) return NO_MATCHES[Symbol.iterator]();
      return tables ? allMatches(run, bounded(text)) : re().matchAll(bounded(text));
    },
    replaceFirst: (text, replacement) => {
      if (!test(text)) return text;
      const b = bounded(text);
      const tail = text.length > MAX_MATCH_CHARS ? text.slice(MAX_MATCH_CHARS) : '';
      if (!tables) return re().matcher(b).replaceFirst(replacement) + tail;
      const m = run(b, 0);
      if (!m) return text;
      const named = (tables as PatternTables).program.names.length > 0;
      return (
        b.slice(0, m.index) + substitute(m, b, replacement, named) + b.slice(m.index + m[0].length) + tail
      );
    },
  };
  linear.set(p, hasTables);
  return p;
}

/** Every match, each search starting where the last match ended (past it when it was empty). */
function* allMatches(
  run: (text: string, from: number) => RegExpExecArray | null,
  text: string,
): IterableIterator<RegExpExecArray> {
  for (let from = 0; from <= text.length; ) {
    const m = run(text, from);
    if (!m) return;
    yield m;
    const end = m.index + m[0].length;
    if (end > m.index) from = end;
    else {
      const c = text.charCodeAt(end);
      from = end + (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00 ? 2 : 1);
    }
  }
}

/** Why `source` cannot be compiled, or undefined when it can (for schema checks). */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A pattern already checked (a rule pack's: every one was compiled when its pack was checked),
 * compiled on first use: a run pays only for the patterns its events reach (a one-event hunt
 * reaches about one in six of the packs' patterns, and compiling them all was most of its start-up).
 */
export function checkedPattern(source: string, o: { caseSensitive?: boolean } = {}): Pattern {
  const caseSensitive = o.caseSensitive === true;
  let re: RE2JS | undefined;
  made.set(`${caseSensitive}${source}`, { source, caseSensitive });
  return matching(source, caseSensitive, () => {
    re ??= compileRe2(source, caseSensitive);
    return re;
  });
}

/** Matches nothing: what an emptied list compiles to. */
export const NOTHING = checkedPattern('[^\\s\\S]');

const alternatives = (sources: string[]) => sources.map((s) => `(?:${s})`).join('|');

/** One pattern that matches when any of `sources` does (one pass instead of one per pattern). */
export function anyOf(sources: string[], o: { caseSensitive?: boolean } = {}): Pattern {
  return sources.length ? compilePattern(alternatives(sources), o) : NOTHING;
}

/** anyOf for checked patterns, compiled on first use (checkedPattern). */
export function anyOfChecked(sources: string[], o: { caseSensitive?: boolean } = {}): Pattern {
  return sources.length ? checkedPattern(alternatives(sources), o) : NOTHING;
}

/** A named group as a plain one: the same name in two patterns cannot share one alternation. */
const NAMED_GROUP = /\(\?P?<[A-Za-z_]\w*>/g;

const prefilters = new WeakMap<object, (text: string) => boolean>();

/**
 * Whether any of a list's patterns matches `text`, in one pass of one automaton instead of one
 * per pattern: loops over a rule list (suspicious command lines, persistence commands, forwards)
 * run their patterns one by one only on text that passes it, and most text matches none of them.
 * The automaton runs only on text that has the literals one of the patterns needs (literals.ts);
 * it is compiled once per list (by identity), when first needed, each pattern keeping its own
 * case rule. A list that cannot be joined (it never happens with checked patterns) lets
 * everything through.
 */
export function anyMatches<T extends object>(
  list: readonly T[],
  pick: (x: T) => Pattern,
  text: string,
): boolean {
  let test = prefilters.get(list);
  if (!test) {
    test = listPrefilter(list.map(pick));
    prefilters.set(list, test);
  }
  return test(text);
}

function listPrefilter(patterns: Pattern[]): (text: string) => boolean {
  if (!patterns.length) return () => false;
  const needs = patterns.map((p) => requiredLiterals(p.source, p.caseSensitive));
  // Patterns with DFAs are tried one by one (each its own table): as fast as one joined automaton
  // on the few texts that get that far, with nothing to compile. The others, if any, are joined.
  let rest: ((text: string) => boolean) | undefined;
  let tables: Pattern[] | undefined;
  return (text) => {
    if (!needs.some((n) => hasLiterals(n, text))) return false;
    if (!tables) {
      tables = patterns.filter((p) => linear.get(p)?.() === true);
      const others = patterns.filter((p) => !tables!.includes(p));
      rest = others.length ? joinedPrefilter(others) : () => false;
    }
    return tables.some((p) => p.test(text)) || rest!(text);
  };
}

/** The list as one RE2 automaton, compiled when first needed. */
function joinedPrefilter(patterns: Pattern[]): (text: string) => boolean {
  const needs = patterns.map((p) => requiredLiterals(p.source, p.caseSensitive));
  const source = patterns
    .map((p) => {
      const s = p.source.replace(NAMED_GROUP, '(?:');
      return p.caseSensitive ? `(?:${s})` : `(?i:${s})`;
    })
    .join('|');
  let re: RE2JS | undefined;
  const joined = matching(
    source,
    true,
    () => {
      re ??= compileRe2(source, true);
      return re;
    },
    [],
  );
  let broken = false;
  return (text) => {
    if (broken) return true;
    if (!needs.some((n) => hasLiterals(n, text))) return false;
    try {
      return joined.test(text);
    } catch {
      broken = true;
      return true;
    }
  };
}

/** Texts a memoised pattern remembers: a host's working set of images and file names. */
const MEMO_ENTRIES = 4096;
/** Longer texts are not remembered (image paths are short; command lines vary). */
const MEMO_MAX_CHARS = 1024;

/**
 * `p` with its test results remembered per text, for patterns applied to image paths and file
 * names: a log names the same few hundred programs over and over, so each is matched once.
 * Cleared when full, so memory stays bounded whatever the input.
 */
export function memoized(p: Pattern): Pattern {
  const seen = new Map<string, boolean>();
  const m: Pattern = {
    source: p.source,
    caseSensitive: p.caseSensitive,
    test(text) {
      if (text.length > MEMO_MAX_CHARS) return p.test(text);
      let r = seen.get(text);
      if (r === undefined) {
        r = p.test(text);
        if (seen.size >= MEMO_ENTRIES) seen.clear();
        seen.set(text, r);
      }
      return r;
    },
    exec: (text) => p.exec(text),
    matchAll: (text) => p.matchAll(text),
    replaceFirst: (text, replacement) => p.replaceFirst(text, replacement),
  };
  const hasDfa = linear.get(p);
  if (hasDfa) linear.set(m, hasDfa);
  return m;
}
