// The house rules that a reviewer would otherwise check by hand: the TypeScript compiles under
// strict settings, biome finds no lint or formatting problem anywhere in the tree, and no module
// under src/ finds files by its own URL (the bundle and the single executable move it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/data.ts';

const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);

// Build mode (tsconfig.json: noEmit, incremental): when no input is newer than the last clean
// check's build info it checks nothing, where `tsc --noEmit` parsed all 840 files again (9 s of
// CPU). Any change, or a last check that found errors, checks again.
test('tsc: no type errors, no unused locals', { timeout: 240_000 }, () => {
  const r = spawnSync(bin('tsc'), ['--build', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('biome check: lint and formatting clean', { timeout: 120_000 }, () => {
  const r = spawnSync(bin('biome'), ['check', 'src', 'test', 'bench', 'scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('data files are read through src/assets.ts, so the package and the single executable find them', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        p.endsWith('.ts') &&
        !/assets(\.sea)?\.ts$/.test(p) &&
        /\bimport\.meta\b/.test(readFileSync(p, 'utf8'))
      )
        offenders.push(p.slice(REPO_ROOT.length + 1));
    }
  };
  walk(join(REPO_ROOT, 'src'));
  assert.deepEqual(offenders, [], 'use readAsset/listAssets from src/assets.ts instead of import.meta.url');
});
