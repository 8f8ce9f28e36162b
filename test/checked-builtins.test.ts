// The package reads the built-in catalogue, rule packs and default config as the build checked
// them (dist/*.checked.json); running from a clone checks the sources. The two must never differ,
// and a one-event hunt of the package must load no checker at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { builtinCatalog } from '../src/catalog/builtin.ts';
import { builtinRuleSet, builtinTools, CHECKED_ASSETS, defaultConfig } from '../src/checked-builtins.ts';
import { buildTables } from '../src/config/dfa/build.ts';
import { decodeDfa, runnable, tableKey } from '../src/config/dfa/match.ts';
import { encodeProgram } from '../src/config/dfa/program.ts';
import { madePatterns } from '../src/config/pattern.ts';
import { createContext } from '../src/engine/context.ts';
import type { RuleSet } from '../src/rules/rule-set.ts';
import { builtCli, chunkedCli } from './support/cli.ts';

const dist = dirname(builtCli());
const shipped = (name: string) => JSON.parse(readFileSync(join(dist, name), 'utf8'));
/** Rule files named by asset ("rules/common.yaml"), as the build records them. */
const byAsset = (set: RuleSet): RuleSet =>
  JSON.parse(JSON.stringify(set).replace(/"file":"[^"]*\/(rules\/[^"/]+)"/g, '"file":"$1"'));

test('the shipped default config is every setting at its default', () => {
  assert.deepEqual(shipped(CHECKED_ASSETS.config), defaultConfig());
});

test('the shipped rule packs are the packs checked from src/rules', () => {
  const set = shipped(CHECKED_ASSETS.rules) as RuleSet;
  assert.deepEqual(set, byAsset(builtinRuleSet()));
  assert.ok(
    set.packs.every((p) => p.file.startsWith('rules/')),
    'packs are named by asset, not by the build’s path',
  );
});

test('the shipped pattern tables are a DFA and a program for every pattern the engine makes, as built here', () => {
  const tables = shipped(CHECKED_ASSETS.patterns) as Record<string, string>;
  createContext(defaultConfig(), builtinCatalog(), {}, () => {});
  const made = madePatterns();
  assert.ok(made.length > 50);
  for (const { source, caseSensitive } of made) {
    const wire = tables[tableKey(source, caseSensitive)];
    assert.ok(wire, `the package has no table for ${source}`);
    const built = buildTables(source, caseSensitive);
    assert.ok(built);
    const [dfa, program] = wire.split(' ');
    assert.deepEqual(decodeDfa(dfa), runnable(built.dfa), source);
    assert.equal(program, encodeProgram(built.program, built.dfa.classes), source);
  }
});

test('the shipped catalogue is the catalogue checked from tools.yaml', () => {
  assert.deepEqual(shipped(CHECKED_ASSETS.catalog), JSON.parse(JSON.stringify(builtinTools())));
});

const dir = mkdtempSync(join(tmpdir(), 'ratchain-checked-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a one-event hunt of the package loads neither yaml nor zod; a config file loads both', () => {
  const events = join(dir, 'one.ndjson');
  writeFileSync(
    events,
    `${readFileSync(join(dist, '..', 'examples/windows/background-winlogbeat.ndjson'), 'utf8').split('\n')[0]}\n`,
  );
  const config = join(dir, 'ratchain.yaml');
  writeFileSync(config, 'MinSteps: 2\n');
  // Which bundled package a chunk holds is not visible from outside, so the hook reports each
  // loaded chunk and the test looks for the packages' own identifiers in it.
  const hook = `data:text/javascript,${encodeURIComponent(
    "import{register}from'node:module';register('data:text/javascript,'+encodeURIComponent(`export async function load(u,c,n){const r=await n(u,c);if(String(r.source).includes('LineCounter'))process._rawDebug('yaml '+u);if(String(r.source).includes('ZodError'))process._rawDebug('zod '+u);return r}`))",
  )}`;
  // The module chunks, where each package's code arrives as a module the hook sees (the
  // code-cached bundle holds them all in one script and runs a module's code only when imported).
  const cli = chunkedCli(dir);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', hook, cli, 'hunt', ...args, events], {
      encoding: 'utf8',
    });
  const plain = run();
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /^(yaml|zod) /m);
  const withConfig = run('-c', config);
  assert.equal(withConfig.status, 0, withConfig.stderr);
  assert.match(withConfig.stderr, /^yaml /m);
  assert.match(withConfig.stderr, /^zod /m);
});
