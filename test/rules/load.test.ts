// The rule packs load like the catalogue: checked once (every entry says why), cached by content
// hash, and every mistake in a pack file comes back with its file, line, column and a hint.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { patternProblem } from '../../src/config/pattern.ts';
import { builtinRules, checkBuiltinRules, loadRules, parseRulePack } from '../../src/rules/load.ts';
import { GROUP_PATHS, PACKS } from '../../src/rules/schema.ts';
import { REPO_ROOT } from '../support/data.ts';

const RULES = join(REPO_ROOT, 'src/rules');

describe('the built-in packs', () => {
  for (const platform of PACKS) {
    test(`${platform}.yaml loads without a problem, and every entry says why it counts`, () => {
      const file = join(RULES, `${platform}.yaml`);
      const r = parseRulePack(readFileSync(file, 'utf8'), file);
      assert.deepEqual(r.problems, []);
      assert.equal(r.pack?.platform, platform);
      assert.ok((r.pack?.records.length ?? 0) >= 10, 'the pack holds real knowledge');
      for (const rec of r.pack!.records)
        assert.ok(String(rec.entry.why).length >= 12, `${rec.group}.${rec.id}`);
    });
  }

  test('src/rules holds exactly the four packs, and together they fill every group', () => {
    assert.deepEqual(
      readdirSync(RULES)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
      PACKS.map((p) => `${p}.yaml`).sort(),
    );
    const set = builtinRules();
    for (const g of GROUP_PATHS) assert.ok(set.groups[g].length > 0, `${g} has entries`);
  });

  test('a fresh check gives what the cache holds (the cache is keyed by the packs’ content)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'ratchain-rules-cache-'));
    const home = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      const json = (v: unknown) => JSON.parse(JSON.stringify(v));
      const fresh = json(checkBuiltinRules());
      assert.equal(readdirSync(join(cache, 'ratchain')).filter((f) => f.startsWith('rules-')).length, 1);
      assert.deepEqual(json(checkBuiltinRules()), fresh, 'the cached rules equal the checked ones');
      assert.deepEqual(fresh, json(builtinRules()));
    } finally {
      if (home === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = home;
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('mistakes in a pack file', () => {
  const check = (yaml: string) => parseRulePack(yaml, 'site.yaml').problems;
  const head = 'ratchainRules: 1\nplatform: linux\ndescription: test\n';

  test('an unknown group is named at its line and column, with a did-you-mean', () => {
    const [p] = check(
      `${head}control:\n  chilren:\n    x: { why: because it is a test entry, names: [a] }\n`,
    );
    assert.equal(p.file, 'site.yaml');
    assert.equal(p.line, 5);
    assert.equal(p.column, 3);
    assert.match(p.message, /unknown key "chilren"/);
    assert.match(p.hint ?? '', /did you mean "children"/);
  });

  test('an entry without a reason is refused', () => {
    const [p] = check(`${head}control:\n  children:\n    x: { names: [a] }\n`);
    assert.equal(p.path, 'control.children.x.why');
    assert.equal(p.line, 6);
  });

  test('lookarounds and backreferences are refused: patterns must run on a linear-time engine', () => {
    const ps = check(
      `${head}control:\n  suspicious:\n    a: { why: a lookahead test entry, pattern: 'curl(?!x)' }\n    b: { why: a backreference test entry, pattern: '(a)\\1' }\n`,
    );
    assert.equal(ps.length, 2);
    assert.match(ps[0].message, /lookaround/);
    assert.equal(ps[0].line, 6);
    assert.match(ps[1].message, /backreference/);
  });

  test('an id a fixed group does not have, a bad YAML line, and a missing format marker', () => {
    const [w] = check(
      `ratchainRules: 1\nplatform: common\ndescription: t\nscore:\n  weights:\n    tmp_path: { why: a misspelt weight entry, delta: 3 }\n`,
    );
    assert.match(w.message, /"tmp_path" is not an entry of score\.weights/);
    assert.match(w.hint ?? '', /did you mean "temp_path"/);
    const [y] = check(`${head}control: [\n`);
    assert.ok(y.line !== undefined && /YAML/.test(y.hint ?? ''));
    const [f] = check('platform: linux\ndescription: t\n');
    assert.match(f.message, /ratchainRules: 1/);
  });

  test('a user file replaces a built-in entry by id and adds new ones; unreadable files are reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-rules-'));
    try {
      const file = join(dir, 'site.yaml');
      writeFileSync(
        file,
        `${head}control:\n  children:\n    linux-shells: { why: only bash counts as a shell here, names: [bash] }\n    site-tcl: { why: Tcl is never used by admins here, names: [tclsh] }\n`,
      );
      const { rules, problems } = loadRules({ Files: [file, join(dir, 'missing.yaml')], Override: {} });
      assert.equal(problems.length, 1);
      assert.match(problems[0].message, /cannot read/);
      const children = rules.groups['control.children'];
      const shells = children.find((r) => r.id === 'linux-shells');
      assert.deepEqual(shells?.entry.names, ['bash']);
      assert.equal(shells?.changedBy, file);
      assert.ok(children.some((r) => r.id === 'site-tcl'));
      assert.equal(
        builtinRules().groups['control.children'].find((r) => r.id === 'linux-shells')?.changedBy,
        undefined,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('patternProblem', () => {
  test('accepts what RE2 runs, refuses what needs backtracking', () => {
    for (const ok of ['\\bcrontab\\b', '(?:a|b)+', '[(?=]', '\\(?=', '^[a-z]:\\\\users\\\\', 'x{2,5}?'])
      assert.equal(patternProblem(ok), undefined, ok);
    for (const bad of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>', '(?>a)', '('])
      assert.ok(patternProblem(bad), bad);
  });
});
