// An error that ends a run with a message for the user: what failed and, where known, the file
// and position being read or written. Any stage may throw it; the command line prints it as one
// line and exits with the code for its kind (src/cli/exit.ts).
export type RunErrorKind =
  /** Bad usage, bad config or no readable input: exit 2. */
  | 'usage'
  /** An output that cannot be written (ENOSPC, EPIPE, a missing directory): exit 3. */
  | 'output'
  /** A bug: exit 3. */
  | 'internal';

export interface RunErrorAt {
  file?: string;
  line?: number;
  offset?: number;
}

export class RunError extends Error {
  readonly kind: RunErrorKind;
  readonly at: RunErrorAt;

  constructor(kind: RunErrorKind, message: string, at: RunErrorAt = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
    this.kind = kind;
    this.at = at;
  }
}

/** "file:12", "file @4096" or "file", as problems are printed everywhere. */
export function formatAt(at: RunErrorAt): string {
  if (!at.file) return '';
  if (at.line !== undefined) return `${at.file}:${at.line}`;
  if (at.offset !== undefined) return `${at.file} @${at.offset}`;
  return at.file;
}
