// Patterns on log text run in linear time, and those that cannot are refused with a reason: the
// config's and the rule packs' alike (one compile path, src/config/pattern.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.ts';
import {
  anyMatches,
  compilePattern,
  MAX_MATCH_CHARS,
  type Pattern,
  PatternError,
} from '../../src/config/pattern.ts';
import { fileName } from '../../src/model/paths.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { builtinRules } from '../../src/rules/load.ts';

test('case-insensitive unless asked, in the syntax configs and packs use', () => {
  const p = compilePattern(String.raw`(^|[\\/])cmd\.exe$`);
  assert.ok(p.test('C:\\Windows\\System32\\CMD.EXE'));
  assert.ok(!p.test('C:\\cmd.exe.bak'));
  assert.ok(!compilePattern('CMD', { caseSensitive: true }).test('cmd'));
});

test('exec and replaceFirst behave as RegExp.exec and String.replace do', () => {
  const p = compilePattern('(x)?(a+)');
  const m = p.exec('zzAAb');
  assert.ok(m);
  assert.deepEqual([m[0], m[1], m[2], m.index], ['AA', undefined, 'AA', 2]);
  assert.equal(p.exec('q'), null);
  assert.equal(compilePattern('^"(.*)"$').replaceFirst('"abc"', '$1'), 'abc');
  assert.equal(compilePattern('a').replaceFirst('banana', '[$&]'), 'b[a]nana');
  assert.equal(compilePattern('q').replaceFirst('banana', '[$&]'), 'banana');
});

test('matchAll gives every match with its named groups, and none on a text without one', () => {
  const p = compilePattern('-R (?<port>\\d+)');
  const all = [...p.matchAll('ssh -R 22 -r 80 -R x')];
  assert.deepEqual(
    all.map((m) => [m[0], m.groups?.port]),
    [
      ['-R 22', '22'],
      ['-r 80', '80'],
    ],
  );
  assert.deepEqual([...p.matchAll('ssh host')], []);
});

test('look-arounds, back-references, atomic groups and possessives are refused, saying why', () => {
  for (const src of ['(?=a)b', '(?!x)y', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>', '(?>a)', 'a++'])
    assert.throws(
      () => compilePattern(src),
      (e: PatternError) => e instanceof PatternError && /linear time/.test(e.message),
      src,
    );
  assert.throws(() => compilePattern('[a'), /not a valid regular expression/);
});

test('a config regex that cannot run in linear time is a config problem with a clear message', () => {
  const r = parseConfig('UserContext:\n  SupportHosts: ["(?!jump)host"]\n', 'bad.yaml');
  assert.equal(r.ok, false);
  assert.match(JSON.stringify(r), /lookaround.*linear time/);
});

test('(a+)+$ against a long path costs what the path costs', { timeout: 10_000 }, () => {
  // V8's backtracking takes 18 s at 28 characters and doubles per character.
  assert.equal(compilePattern('(a+)+$').test(`${'a'.repeat(4096)}!`), false);
  assert.equal(compilePattern('(a+)+$').test(`${'a'.repeat(30)}!`), false);
});

function patternsIn(v: unknown, out: Pattern[] = [], seen = new Set<unknown>()): Pattern[] {
  if (!v || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  const p = v as Pattern;
  if (typeof p.source === 'string' && typeof p.test === 'function') out.push(p);
  else for (const x of Object.values(v)) patternsIn(x, out, seen);
  return out;
}

test('every rule-pack pattern answers at once on 1 MB hostile lines', { timeout: 120_000 }, () => {
  const all = patternsIn(compileRules(builtinRules(), fileName));
  assert.ok(all.length > 30, `${all.length} patterns`);
  const hostile = [
    'a'.repeat(1 << 20),
    ' -e'.repeat(1 << 18),
    'iex '.repeat(1 << 18),
    'curl http://x '.repeat(1 << 16),
    '\\'.repeat(1 << 20),
    '/tmp/'.repeat(1 << 18),
  ];
  for (const p of all)
    for (const text of hostile) {
      p.test(text);
      p.exec(text);
    }
  assert.equal(MAX_MATCH_CHARS, 32_768);
});

test('a list prefilter matches when one of its patterns would, each with its own case rule', () => {
  const rules = [
    { re: compilePattern('-R\\s*(?<port>\\d+)', { caseSensitive: true }) },
    { re: compilePattern('R:(?<port>\\d+)') },
  ];
  const pick = (r: { re: Pattern }) => r.re;
  for (const text of ['ssh -R 9000:localhost:22 x', 'chisel client r:2222', 'ssh -r 9000', 'cmd /c dir']) {
    assert.equal(
      anyMatches(rules, pick, text),
      rules.some((r) => r.re.test(text)),
      text,
    );
  }
  assert.equal(anyMatches([], pick, 'anything'), false);
});

test('a list whose patterns are not all tabled joins the rest into one RE2 automaton', () => {
  // `a[ab]{12}$` needs 2^12 DFA states, more than a table may have: RE2 runs it, the others their tables.
  const rules = [
    { re: compilePattern('a[ab]{12}$', { caseSensitive: true }) },
    { re: compilePattern('\\bnc\\s+-e\\b') },
  ];
  const pick = (r: { re: Pattern }) => r.re;
  const texts = ['xaabababababab', 'xaabababababa', 'NC -e /bin/sh', 'nc -ex', 'abababababababab', ''];
  for (const text of texts)
    assert.equal(
      anyMatches(rules, pick, text),
      rules.some((r) => r.re.test(text)),
      text,
    );
  assert.ok(anyMatches(rules, pick, 'xaabababababab'));
  assert.ok(!anyMatches(rules, pick, 'nc -ex'));
});
