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
  // A system error names its path; anything else is a bug, said as such.
  if (err?.code && err.path) return { code: EXIT.internal, line: `ratchain: ${err.path}: ${message}` };
  return { code: EXIT.internal, line: `ratchain: internal error: ${message}${origin(err?.stack)}` };
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
