// `npm run build`: bundles the command line into dist/ (run by `prepare` on `npm ci`, and by
// `prepack`). dist/ratchain.mjs is the entry; each subcommand is its own chunk beside it, loaded
// when it runs. Every data file under src/ (the catalogue, rule packs) is copied to the same path
// under dist/, where src/assets.ts finds it; the built-in catalogue, rule packs and default config
// are also checked here once and written as JSON (src/checked-builtins.ts), so no run pays for
// checking them, and a run that reads no user file loads no checker (yaml, zod) at all.
//
// npm packages are bundled in too: loading them file by file through Node's module resolver made
// a one-event hunt cost 5x `node -e 0` against under 3x bundled. So the package needs no runtime
// dependencies (they are all devDependencies), their licences go to dist/THIRD-PARTY-NOTICES.txt,
// and the build fails if dist/ would import a package after all.
//
// Beside the chunks, the whole command line is one CommonJS script with a V8 code cache trained
// by a hunt (src/cli/code-cache.ts): dist/ratchain.mjs runs that when the Node running it built
// the cache, and the chunks otherwise.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { builtinCatalog } from '../src/catalog/builtin.ts';
import {
  CATALOG_ASSET,
  CHECKED_ASSETS,
  checkBuiltinCatalog,
  defaultConfig,
} from '../src/checked-builtins.ts';
import { CODE_CACHE_OUT, cacheFileFor, wrapBundle } from '../src/cli/code-cache.ts';
import { buildTables } from '../src/config/dfa/build.ts';
import { encodeDfa, tableKey } from '../src/config/dfa/match.ts';
import { encodeProgram } from '../src/config/dfa/program.ts';
import { madePatterns } from '../src/config/pattern.ts';
import { createContext } from '../src/engine/context.ts';
import { checkBuiltinRulesForBuild } from '../src/rules/load.ts';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
export const ENTRY = 'src/cli/bin.ts';
/** What the code-cached script runs: the command line without the executable's handlers. */
const BUNDLE_ENTRY = 'src/cli/main.ts';

/** Every import of src/checked-builtins.ts resolves to src/checked-builtins.built.ts instead. */
export const checkedBuiltins: Plugin = {
  name: 'checked-builtins',
  setup(b) {
    b.onResolve({ filter: /\/checked-builtins\.ts$/ }, () => ({
      path: join(SRC, 'checked-builtins.built.ts'),
    }));
    b.onResolve({ filter: /\/dfa\/tables\.ts$/ }, () => ({
      path: join(SRC, 'config', 'dfa', 'tables.built.ts'),
    }));
  },
};

/**
 * fdir (under tinyglobby) looks for picomatch through Node's resolver when it loads, for a glob
 * option tinyglobby never uses: where a node_modules holds picomatch (a clone, a global prefix)
 * every start resolved and compiled it unbundled, 8 ms. The look-up is left out; the build fails
 * when fdir no longer has it in this shape, so an upgrade is looked at again.
 */
export const noOptionalPicomatch: Plugin = {
  name: 'no-optional-picomatch',
  setup(b) {
    b.onLoad({ filter: /node_modules\/fdir\/dist\/index\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const lookup =
        /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
      if (!lookup.test(text)) throw new Error(`${args.path}: its optional picomatch look-up changed`);
      return { contents: text.replace(lookup, ''), loader: 'js' };
    });
  },
};

/**
 * commander requires child_process when it loads, for executable subcommands, which ratchain has
 * none of: loading it cost every start 3 ms. Its `spawn` is loaded when first called instead.
 */
export const lazyChildProcess: Plugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/')
        ? { path: 'child_process', namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "exports.spawn = (...a) => require('node:child_process').spawn(...a);",
      loader: 'js',
    }));
  },
};

/** The checked results the build writes beside the data files (names under dist/). */
export const CHECKED_FILES = Object.values(CHECKED_ASSETS);

