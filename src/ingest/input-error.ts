// An internal error (a bug in a reader or in the engine) carries the file and position being
// read when it happened, so the one-line message at exit says where to look (exit 3). Bad input
// is never an InputError: readers report it as a Problem and go on.
import { RunError } from '../model/run-error.ts';
import type { Position } from './reader.ts';

export class InputError extends RunError {
  constructor(file: string, pos: Position, what: string, cause: unknown) {
    const m = cause instanceof Error ? cause.message : String(cause);
    const where = pos.where ? ` (${pos.where})` : '';
    super(
      'internal',
      `internal error: ${what}${where}: ${m}`,
      { file, line: pos.line, offset: pos.offset },
      { cause },
    );
    this.name = 'InputError';
  }

  /** Wraps `cause` with the position, unless it already carries one. */
  static at(pos: Position & { file: string }, cause: unknown, what: string): RunError {
    return cause instanceof RunError ? cause : new InputError(pos.file, pos, what, cause);
  }
}
