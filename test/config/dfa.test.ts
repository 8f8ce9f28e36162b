// A pattern's DFA (src/config/dfa) must answer `test` exactly as RE2 does: on every built-in
// pattern against real log text and against texts made to sit on its edges (anchors, word
// boundaries, case folding, characters outside the BMP), and on the constructs a user may write.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RE2JS } from 're2js';
import { builtinCatalog } from '../../src/catalog/builtin.ts';
import { defaultConfig } from '../../src/checked-builtins.ts';
import { buildDfa, buildTables, MAX_DFA_STATES } from '../../src/config/dfa/build.ts';
import { decodeDfa, dfaTest, encodeDfa, type RunnableDfa, runnable } from '../../src/config/dfa/match.ts';
import {
  decodeProgram,
  encodeProgram,
  execArray,
  programExec,
  substitute,
} from '../../src/config/dfa/program.ts';
import { compilePattern, madePatterns } from '../../src/config/pattern.ts';
import { createContext } from '../../src/engine/context.ts';
import { READ_FIELDS } from '../../src/ingest/windows/events.ts';
import { needsData, sharedData } from '../support/data.ts';

const re2 = (source: string, caseSensitive: boolean) =>
  RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);

function table(source: string, caseSensitive = false): RunnableDfa {
  const d = buildDfa(source, caseSensitive);
  assert.ok(d, `${source} has a DFA`);
  return runnable(d);
}

/** Every text on which the DFA and RE2 disagree (the first few). */
function disagreements(source: string, caseSensitive: boolean, texts: Iterable<string>): string[] {
  const d = table(source, caseSensitive);
  const r = re2(source, caseSensitive);
  const out: string[] = [];
  for (const t of texts) if (dfaTest(d, t) !== r.test(t) && out.push(t) >= 3) break;
  return out;
}

/** A small seeded generator, so a failure names texts that come back on the next run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Texts made of the pattern's own words and characters, glued with separators or letters, so that
 * they land on its literals and on both sides of its anchors and word boundaries.
 */
function textsAround(source: string, count: number, seed: number): string[] {
  const words = source.match(/[A-Za-z0-9_.:=+-]{2,}/g) ?? [];
  const chars = [...new Set(source.replace(/\\[sdwbSDWB]/g, ''))];
  const odd = ['K', 'S', '\u212a', '\u017f', 'é', '😀', '\ud800', '0', '='];
  const pieces = [...words, ...words.map((w) => w.toUpperCase()), ...chars, ...odd];
  const glue = ['', '', ' ', '  ', '\t', '\n', '\\', '/', '"', 'x', '_', '-'];
  const next = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = next() < 0.5 ? '' : pick(glue);
    for (let n = 1 + Math.floor(next() * 6); n > 0; n--) t += pick(pieces) + pick(glue);
    out.push(next() < 0.5 ? t.trimEnd() : t);
  }
  return out;
}

const EDGES = [
  '',
  ' ',
  '\n',
  'a\nb',
  'x',
  'K',
  '\u212a',
  '\u017f',
  '😀',
  '\ud800',
  'a\udc00b',
  'cmd /c whoami',
  'powershell.exe -enc QUFBQUFBQUFBQUFBQUFBQUFB',
  'ssh -R 8080:localhost:80 user@host',
  'schtasks /create /tn x /tr "c:\\a b.exe"',
  'reg add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run" /v x /d "c:\\x.exe"',
  'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe',
  '/tmp/x.sh',
  '127.0.0.1',
  '::1',
];

let builtin: Array<{ source: string; caseSensitive: boolean }> | undefined;

/** The patterns an engine makes (first call: before any test here makes patterns of its own). */
function builtinPatterns(): Array<{ source: string; caseSensitive: boolean }> {
  if (!builtin) {
    createContext(defaultConfig(), builtinCatalog(), {}, () => {});
    builtin = madePatterns();
  }
  return builtin;
}