/** The checked built-ins as files of dist/, by name. */
function checkedBuiltinFiles(): Array<[string, string]> {
  const read = (name: string) => readFileSync(join(SRC, name), 'utf8');
  const results: Record<keyof typeof CHECKED_ASSETS, unknown> = {
    catalog: checkBuiltinCatalog(read(CATALOG_ASSET)),
    rules: checkBuiltinRulesForBuild(read),
    config: defaultConfig(),
    patterns: patternTables(),
  };
  return Object.entries(CHECKED_ASSETS).map(([kind, name]) => [
    name,
    JSON.stringify(results[kind as keyof typeof CHECKED_ASSETS]),
  ]);
}

/**
 * The DFA and program of every pattern the built-in rules and the default config make (an
 * engine's context makes them all), by tableKey; a pattern whose table would be too big is left
 * to re2js.
 */
function patternTables(): Record<string, string> {
  createContext(defaultConfig(), builtinCatalog(), {}, () => {});
  const tables: Record<string, string> = {};
  for (const { source, caseSensitive } of madePatterns()) {
    const t = buildTables(source, caseSensitive);
    if (t)
      tables[tableKey(source, caseSensitive)] =
        `${encodeDfa(t.dfa)} ${encodeProgram(t.program, t.dfa.classes)}`;
  }
  return tables;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * Makes dist/ hold exactly `files`, writing only what changed (each by a rename, never half
 * written) and removing stale files last. A build that changes nothing touches nothing, so a
 * process running dist/ meanwhile (a test, a bench, another build's test run) never finds a
 * chunk missing; dist/ was once deleted and rewritten by every build, which failed such runs.
 */
function syncDist(files: Map<string, Uint8Array | string>): void {
  for (const [name, data] of files) {
    const path = join(DIST, name);
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    if (existsSync(path) && readFileSync(path).equals(bytes)) continue;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    if (name === 'ratchain.mjs') chmodSync(tmp, 0o755);
    renameSync(tmp, path);
  }
  for (const name of filesUnder(DIST)) if (!files.has(name)) rmSync(join(DIST, name));
}

/** Every file under src/ the code may read at run time: anything that is not code or prose. */
export function dataFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...dataFiles(p));
    else if (!/\.(ts|md)$/.test(e.name)) out.push(relative(SRC, p));
  }
  return out.sort();
}

