// Globs as a shell user writes them (tinyglobby): braces, `**`, `[!w]` classes, and "!pattern"
// arguments that leave out part of what a glob matched. Matches are named as the user wrote them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { expandInputs } from '../../src/ingest/open.ts';

const root = mkdtempSync(join(tmpdir(), 'ratchain-globs-'));
after(() => rmSync(root, { recursive: true, force: true }));
for (const f of [
  'logs/a/x.xml',
  'logs/a/b/y.ndjson',
  'logs/a/b/notes.txt',
  'logs/old/o.xml',
  'logs/w1/w.xml',
  'logs/v.xml',
]) {
  mkdirSync(dirname(join(root, f)), { recursive: true });
  writeFileSync(join(root, f), '<Event/>\n');
}
const names = (...args: string[]) =>
  expandInputs(args.map((a) => (a.startsWith('!') ? `!${root}/${a.slice(1)}` : `${root}/${a}`))).inputs.map(
    (i) => i.name.slice(root.length + 1),
  );

describe('globs', () => {
  test("'logs/**/*.{xml,ndjson}': braces and ** at any depth", () => {
    assert.deepEqual(names('logs/**/*.{xml,ndjson}'), [
      'logs/a/b/y.ndjson',
      'logs/a/x.xml',
      'logs/old/o.xml',
      'logs/v.xml',
      'logs/w1/w.xml',
    ]);
  });

  test("'!logs/old/**' leaves out what a glob matched there", () => {
    assert.deepEqual(names('logs/**/*.xml', '!logs/old/**'), ['logs/a/x.xml', 'logs/v.xml', 'logs/w1/w.xml']);
  });

  test("'[!w]*' is a negated character class, not a regex", () => {
    assert.deepEqual(names('logs/[!w]*/*.xml'), ['logs/a/x.xml', 'logs/old/o.xml']);
  });

  test('a glob that matches nothing is a problem naming it', () => {
    const r = expandInputs([`${root}/logs/none/*.xml`]);
    assert.deepEqual(r.inputs, []);
    assert.deepEqual(r.problems, [{ file: `${root}/logs/none/*.xml`, message: 'pattern matches no file' }]);
  });
});
