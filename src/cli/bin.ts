#!/usr/bin/env node
// The `ratchain` executable (built to dist/ratchain.mjs): runs the command line, exits with its
// code. An error nothing caught, even while the code loads, still ends as one line and exit 3.
import { terminalSafe } from '../sinks/terminal-text.ts';
import { describeFailure, stdoutFailure } from './exit.ts';

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
import('./main.ts')
  .then(({ main }) => main(process.argv))
  .then((code) => {
    process.exitCode = code;
  }, die);