test('every built-in pattern has a DFA that agrees with RE2 on edge and generated texts', () => {
  const patterns = builtinPatterns();
  assert.ok(patterns.length > 50, `the engine made ${patterns.length} patterns`);
  patterns.forEach(({ source, caseSensitive }, i) => {
    const texts = [...EDGES, ...textsAround(source, 400, i + 1)];
    assert.deepEqual(disagreements(source, caseSensitive, texts), [], source);
  });
});

const OTRF = sharedData('otrf-security-datasets/atomic/windows');

test('every built-in pattern agrees with RE2 on the fields of real Windows events', needsData(OTRF), () => {
  const files = [
    'persistence/host/empire_schtasks_creation_standard_user_2020-09-21031526.json',
    'persistence/host/empire_persistence_registry_modification_run_keys_elevated_user_2020-07-22001847.json',
    'lateral_movement/host/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json',
  ];
  const texts = new Set<string>();
  for (const f of files)
    for (const line of readFileSync(join(OTRF as string, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      // The fields the engine reads (images, command lines, keys, addresses), what patterns run on.
      for (const [k, v] of Object.entries(JSON.parse(line) as Record<string, unknown>))
        if (READ_FIELDS.has(k) && typeof v === 'string') texts.add(v).add(v.toLowerCase());
    }
  assert.ok(texts.size > 300, `${texts.size} distinct strings`);
  for (const { source, caseSensitive } of builtinPatterns())
    assert.deepEqual(disagreements(source, caseSensitive, texts), [], source);
});

test('anchors, word boundaries, lines and repeats mean what they mean in RE2', () => {
  const cases: Array<[string, boolean]> = [
    ['^ab$', false],
    ['(?m)^b$', false],
    ['(?s)a.b', false],
    ['a.b', false],
    ['\\bcat\\b', false],
    ['\\Bat\\B', false],
    ['x{2,3}y', true],
    ['[^a-c]+$', true],
    ['(?i:k)s', true],
    ['\\x{1F600}', true],
    ['[[:alpha:]]+[[:digit:]]', true],
    ['\\pL\\pN', true],
    ['a|^$', false],
    ['(a+)+$', false],
    ['.*x.*y', false],
  ];
  const texts = [
    '',
    'ab',
    'a\nb\n',
    'a\nb',
    'AB',
    'a\rb',
    'the cat sat',
    'concatenate',
    'bat',
    'xxy',
    'xxxxy',
  ];
  for (const [source, cs] of cases) {
    const all = [...texts, ...textsAround(source, 600, source.length)];
    assert.deepEqual(disagreements(source, cs, all), [], source);
  }
});

test('case folding: k and s match the Kelvin sign and the long s, as RE2 folds them', () => {
  const d = table('kiss');
  assert.ok(dfaTest(d, 'x \u212aI\u017fs'));
  assert.ok(!dfaTest(d, 'kis'));
  // Every code point RE2 folds with an ASCII letter, and no other, is one foldOrbit knows.
  const letters = re2('^[a-z]$', false);
  const folded: number[] = [];
  for (let cp = 128; cp <= 0x10ffff; cp++)
    if ((cp < 0xd800 || cp > 0xdfff) && letters.test(String.fromCodePoint(cp))) folded.push(cp);
  assert.deepEqual(folded, [0x17f, 0x212a]);
});

test('a folded letter outside ASCII, too many states or too long a build leaves the pattern to RE2', () => {
  assert.equal(buildDfa('é', false), undefined);
  assert.ok(buildDfa('é', true));
  // Each of the last n characters may or may not have been an "a": 2^n states.
  assert.equal(buildDfa('a[ab]{12}$', true), undefined);
  assert.ok(2 ** 12 > MAX_DFA_STATES);
  // Fewer states than that, but more build steps than MAX_BUILD_STEPS allows.
  assert.equal(buildDfa('[a-z]{1000}x', false), undefined);
  const re = compilePattern('[a-z]{1000}x');
  assert.ok(re.test(`${'q'.repeat(1000)}X`) && !re.test('q'.repeat(999)));
});

test('the shipped form reads back as the same table', () => {
  const d = buildDfa('(^|\\s)-e(nc)?\\s+[a-z0-9+/=]{16,}', false);
  assert.ok(d);
  assert.deepEqual(decodeDfa(encodeDfa(d)), runnable(d));
});

test('a text that cannot match any more stops the walk: an anchored pattern on a long text', () => {
  const d = table('^abc');
  assert.ok(!dfaTest(d, `x${'abc'.repeat(100_000)}`));
  assert.ok(dfaTest(d, `abc${'x'.repeat(10)}`));
});

/** The program's answers next to re2js's: exec, every match, and a replacement using groups. */
function programDisagreements(source: string, caseSensitive: boolean, texts: Iterable<string>): string[] {
  const t = buildTables(source, caseSensitive);
  assert.ok(t, `${source} has tables`);
  const dfa = runnable(t.dfa);
  const program = decodeProgram(encodeProgram(t.program, t.dfa.classes));
  const r = re2(source, caseSensitive);
  const named = program.names.length > 0;
  const plain = (m: RegExpMatchArray | null) =>
    m && { all: [...m], index: m.index, groups: m.groups && { ...m.groups } };
  const all = (text: string) => {
    const out: RegExpExecArray[] = [];
    for (
      let from = 0, caps = programExec(program, dfa, text, 0);
      caps;
      caps = programExec(program, dfa, text, from)
    ) {
      const m = execArray(program, text, caps);
      out.push(m);
      const end = m.index + m[0].length;
      const c = text.charCodeAt(end);
      from =
        end > m.index
          ? end
          : end + (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00 ? 2 : 1);
      if (from > text.length) break;
    }
    return out.map(plain);
  };
  const bad: string[] = [];
  for (const text of texts) {
    const caps = programExec(program, dfa, text, 0);
    const mine = caps && execArray(program, text, caps);
    const theirs = r.exec(text) as RegExpExecArray | null;
    const replacement = "<$&|$1|$2|$$|$`|$'|$<name>|$9>";
    const replaced = mine
      ? text.slice(0, mine.index) +
        substitute(mine, text, replacement, named) +
        text.slice(mine.index + mine[0].length)
      : text;
    const same =
      JSON.stringify(plain(mine)) === JSON.stringify(plain(theirs)) &&
      replaced === r.matcher(text).replaceFirst(replacement) &&
      JSON.stringify(all(text)) === JSON.stringify([...r.matchAll(text)].map(plain));
    if (!same && bad.push(text) >= 3) break;
  }
  return bad;
}

test('the shipped program finds the groups re2js finds, for every built-in pattern', () => {
  builtinPatterns().forEach(({ source, caseSensitive }, i) => {
    const texts = [...EDGES, ...textsAround(source, 200, i + 7)];
    assert.deepEqual(programDisagreements(source, caseSensitive, texts), [], source);
  });
});

test('groups, alternation priority, lazy repeats and empty matches come out as in re2js', () => {
  const cases: Array<[string, boolean]> = [
    ['(a+)(b+)?', false],
    ['(a|ab)(c|bcd)(d*)', true],
    ['(?P<name>x+?)(y*)', true],
    ['(?<name>\\w+)\\s*=\\s*("[^"]*"|\\S+)', false],
    ['a*', true],
    ['\\b', true],
    ['(?m)^(\\w+)$', true],
    ['(x)?(y)|z', true],
    ['(?s)(.)(.)', true],
  ];
  const texts = ['', 'aab', 'abcd', 'xxyy', 'k = "v w"', 'a\nbb\n', 'z', 'zy', '😀x', 'aaa bbb'];
  for (const [source, cs] of cases) {
    const all = [...texts, ...textsAround(source, 300, source.length + 3)];
    assert.deepEqual(programDisagreements(source, cs, all), [], source);
  }
});
