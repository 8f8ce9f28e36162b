// Extra catalogue files are told apart by content, and a bad one never stops the others.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { linkTool, loadCatalog } from '../../src/catalog/index.ts';
import { loadCatalogFile, parseCatalogText } from '../../src/catalog/load.ts';
import type { CatalogTool } from '../../src/catalog/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-catalog-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const OWN_YAML = `ratchain-catalog: 1
tools:
  - id: inhouse-support
    name: In-house Support Agent
    category: remote_support
    executables: [ihs-agent.exe]
    services: [IHSAgent]
    domains: [support.corp.example]
`;
const OWN_JSON = JSON.stringify({
  'ratchain-catalog': 1,
  tools: [{ id: 'json-tool', name: 'JSON Tool', category: 'tunnel', executables: ['jt'] }],
});
const LOLRMM_LIKE = JSON.stringify([
  { Name: 'Tiny RMM', Category: 'RMM', Details: { InstallationPaths: ['tinyrmm.exe'] } },
]);

describe('detecting the catalogue format', () => {
  it('reads ratchain YAML, ratchain JSON and LOLRMM JSON', () => {
    assert.equal(parseCatalogText(OWN_YAML, 'a.yaml').format, 'ratchain');
    assert.deepEqual(
      parseCatalogText(OWN_JSON, 'b.json').tools.map((t) => t.id),
      ['json-tool'],
    );
    const l = parseCatalogText(LOLRMM_LIKE, 'rmm_tools.json');
    assert.equal(l.format, 'lolrmm');
    assert.deepEqual(
      l.tools.map((t) => [t.id, t.source]),
      [['tiny-rmm', 'lolrmm']],
    );
  });

  it('says what it expected when the content is neither', () => {
    const r = parseCatalogText('{"hits": []}', 'export.json');
    assert.equal(r.format, 'unknown');
    assert.match(r.problems[0].message, /neither a ratchain catalogue .* nor LOLRMM/);
    assert.match(parseCatalogText('[1, 2', 'cut.json').problems[0].message, /not valid JSON/);
  });

  it('reports a file it cannot read', () => {
    const r = loadCatalogFile(join(dir, 'missing.yaml'));
    assert.equal(r.problems[0].kind, 'error');
    assert.match(r.problems[0].message, /cannot read: ENOENT/);
  });
});

describe('loadCatalog', () => {
  it('adds every good file to the built-in tools and reports the bad ones', () => {
    const good = file('own.yaml', OWN_YAML);
    const bad = file('bad.json', '{"tools": "not a list"}');
    const r = loadCatalog([bad, join(dir, 'gone.yaml'), good]);
    assert.equal(r.catalog.byId('inhouse-support')?.source, good);
    assert.equal(r.catalog.byId('anydesk')?.source, 'builtin');
    assert.equal(r.catalog.matchEntry('IHSAgent')?.tool.id, 'inhouse-support');
    assert.equal(r.catalog.matchDomain('support.corp.example')?.id, 'inhouse-support');
    assert.deepEqual([...new Set(r.problems.map((p) => p.file))], [bad, join(dir, 'gone.yaml')]);
  });

  it('lets a company extend a known tool with its own relay, for allowlist presets', () => {
    const own = file(
      'ours.yaml',
      'ratchain-catalog: 1\ntools:\n  - id: connectwise-control\n    name: Our ScreenConnect\n    category: remote_support\n    domains: [relay.corp.example]\n',
    );
    const r = loadCatalog([own]);
    const sc = r.catalog.byId('screenconnect');
    assert.equal(sc?.name, 'ConnectWise ScreenConnect');
    assert.equal(sc?.source, `builtin + ${own}`);
    assert.ok(sc?.domains.includes('relay.corp.example'));
    assert.ok(sc?.domains.includes('*.screenconnect.com'));
    assert.equal(r.catalog.tools.filter((t) => t.id === 'screenconnect').length, 1);
    assert.equal(r.catalog.matchDomain('relay.corp.example')?.id, 'screenconnect');
    assert.match(r.notes[0].message, /extends known tool "screenconnect"/);
  });

  it('links an imported tool to the known tool of the same id, alias or longer name', () => {
    const known = new Map<string, CatalogTool>();
    for (const t of loadCatalog([]).catalog.tools)
      for (const id of [t.id, ...(t.aliases ?? [])]) known.set(id, t);
    const t = (id: string) => ({ id }) as CatalogTool;
    assert.equal(linkTool(t('anydesk'), known)?.id, 'anydesk');
    assert.equal(linkTool(t('connectwise-control'), known)?.id, 'screenconnect');
    assert.equal(linkTool(t('splashtop-remote'), known)?.id, 'splashtop');
    assert.equal(linkTool(t('remote-desktop-plus'), known), undefined);
  });
});
