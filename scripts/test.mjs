// `npm test`: builds dist/ (tests that need a process of their own run the built CLI), compiles
// the test files, then runs them with node:test; `node scripts/test.mjs FILE...` runs only those.
//
// Each test file runs in its own process. Loading TypeScript through tsx costs every one of them
// about half a second of CPU, so the test files are bundled with esbuild instead (one pass, npm
// packages left external) into .test-build/, with each module's import.meta.url (and dirname,
// filename) fixed to its source file, so paths computed from it mean what they mean in src/ and
// test/. Stack traces map back to the .ts sources.
//
// The whole suite runs its files a group to a process: a process of its own cost every file
// about 0.3 s of CPU before its first test (a fifth of the suite's CPU), and files of one group
// share the modules they load. A file that changes or measures its process (environment, working
// directory, handlers, memory) still runs alone, and so does every file named on the command
// line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OUT = join(ROOT, '.test-build');

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** import.meta.* of every project module, written as the values they have in its source file. */
const sourcePaths = {
  name: 'source-paths',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = readFileSync(args.path, 'utf8')
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
      return { contents: text, loader: 'ts' };
    });
  },
};

async function compile(files) {
  rmSync(OUT, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: files,
    outdir: OUT,
    outbase: ROOT,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    plugins: [sourcePaths],
    logLevel: 'warning',
  });
  return files.map((f) => join(OUT, relative(ROOT, f).replace(/\.ts$/, '.js')));
}

/** What makes a test file need a process of its own: it changes or measures the process. */
const OWN_PROCESS =
  /process\.env\.\w+\s*=[^=]|delete process\.env|process\.chdir|process\.on\(|process\.memoryUsage|process\.exitCode|process\.stdin|mock\.timers/;

/** Test files per shared process: few enough that a slow group does not end the run alone. */
const FILES_PER_GROUP = 16;

/**
 * The compiled files to hand node:test: each file that needs its own process as itself (first:
 * they are the ones that start servers and browsers), the others in groups of files that follow
 * one another in the tree, each group one generated file that imports its members.
 */
function groups(sources, compiled) {
  const alone = [];
  const shared = [];
  sources.forEach((src, i) => {
    (OWN_PROCESS.test(readFileSync(src, 'utf8')) ? alone : shared).push(compiled[i]);
  });
  const dir = join(OUT, 'groups');
  mkdirSync(dir, { recursive: true });
  const out = [...alone];
  for (let i = 0; i < shared.length; i += FILES_PER_GROUP) {
    const members = shared.slice(i, i + FILES_PER_GROUP);
    const file = join(dir, `group-${out.length - alone.length + 1}.test.js`);
    const lines = members.map((m) => `import ${JSON.stringify(`./${relative(dir, m)}`)};`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    out.push(file);
  }
  return out;
}

function run(args) {
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

const only = process.argv.slice(2).map((f) => resolve(f));
const files = only.length ? only : [...find(join(ROOT, 'src'), []), ...find(join(ROOT, 'test'), [])].sort();
const built = run(['--import', 'tsx', 'scripts/build.ts']);
if (built !== 0) process.exit(built);
const compiled = await compile(files);
const processes = only.length ? compiled : groups(files, compiled);
const concurrency = `--test-concurrency=${Math.max(2, availableParallelism())}`;
process.exit(run(['--enable-source-maps', '--test', concurrency, ...processes]));
