// `npm run build:binary`: the single executable for linux-x64 (a Node single executable
// application), out/ratchain-linux-x64 (outside dist/, which is what the npm package ships). The whole command line is bundled into one CommonJS file
// (what SEA runs), with src/assets.ts swapped for src/assets.sea.ts so data files come from the
// executable itself; every data file of the package build is embedded as an SEA asset. It is
// built from the Node that runs this script, so the executable has that Node's version.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { buildPackage, CHECKED_FILES, checkedBuiltins, dataFiles, ENTRY } from './build.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'out');
const WORK = join(OUT, 'sea');
export const BINARY = join(OUT, 'ratchain-linux-x64');
/** The fuse Node's SEA support looks for (from Node's documentation of single executables). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Every import of src/assets.ts resolves to src/assets.sea.ts instead. */
const seaAssets: Plugin = {
  name: 'sea-assets',
  setup(b) {
    b.onResolve({ filter: /\/assets\.ts$/ }, () => ({ path: join(ROOT, 'src', 'assets.sea.ts') }));
  },
};

async function bundle(file: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    plugins: [seaAssets, checkedBuiltins],
    // ESM-only packages (fdir, under tinyglobby) call createRequire(import.meta.url); CommonJS has
    // no import.meta, so it is the executable's own URL here.
    define: { 'import.meta.url': 'RATCHAIN_SEA_URL' },
    banner: { js: "var RATCHAIN_SEA_URL=require('node:url').pathToFileURL(process.execPath).href;" },
    logLevel: 'silent',
  });
  // Any other use of import.meta left in the bundle would be empty in CommonJS, and wrong.
  if (/\bimport_meta\s*=\s*\{\}/.test(readFileSync(file, 'utf8')))
    throw new Error('the single executable bundle uses import.meta, which CommonJS does not have');
}

export async function buildBinary(): Promise<string> {
  await buildPackage(); // the data files, the checked built-ins and the licence notices
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const main = join(WORK, 'ratchain.cjs');
  await bundle(main);

  const names = [...dataFiles(), ...CHECKED_FILES];
  const assets: Record<string, string> = { 'assets.json': join(WORK, 'assets.json') };
  for (const n of names) assets[n] = join(DIST, n);
  writeFileSync(assets['assets.json'], JSON.stringify(names));
  const blob = join(WORK, 'ratchain.blob');
  const config = join(WORK, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

  copyFileSync(process.execPath, BINARY);
  chmodSync(BINARY, 0o755);
  // postject warns about every ELF note it passes over; its output matters only when it fails.
  const injected = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/postject/dist/cli.js'), BINARY, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE],
    { encoding: 'utf8' },
  );
  if (injected.status !== 0) throw new Error(`postject failed: ${injected.stderr}`);
  copyFileSync(join(DIST, 'THIRD-PARTY-NOTICES.txt'), join(OUT, 'ratchain-linux-x64.NOTICES.txt'));
  return BINARY;
}

if (process.argv[1] === import.meta.filename) {
  const file = await buildBinary();
  process.stderr.write(`built ${relative(process.cwd(), file)}\n`);
}
