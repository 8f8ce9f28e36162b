// The house rules that a reviewer would otherwise check by hand: the TypeScript compiles under
// strict settings, and biome finds no lint or formatting problem anywhere in the tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/data.ts';

const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);

test('tsc --noEmit: no type errors, no unused locals', { timeout: 240_000 }, () => {
  const r = spawnSync(bin('tsc'), ['--noEmit', '-p', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('biome check: lint and formatting clean', { timeout: 120_000 }, () => {
  const r = spawnSync(bin('biome'), ['check', 'src', 'test', 'bench', 'scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
