// The literals a pattern's every match contains (src/config/literals.ts): what they are for
// common rule shapes, that nothing uncertain is claimed, and that over every rule-pack pattern
// and the texts of the examples and fixtures, no text RE2 matches is ever ruled out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RE2JS } from 're2js';
import { type Clause, hasLiterals, requiredLiterals } from '../../src/config/literals.ts';
import type { Pattern } from '../../src/config/pattern.ts';
import { fileName } from '../../src/model/paths.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { builtinRules } from '../../src/rules/load.ts';
import { REPO_ROOT } from '../support/data.ts';

const shown = (clauses: Clause[]) => clauses.map((c) => c.map((l) => (l.fold ? l.text : `=${l.text}`)));

function re2(source: string, caseSensitive: boolean): RE2JS {
  return RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
}

describe('required literals', () => {
  test('a concatenation needs each of its literal runs; an alternation one of its branches', () => {
    assert.deepEqual(shown(requiredLiterals('\\bngrok(?:\\.exe)?\\b.*?\\stcp\\s+(?<port>\\d+)', false)), [
      ['ngrok'],
      ['tcp'],
    ]);
    assert.deepEqual(shown(requiredLiterals('(?:microsoft.*windows|windows.*microsoft)', false)), [
      ['window', 'window'],
    ]);
    assert.deepEqual(shown(requiredLiterals('^/etc/cron\\.d/[^/]+$', true)), [['=/etc/cron.d/']]);
  });

  test('optional parts need nothing; a repeat of at least one needs its atom', () => {
    assert.deepEqual(shown(requiredLiterals('-w(indowstyle)?\\s+(1|hidden)\\b', false)), [
      ['-w'],
      ['1', 'hidden'],
    ]);
    assert.deepEqual(shown(requiredLiterals('ab*c', true)), [['=a'], ['=c']]);
    assert.deepEqual(shown(requiredLiterals('(ab)+x', true)), [['=ab'], ['=x']]);
    assert.deepEqual(requiredLiterals('(a|)b?', true), []);
  });

  test('"s" is never part of a case-insensitive literal (RE2 folds it with U+017F, long s)', () => {
    assert.deepEqual(shown(requiredLiterals('schtasks', false)), [['chta'], ['k']]);
    const text = '\u017Fchta\u017Fk\u017F /create';
    assert.ok(re2('schtasks', false).test(text));
    assert.ok(hasLiterals(requiredLiterals('schtasks', false), text));
  });

  test('a case rule set inside a group holds to its end, through later branches too', () => {
    assert.ok(re2('a(?i)b|c', true).test('C'));
    assert.ok(hasLiterals(requiredLiterals('a(?i)b|c', true), 'C'));
    assert.ok(hasLiterals(requiredLiterals('(?i:Reg)\\s+ADD|(?-i:x)', true), 'REG ADD'));
  });

  test('constructs the reader does not follow claim nothing', () => {
    for (const source of ['\\x41bc', 'ab{,3}', '\\Qabc\\E', 'x(?=y)', 'a\\tb', '[abc', 'a{2']) {
      assert.deepEqual(requiredLiterals(source, true), [], source);
    }
  });

  test('a text without them is ruled out, one with them is not', () => {
    const need = requiredLiterals('\\breg(?:\\.exe)?["\']?\\s+add\\s+(\\S+)', false);
    assert.equal(hasLiterals(need, 'cmd.exe /c dir'), false);
    assert.equal(hasLiterals(need, 'REG.EXE ADD HKCU\\Run'), true);
  });
});

function patternsIn(v: unknown, out: Pattern[] = [], seen = new Set<unknown>()): Pattern[] {
  if (!v || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  const p = v as Pattern;
  if (typeof p.source === 'string' && typeof p.test === 'function') out.push(p);
  else for (const x of Object.values(v)) patternsIn(x, out, seen);
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Texts the rules see in the examples and fixtures: quoted strings and words, and their cases. */
function corpus(): string[] {
  const texts = new Set<string>();
  const dirs = [join(REPO_ROOT, 'examples'), join(REPO_ROOT, 'test', 'fixtures')];
  for (const file of dirs.flatMap(filesUnder)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/"((?:[^"\\]|\\.){1,2000})"/g)) {
      let s = m[1];
      try {
        s = JSON.parse(`"${m[1]}"`);
      } catch {}
      texts.add(s);
    }
    for (const w of text.split(/[\s<>"=,]+/)) if (w.length > 1 && w.length < 400) texts.add(w);
  }
  const out = [...texts];
  return [...out, ...out.map((s) => s.toUpperCase()), ...out.map((s) => s.replace(/s/gi, '\u017F'))];
}

test('over every rule-pack pattern, no text RE2 matches lacks the literals', { timeout: 300_000 }, () => {
  const patterns = patternsIn(compileRules(builtinRules(), fileName));
  const texts = corpus();
  let matched = 0;
  for (const p of patterns) {
    const need = requiredLiterals(p.source, p.caseSensitive);
    if (!need.length) continue;
    const re = re2(p.source, p.caseSensitive);
    for (const text of texts)
      if (re.test(text)) {
        matched++;
        assert.ok(hasLiterals(need, text), `${p.source} matches ${JSON.stringify(text)}`);
      }
  }
  assert.ok(matched > 100, `${matched} matches seen`);
});
