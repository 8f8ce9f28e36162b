// docs/config-examples.md: the Windows, Linux and macOS example configs load with the config
// loader (no issue at all) and name only tools the built-in catalogue knows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { formatIssue, parseConfig } from '../../src/config/load.ts';

const DOC = fileURLToPath(new URL('../../docs/config-examples.md', import.meta.url));

/** The first ```yaml block under each "## Heading". */
function examples(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of markdown.split(/^## /m).slice(1)) {
    const heading = section.slice(0, section.indexOf('\n')).trim();
    const m = /```yaml\n([\s\S]*?)```/.exec(section);
    if (m) out.set(heading, m[1]);
  }
  return out;
}

describe('docs/config-examples.md', () => {
  const found = examples(readFileSync(DOC, 'utf8'));
  const catalog = builtinCatalog();

  it('has one example per platform', () => {
    assert.deepEqual([...found.keys()], ['Windows', 'Linux', 'macOS']);
  });

  for (const [platform, yaml] of found) {
    it(`the ${platform} example loads without a single issue`, () => {
      const r = parseConfig(yaml, `config-examples.md (${platform})`);
      assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
    });

    it(`the ${platform} example names only catalogue tools`, () => {
      const r = parseConfig(yaml, platform);
      assert.ok(r.ok);
      const ids = [
        ...r.config.ProcessAllowlist.map((a) => a.tool),
        ...r.config.DaemonAllowlist.map((a) => a.tool),
        ...r.config.ExternalIPAllowlist.presets,
      ].filter((t): t is string => !!t);
      for (const id of ids) assert.ok(catalog.byId(id), `unknown tool id ${id}`);
    });
  }

  it('a broken example would be caught (the loader reports a misspelt setting)', () => {
    const r = parseConfig('TimeWindw: 15m\n', 'broken');
    assert.equal(r.ok, false);
  });
});
