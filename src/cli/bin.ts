#!/usr/bin/env node
// The `ratchain` executable (built to dist/ratchain.mjs): runs the command line, exits with its
// code. An error nothing caught, even while the code loads, still ends as one line and exit 3.
import { assetPath } from '../assets.ts';
import { terminalSafe } from '../sinks/terminal-text.ts';
import { cachedMain } from './code-cache.ts';
import { describeFailure, stdoutFailure } from './exit.ts';

/** The bundle of the command line the package build writes beside the data files (code-cache.ts). */
declare const RATCHAIN_BUNDLE: string | undefined;

function die(e: unknown): void {
  const { code, line } = describeFailure(e);
  process.stderr.write(`${terminalSafe(line)}\n`);
  if (process.env.RATCHAIN_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(code);
}

process.stdout.on('error', (e) => {
  const { code, line } = stdoutFailure(e, typeof process.exitCode === 'number' ? process.exitCode : 0);
  if (line) process.stderr.write(`${line}\n`);
  process.exit(code);
});
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

/**
 * Help and the version come from commander and the option lists alone, which the module chunks
 * load for less than the whole code cache costs (`--help`: 1.09x the chunks' instructions).
 */
const LIGHT_ARGS = new Set(['--help', '-h', '--version', '-V', 'help']);
const light = process.argv.length <= 2 || process.argv.slice(2).some((a) => LIGHT_ARGS.has(a));

/** The bundle with its code cache when this Node has one (and the run is not light), else the chunks. */
function loadMain(): Promise<{ main: (argv: string[]) => Promise<number> }> {
  if (typeof RATCHAIN_BUNDLE === 'string' && !light) {
    try {
      const main = cachedMain(assetPath('.'), RATCHAIN_BUNDLE);
      if (main) return Promise.resolve({ main });
    } catch {
      // An unreadable or broken cache costs only the start-up it would have saved.
    }
  }
  return import('./main.ts');
}

loadMain()
  .then(({ main }) => main(process.argv))
  .then((code) => {
    process.exitCode = code;
  }, die);
