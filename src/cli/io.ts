// The streams a command writes to, passed down from `main` so tests run the CLI in-process and
// read what it printed.
export interface CliStream {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: CliStream;
  /** Human-readable lines (problems, logs): main() makes it terminal-safe. */
  stderr: CliStream;
  /** stderr as it is, for what draws on the terminal itself (the progress bar). */
  rawStderr?: CliStream;
}

/** A command's place to report its exit code (EXIT.*) back to `main`. */
export interface CliContext extends CliIO {
  exitCode: number;
}
