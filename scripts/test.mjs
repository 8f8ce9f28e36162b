// `npm test`: builds dist/ (tests that need a process of their own run the built CLI), then runs
// every *.test.ts under src/ and test/ with node:test (Node 20 expands no globs itself), or only
// the files given.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(args) {
  return spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;
}

const only = process.argv.slice(2);
const files = only.length ? only : [...find('src', []), ...find('test', [])].sort();
const built = run(['--import', 'tsx', 'scripts/build.ts']);
if (built !== 0) process.exit(built);
process.exit(run(['--import', 'tsx', '--test', '--test-concurrency=2', ...files]));
