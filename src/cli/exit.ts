// Exit codes scripts can rely on (documented in the README), and the one line an error that ends
// a command prints.
import { formatAt, RunError } from '../model/run-error.ts';

export const EXIT = {
  /** Ran; no finding at or above --fail-on. */
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Bad usage, bad config, or no readable input. */
  usage: 2,
  /** An internal error (a bug, or an output that cannot be written): a message says what and where. */
  internal: 3,
} as const;

/** The exit code and the single message line for an error thrown out of a command. */
export function describeFailure(e: unknown): { code: number; line: string } {
  if (e instanceof RunError) {
    const at = formatAt(e.at);
    return {
      code: e.kind === 'usage' ? EXIT.usage : EXIT.internal,
      line: `ratchain: ${at ? `${at}: ` : ''}${oneLine(e.message)}`,
    };
  }
  const err = e as NodeJS.ErrnoException | undefined;
  const message = oneLine(err?.message ?? String(e));
  // A system error names its path; a write without one was to a stream (stdout); anything else
  // is a bug, said as such.
  if (err?.code && err.path) return { code: EXIT.internal, line: `ratchain: ${err.path}: ${message}` };
  if (err?.code && err.syscall === 'write')
    return { code: EXIT.internal, line: `ratchain: cannot write output: ${message}` };
  return { code: EXIT.internal, line: `ratchain: internal error: ${message}${origin(err?.stack)}` };
}

/**
 * What to do when stdout cannot be written. A reader that went away (EPIPE: `ratchain ... | head`)
 * ends the run quietly with the code it had, as other command-line tools do; anything else
 * (ENOSPC on /dev/full, EIO) is an output that cannot be written: a message and exit 3.
 */
export function stdoutFailure(e: unknown, codeSoFar: number): { code: number; line?: string } {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EPIPE') return { code: codeSoFar };
  return {
    code: EXIT.internal,
    line: `ratchain: stdout: cannot write: ${oneLine(err?.message ?? String(e))}`,
  };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** " (at file:line)" from the first stack frame, so a bug report says where. */
function origin(stack: string | undefined): string {
  const frame = stack?.split('\n').find((l) => l.trimStart().startsWith('at '));
  const m = frame && /\(?((?:file:\/\/)?[^\s()]+:\d+):\d+\)?$/.exec(frame);
  return m ? ` (at ${m[1].replace(/^file:\/\//, '')})` : '';
}
