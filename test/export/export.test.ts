// `ratchain export` writes the analytic a hunt runs in four SIEM languages, for each platform.
// Golden files hold the output under the default config (regenerate with UPDATE_GOLDEN=1 and read
// the diff); the Sigma output validates against the Sigma rule and correlation JSON schemas; the
// export follows the config (window, allowlists, networks, shells, Rules:).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { EXPORT_PLATFORMS } from '../../src/export/analytic.ts';
import { EXPORT_EXTENSION, EXPORT_LANGUAGES, exportAs } from '../../src/export/index.ts';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT, SHARED } from '../support/data.ts';

const GOLDEN = join(REPO_ROOT, 'test/export/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const catalog = builtinCatalog();
const defaults = configSchema.parse({});
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (a: Ajv2020) => Ajv2020;

describe('export goldens: every language for every platform, default config', () => {
  for (const language of EXPORT_LANGUAGES)
    for (const platform of EXPORT_PLATFORMS) {
      const file = join(GOLDEN, `${language}-${platform}.${EXPORT_EXTENSION[language]}`);
      test(`${language} ${platform} equals test/export/golden/${language}-${platform}.${EXPORT_EXTENSION[language]}`, () => {
        const text = exportAs(language, defaults, catalog, platform);
        if (UPDATE) writeFileSync(file, text);
        assert.equal(text, readFileSync(file, 'utf8'));
      });
    }
});

const SIGMA_SCHEMAS = join(SHARED, 'reference/sigma-specification/json-schema');

describe('Sigma output validates against the Sigma JSON schemas', () => {
  const present = existsSync(join(SIGMA_SCHEMAS, 'sigma-detection-rule-schema.json'));
  if (!present) process.stderr.write(`# SKIP: ${SIGMA_SCHEMAS} is absent; Sigma schema validation not run\n`);
  for (const platform of EXPORT_PLATFORMS)
    test(`${platform}: every detection and correlation rule is valid`, {
      skip: present ? false : `${SIGMA_SCHEMAS} absent`,
    }, () => {
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      const load = (f: string) =>
        JSON.parse(
          readFileSync(join(SIGMA_SCHEMAS, f), 'utf8').replace(
            '"https://json-schema.org/draft/2020-12/schema#"',
            '"https://json-schema.org/draft/2020-12/schema"',
          ),
        );
      const detection = ajv.compile(load('sigma-detection-rule-schema.json'));
      const correlation = ajv.compile(load('sigma-correlation-rules-schema.json'));
      const docs = parseAllDocuments(exportAs('sigma', defaults, catalog, platform));
      assert.ok(Array.isArray(docs) && docs.length >= 6);
      const names = new Set<string>();
      for (const d of docs) {
        assert.deepEqual(d.errors, []);
        const rule = d.toJS() as Record<string, unknown> & {
          correlation?: { rules: string[] };
          name: string;
        };
        const check = rule.correlation ? correlation : detection;
        assert.ok(check(rule), `${rule.name}: ${ajv.errorsText(check.errors)}`);
        for (const r of rule.correlation?.rules ?? [])
          assert.ok(names.has(r), `${rule.name} refers to ${r}, defined before it`);
        names.add(rule.name);
      }
      const chain = docs.at(-1)!.toJS() as { correlation: Record<string, unknown> };
      assert.deepEqual(chain.correlation.type, 'temporal');
      assert.deepEqual(chain.correlation.timespan, '15m');
      assert.deepEqual(chain.correlation.condition, { gte: 3 });
    });
});

describe('the export follows the config', () => {
  const cfg = configSchema.parse({
    TimeWindow: '30m',
    MinSteps: 4,
    InternalNetworks: ['10.0.0.0/8', '!10.9.9.9/32'],
    ExternalIPAllowlist: { domains: ['*.vendor.example'] },
    ProcessAllowlist: [{ tool: 'anydesk', hosts: ['^helpdesk-'] }],
    ShellSpawnRegex: { shells: '(^|\\\\)(cmd|pwsh)\\.exe$' },
    SuspiciousChildProcesses: ['-enc\\s'],
  });
  for (const language of EXPORT_LANGUAGES)
    test(`${language}: window, threshold, networks, allowlists, shells and suspicious children`, () => {
      const text = exportAs(language, cfg, catalog, 'windows');
      assert.match(text, /30m/);
      assert.match(text, /10\.9\.9\.9\/32/, 'the carved-out address');
      assert.match(text, /vendor\\\\?\.example/, 'the allowlisted domain');
      assert.match(text, /helpdesk-/, 'the approved tool’s hosts');
      assert.match(text, /cmd\|pwsh/, 'the config’s shells');
      assert.match(text, /-enc/);
      assert.doesNotMatch(text, /certutil/, 'the packs’ children are replaced by ShellSpawnRegex.shells');
      assert.doesNotMatch(text, /172\.16\.0\.0/, 'InternalNetworks replaces the default list');
    });

  test('Rules: overrides reach the export (a removed shell entry is gone from S4)', () => {
    const r = configSchema.parse({
      Rules: { Override: { 'control.children.linux-shells': { names: ['bash'] } } },
    });
    const text = exportAs('kql', r, catalog, 'linux');
    assert.match(text, /\|bash\|/);
    assert.doesNotMatch(text, /\|zsh\|/);
  });
});

test('ratchain export --to sigma with no --platform writes all three platforms; --to is required', async () => {
  const all = await runCli('export', '--to', 'sigma');
  assert.equal(all.code, 0, all.stderr);
  for (const p of EXPORT_PLATFORMS) assert.match(all.stdout, new RegExp(`name: ratchain_det0496_${p}_chain`));
  const none = await runCli('export');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--to <language>/);
});

test('docs/export.md: every block marked as from a golden file is copied from it unchanged', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/export.md'), 'utf8');
  const blocks = [...doc.matchAll(/<!-- golden: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)];
  assert.equal(blocks.length, EXPORT_LANGUAGES.length, 'one block per language');
  for (const [, file, body] of blocks)
    assert.ok(readFileSync(join(GOLDEN, file), 'utf8').includes(body), `${file} holds the block`);
});
