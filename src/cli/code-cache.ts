// The command line from one script with V8's compiled code beside it (a code cache), instead of
// compiling some forty modules on every start. The build bundles src/cli/main.ts into one
// CommonJS script in dist/ (named by a hash of its text), runs a hunt with it once, and keeps
// the bytecode of every function that hunt compiled (vm.Script#createCachedData), for the Node
// that built it. A run with that Node deserializes the bytecode instead of parsing and compiling
// it: a hunt of 49 small EVTX files cost 0.82 CPU s from the ES module chunks and 0.56 this way.
//
// Nothing is ever written at run time (the package may be installed read-only). Any other Node
// (another V8, another architecture) finds no cache file and loads the ES module chunks as
// before; V8 also refuses a cache made under other heap flags (--max-old-space-size), and then
// compiles the script itself, which is slower to start but runs the same code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

type Main = (argv: string[]) => Promise<number>;

/** Set by the build to train the cache: the file the run's compiled code is written to at exit. */
export const CODE_CACHE_OUT = 'RATCHAIN_CODE_CACHE_OUT';

/** The cache file of `bundle` for this Node: V8 refuses code from another version or machine. */
export function cacheFileFor(bundle: string): string {
  return `${bundle.replace(/\.js$/, '')}.v8-${process.versions.v8}-${process.arch}.cache`;
}

/** CommonJS's module wrapper: the script is the body of a function given these names. */
export const wrapBundle = (text: string) =>
  `(function (exports, require, module, __filename, __dirname) { ${text}\n});`;

/** Compiles and runs the bundle `file` (with `cachedData` when given) and returns its main(). */
export function runBundle(file: string, cachedData?: Buffer): { main: Main; script: Script } {
  // The build writes the script in ASCII, which Latin-1 reads faster than UTF-8 does.
  const script = new Script(wrapBundle(readFileSync(file, 'latin1')), { filename: file, cachedData });
  const module = { exports: {} as { main?: Main } };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (typeof module.exports.main !== 'function') throw new Error(`${file} exports no main()`);
  return { main: module.exports.main, script };
}

/**
 * main() of the bundle `name` in `dir`, compiled with its code cache, or undefined when this Node
 * has no cache for it (the caller loads the module chunks instead).
 */
export function cachedMain(dir: string, name: string): Main | undefined {
  const file = join(dir, name);
  const training = process.env[CODE_CACHE_OUT];
  if (training) {
    const { main, script } = runBundle(file);
    process.once('exit', () => writeFileSync(training, script.createCachedData()));
    return main;
  }
  const cache = cacheFileFor(file);
  return existsSync(cache) ? runBundle(file, readFileSync(cache)).main : undefined;
}
