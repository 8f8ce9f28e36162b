// The command line from one script and V8's code cache (src/cli/code-cache.ts): a cache written
// after a run is taken by the next one, a Node without a cache file gets the module chunks, and
// the built package finds the same with its bundle as with its chunks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cachedMain, cacheFileFor, runBundle } from '../../src/cli/code-cache.ts';
import { builtCli, chunkedCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-code-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BUNDLE = 'bundle-1.js';
writeFileSync(
  join(dir, BUNDLE),
  "const { basename } = require('node:path');\nexports.main = async (argv) => argv.map((a) => basename(a)).join(' ').length;\n",
);

describe('code cache', () => {
  test('a Node with no cache file for the bundle gets undefined (the caller loads the chunks)', () => {
    assert.equal(cachedMain(dir, BUNDLE), undefined);
  });

  test('the code a run compiled is taken by the next run, whose main() works the same', async () => {
    const first = runBundle(join(dir, BUNDLE));
    assert.equal(await first.main(['/a/bc', '/d/e']), 4);
    writeFileSync(cacheFileFor(join(dir, BUNDLE)), first.script.createCachedData());

    const second = runBundle(join(dir, BUNDLE), readFileSync(cacheFileFor(join(dir, BUNDLE))));
    assert.equal(second.script.cachedDataRejected, false);
    assert.equal(await second.main(['/a/bc', '/d/e']), 4);
    assert.equal(await cachedMain(dir, BUNDLE)?.(['x']), 1);
  });

  test('a cache file names the V8 version and the architecture it holds code for', () => {
    const name = cacheFileFor('/p/ratchain-bundle-0123.js');
    assert.ok(name.startsWith('/p/ratchain-bundle-0123.'));
    assert.ok(name.includes(process.versions.v8) && name.includes(process.arch));
  });

  test('the built package finds the same from its code-cached bundle as from its module chunks', () => {
    const cli = builtCli();
    const dist = join(REPO_ROOT, 'dist');
    assert.ok(
      readdirSync(dist).some((f) => f.startsWith('ratchain-bundle-') && f.endsWith('.cache')),
      'the build trains a code cache for the Node that runs it',
    );
    const hunt = (entry: string) =>
      spawnSync(process.execPath, [entry, 'hunt', '--json', join(REPO_ROOT, 'examples')], {
        encoding: 'utf8',
      });
    const bundled = hunt(cli);
    const chunked = hunt(chunkedCli(dir));
    assert.equal(bundled.status, 0, bundled.stderr);
    assert.equal(chunked.status, 0, chunked.stderr);
    assert.ok(bundled.stdout.length > 0);
    assert.equal(bundled.stdout, chunked.stdout);
  });
});
