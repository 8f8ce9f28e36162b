// The checked-result cache: keyed by everything the result depends on, so two installs of the same
// packs (or a cache planted with other paths) never hand one another their file names.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cachedCheck } from '../src/checked-cache.ts';

const home = mkdtempSync(join(tmpdir(), 'ratchain-cache-'));
const saved = process.env.XDG_CACHE_HOME;
process.env.XDG_CACHE_HOME = home;
after(() => {
  process.env.XDG_CACHE_HOME = saved;
  rmSync(home, { recursive: true, force: true });
});

const isFile = (c: unknown): c is { file: string } => typeof (c as { file?: unknown })?.file === 'string';

test('the same text at another path is checked again, not read from the first path’s cache', () => {
  let checks = 0;
  const at = (path: string) =>
    cachedCheck(
      't',
      ['same text', path],
      () => {
        checks++;
        return { file: path };
      },
      isFile,
    );
  assert.deepEqual(at('/a/rules.yaml'), { file: '/a/rules.yaml' });
  assert.deepEqual(at('/b/rules.yaml'), { file: '/b/rules.yaml' });
  assert.deepEqual(at('/a/rules.yaml'), { file: '/a/rules.yaml' });
  assert.equal(checks, 2, 'the third call is served from the cache');
});

test('a cached value the caller cannot use is checked again', () => {
  cachedCheck(
    'u',
    ['x'],
    () => 'not an object',
    (c): c is string => typeof c === 'string',
  );
  let checks = 0;
  const r = cachedCheck(
    'u',
    ['x'],
    () => {
      checks++;
      return { file: 'f' };
    },
    isFile,
  );
  assert.deepEqual(r, { file: 'f' });
  assert.equal(checks, 1);
});