/** The npm package an import specifier names ("@nats-io/jetstream/x" → "@nats-io/jetstream"). */
function packageOf(spec: string): string | undefined {
  if (isBuiltin(spec) || spec.startsWith('.') || spec.startsWith('/')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importedPackages(meta: Metafile): string[] {
  const names = new Set<string>();
  for (const out of Object.values(meta.outputs))
    for (const i of out.imports) {
      const name = i.external ? packageOf(i.path) : undefined;
      if (name) names.add(name);
    }
  return [...names].sort();
}

/** The command line as one CommonJS script (code-cache.ts runs it), named by its text's hash. */
async function buildBundle(): Promise<{ name: string; text: string; meta: Metafile }> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [BUNDLE_ENTRY],
    outfile: join(DIST, 'ratchain-bundle.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // src/assets.ts reads data files beside its own URL: here the script's, in dist/ too.
    define: { 'import.meta.url': 'RATCHAIN_BUNDLE_URL' },
    banner: { js: "var RATCHAIN_BUNDLE_URL=require('node:url').pathToFileURL(__filename).href;" },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    plugins: [checkedBuiltins, noOptionalPicomatch, lazyChildProcess],
    write: false,
    logLevel: 'warning',
  });
  // esbuild leaves non-ASCII characters in regular expression literals (NATS has a "µs"); as
  // \u escapes they mean the same, and a pure ASCII script is read as Latin-1, at 3 ms instead
  // of UTF-8's 8 (code-cache.ts).
  const text = result.outputFiles[0].text.replace(
    /[^\x00-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // Any other use of import.meta left in the bundle would be empty in CommonJS, and wrong.
  if (/\bimport_meta\s*=\s*\{\}/.test(text))
    throw new Error('the code-cached bundle uses import.meta, which CommonJS does not have');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { name: `ratchain-bundle-${hash}.js`, text, meta: result.metafile };
}

export async function buildPackage(): Promise<void> {
  const bundle = await buildBundle();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { ratchain: ENTRY },
    outdir: DIST,
    outExtension: { '.js': '.mjs' },
    // Chunks sit in dist/ itself: src/assets.ts resolves data files against its own chunk's URL.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Bundled CommonJS packages (commander, cli-progress) call require() for Node's modules.
    banner: {
      js: "import{createRequire as __ratchainRequire}from'node:module';const require=__ratchainRequire(import.meta.url);",
    },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    plugins: [checkedBuiltins, noOptionalPicomatch, lazyChildProcess],
    define: { RATCHAIN_BUNDLE: JSON.stringify(bundle.name) },
    write: false,
    logLevel: 'warning',
  });
  checkLazyLoading(result.metafile);
  const bundled = importedPackages(bundle.meta);
  if (bundled.length) throw new Error(`the code-cached bundle imports ${bundled.join(', ')}; bundle them`);

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const declared = Object.keys(pkg.dependencies ?? {}).sort();
  const used = importedPackages(result.metafile);
  if (declared.join() !== used.join())
    throw new Error(
      `package.json dependencies (${declared.join(', ') || 'none'}) differ from what dist/ imports (${used.join(', ') || 'none'}); the build bundles npm packages, so list them under devDependencies`,
    );

  const files = new Map<string, Uint8Array | string>();
  for (const out of result.outputFiles) files.set(relative(DIST, out.path), out.contents);
  for (const f of dataFiles()) files.set(f, readFileSync(join(SRC, f)));
  for (const [name, text] of checkedBuiltinFiles()) files.set(name, text);
  files.set('THIRD-PARTY-NOTICES.txt', notices(result.metafile));
  files.set(bundle.name, bundle.text);
  // The bundle's name is its hash, so a cache already beside it was trained on this very text.
  const cache = basename(cacheFileFor(bundle.name));
  const trained = existsSync(join(DIST, cache));
  if (trained) files.set(cache, readFileSync(join(DIST, cache)));
  syncDist(files);
  if (!trained) trainCodeCache(bundle.name, cache);
}

