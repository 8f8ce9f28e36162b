// ratchain's catalogue format: the built-in file is complete and valid, and a bad file gets a
// message for each mistake naming the file, the entry, the field and the line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUILTIN_FILE, BUILTIN_TOOLS } from '../../src/catalog/builtin.ts';
import { parseRatchainCatalog } from '../../src/catalog/format.ts';

describe('built-in catalogue', () => {
  it('has at least 60 tools across Windows, Linux and macOS and every category', () => {
    assert.ok(BUILTIN_TOOLS.length >= 60, `${BUILTIN_TOOLS.length} tools`);
    const linux = BUILTIN_TOOLS.filter((t) => t.paths.linux.length || t.systemdUnits.length);
    const macos = BUILTIN_TOOLS.filter(
      (t) => t.paths.macos.length || t.launchdLabels.length || t.bundleIds.length,
    );
    const windows = BUILTIN_TOOLS.filter((t) => t.paths.windows.length || t.services.length);
    assert.ok(
      windows.length >= 40 && linux.length >= 15 && macos.length >= 15,
      `${windows.length}/${linux.length}/${macos.length}`,
    );
    const categories = new Set(BUILTIN_TOOLS.map((t) => t.category));
    assert.deepEqual([...categories].sort(), ['rat', 'remote_desktop', 'remote_support', 'rmm', 'tunnel']);
  });

  it('loads without a single problem, with unique ids and aliases', () => {
    const r = parseRatchainCatalog(readFileSync(BUILTIN_FILE, 'utf8'), BUILTIN_FILE, 'builtin');
    assert.deepEqual(r.problems, []);
    const names = BUILTIN_TOOLS.flatMap((t) => [t.id, ...(t.aliases ?? [])]);
    assert.equal(new Set(names).size, names.length);
    for (const t of BUILTIN_TOOLS) assert.equal(t.source, 'builtin');
  });
});

const BAD = `ratchain-catalog: 1
tools:
  - id: goodtool
    name: Good Tool
    category: rmm
    executables: [good.exe]
    domains: ['*.good.example']
  - id: BadId
    name: Bad
    category: remote-support
    executables: ['C:\\\\x\\\\bad.exe']
  - id: typo
    name: Typo
    category: rat
    executable: [typo.exe]
  - id: cloud
    name: Cloud
    category: tunnel
    executables: [cloud.exe]
    domains: ['https://cloud.example/path', '*.amazonaws.com']
    ports: [70000]
  - id: goodtool
    name: Again
    category: rmm
    executables: [again.exe]
  - id: empty
    name: Nothing
    category: rat
`;

describe('a catalogue file with mistakes', () => {
  const r = parseRatchainCatalog(BAD, 'my-tools.yaml');
  const messages = r.problems.map((p) => `${p.where}: ${p.message}`);

  it('still loads its good entries', () => {
    assert.deepEqual(
      r.tools.map((t) => t.id),
      ['goodtool'],
    );
    assert.deepEqual(r.tools[0].executables, ['good.exe']);
  });

  it('names the file, entry, field and line of each mistake', () => {
    for (const p of r.problems) assert.equal(p.file, 'my-tools.yaml');
    const has = (re: RegExp) =>
      assert.ok(
        messages.some((m) => re.test(m)),
        `no message like ${re}\n${messages.join('\n')}`,
      );
    has(/^tools\[1\] \(BadId\)\.id, line 8:\d+: lower-case letters/);
    has(/^tools\[1\] \(BadId\)\.category, line 10:\d+: /);
    has(/^tools\[1\] \(BadId\)\.executables\[0\], line 11:\d+: a file name without directories/);
    has(
      /^tools\[2\] \(typo\)\.executable, line 15:\d+: unknown field "executable" \(did you mean "executables"\?\)/,
    );
    has(/^tools\[3\] \(cloud\)\.domains\[0\].*no scheme, port or path/);
    has(/^tools\[3\] \(cloud\)\.domains\[1\].*shared cloud zone/);
    has(/^tools\[3\] \(cloud\)\.ports\[0\]/);
    has(/^tools\[4\] \(goodtool\), line 22:\d+: duplicate id "goodtool" \(first at tools\[0\]\)/);
    has(/^tools\[5\] \(empty\), line 26:\d+: nothing to recognise the tool by/);
  });

  it('reports YAML syntax errors with their line', () => {
    const y = parseRatchainCatalog('ratchain-catalog: 1\ntools:\n  - id: [unclosed\n', 'broken.yaml');
    assert.equal(y.tools.length, 0);
    assert.match(y.problems[0].where, /^line \d+:\d+$/);
    assert.equal(y.problems[0].kind, 'error');
  });

  it('rejects a document that is not a catalogue, and a future format version', () => {
    assert.match(
      parseRatchainCatalog('Hosts: []\n', 'config.yaml').problems[0].message,
      /not a ratchain catalogue/,
    );
    assert.match(
      parseRatchainCatalog('ratchain-catalog: 2\ntools: []\n', 'v2.yaml').problems[0].message,
      /version 2/,
    );
  });
});

describe('the documented example', () => {
  it('is a valid catalogue', () => {
    const readme = readFileSync(new URL('../../src/catalog/README.md', import.meta.url), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(examples.length >= 2);
    for (const text of examples) {
      const r = parseRatchainCatalog(text, 'README.md');
      assert.deepEqual(r.problems, []);
      assert.equal(r.tools.length, 1);
    }
  });
});
