// The built-in catalogue is checked from tools.yaml once and then read from a JSON cache; the two
// must never differ.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUILTIN_FILE, BUILTIN_TOOLS } from '../../src/catalog/builtin.ts';
import { checkBuiltinCatalog } from '../../src/checked-builtins.ts';

test('the cached built-in catalogue is exactly what checking tools.yaml gives', () => {
  const checked = JSON.parse(JSON.stringify(checkBuiltinCatalog(readFileSync(BUILTIN_FILE, 'utf8'))));
  assert.deepEqual(BUILTIN_TOOLS, checked);
  assert.ok(BUILTIN_TOOLS.length >= 60);
});