/** Runs `ratchain` (the built one) with `args`; throws with its stderr when it fails. */
function runBuilt(args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(process.execPath, [join(DIST, 'ratchain.mjs'), ...args], {
    cwd: ROOT,
    env: { ...plainEnv(), ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`ratchain ${args.join(' ')} (training the code cache): ${r.stderr}`);
}

/**
 * The build's environment without NODE_OPTIONS: V8 refuses a code cache made under other V8
 * flags (a --max-old-space-size there would make the cache useless to every plain run).
 */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** Throws unless a plain `node` takes the cache `cache` of `bundle` (both in dist/). */
function checkCodeCache(bundle: string, cache: string, work: string): void {
  const wrapped = join(work, 'wrapped.js');
  writeFileSync(wrapped, wrapBundle(readFileSync(join(DIST, bundle), 'latin1')), 'latin1');
  const probe =
    "const fs=require('node:fs');const s=new (require('node:vm').Script)(fs.readFileSync(process.argv[1],'latin1'),{cachedData:fs.readFileSync(process.argv[2])});process.exit(s.cachedDataRejected?1:0)";
  const r = spawnSync(process.execPath, ['-e', probe, wrapped, join(DIST, cache)], { env: plainEnv() });
  if (r.status !== 0)
    throw new Error(`V8 refuses the code cache just trained (${cache}): was a V8 flag set?`);
}

/**
 * Writes dist/`cache`: the code the bundle compiles while it hunts every input format (a small
 * simulated fleet in each, and the examples), so that a hunt's start deserializes it instead.
 */
function trainCodeCache(bundle: string, cache: string): void {
  const work = mkdtempSync(join(tmpdir(), 'ratchain-code-cache-'));
  try {
    const fleet = join(work, 'fleet');
    runBuilt(['simulate', '--out', fleet, '--hosts', '10', '--rate', '50', '--formats', ...TRAINING_FORMATS]);
    // Written beside its place and renamed there, so no run ever finds half a cache.
    const out = join(DIST, `${cache}.${process.pid}.tmp`);
    runBuilt(['hunt', '-q', join(fleet, 'logs'), 'examples'], { [CODE_CACHE_OUT]: out });
    renameSync(out, join(DIST, cache));
    checkCodeCache(bundle, cache, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The formats the code cache is trained on: every one `simulate` writes. */
const TRAINING_FORMATS = [
  'evtx',
  'sysmon-xml',
  'winlogbeat-json',
  'auditd',
  'eslogger',
  'osquery',
  'zeek-conn',
];

/** The inputs an output loads before it runs: itself and its static imports, transitively. */
function staticInputs(meta: Metafile, output: string): Set<string> {
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const stack = [output];
  while (stack.length) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    for (const i of Object.keys(meta.outputs[o].inputs)) inputs.add(i);
    for (const i of meta.outputs[o].imports)
      if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
  }
  return inputs;
}

/** Packages a command may load, by the module that runs it; the rest load none of these. */
const ONLY_IN: Array<[RegExp, RegExp]> = [[/node_modules\/@nats-io\//, /src\/cli\/(publish|worker)\.ts$/]];
/**
 * Packages a command loads only when it has a file of the user's to check: with the built-in
 * rules and defaults, a hunt reads the build's checked JSON (src/checked-builtins.ts).
 */
const ON_DEMAND_IN: Array<[RegExp, RegExp]> = [[/node_modules\/(yaml|zod)\//, /src\/cli\/hunt\.ts$/]];
/** What `ratchain --help` runs: the entry and the command line it loads. */
const HELP_PATH = [ENTRY, 'src/cli/main.ts'];
/**
 * Never bundled: browser and test libraries, and zod's messages in other languages (every
 * command that checks input compiled 366 KB of them; `import * as z from 'zod'` leaves them out
 * where `import { z } from 'zod'` pulled in all of them).
 */
const NEVER = /node_modules\/(playwright|playwright-core|ajv)\/|node_modules\/zod\/v4\/locales\/(?!en\.js)/;

/**
 * `ratchain --help` loads commander and the option lists only; NATS is loaded by publish and
 * worker alone; hunt loads yaml and zod only for a user's file; no browser or test library is in
 * the bundle at all.
 */
function checkLazyLoading(meta: Metafile): void {
  for (const [out, o] of Object.entries(meta.outputs)) {
    if (!o.entryPoint) continue;
    const inputs = [...staticInputs(meta, out)];
    const bad = inputs.filter((i) => NEVER.test(i));
    if (HELP_PATH.includes(o.entryPoint))
      bad.push(
        ...inputs.filter((i) => i.includes('node_modules/') && !i.includes('node_modules/commander/')),
      );
    for (const [pkg, owner] of ONLY_IN)
      if (!owner.test(o.entryPoint)) bad.push(...inputs.filter((i) => pkg.test(i)));
    for (const [pkg, command] of ON_DEMAND_IN)
      if (command.test(o.entryPoint)) bad.push(...inputs.filter((i) => pkg.test(i)));
    if (bad.length)
      throw new Error(`${o.entryPoint} loads ${bad[0]} at start (${bad.length} files); load it on demand`);
  }
}

/** The directories of the npm packages whose code went into the bundle. */
export function bundledPackages(meta: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

/** Name, version and licence text of every bundled package. */
function notices(meta: Metafile): string {
  const parts: string[] = [];
  for (const dir of bundledPackages(meta)) {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    const file = readdirSync(join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(ROOT, dir, file), 'utf8').trim() : `License: ${pkg.license}`;
    parts.push(`${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  return `ratchain bundles these packages:\n\n${parts.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

if (process.argv[1] === import.meta.filename) {
  await buildPackage();
  process.stderr.write(`built ${relative(process.cwd(), DIST) || 'dist'}/ratchain.mjs\n`);
}
