// The streams a command writes to, passed down from `main` so tests run the CLI in-process and
// read what it printed.
export interface CliStream {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
}

/** A command's place to report its exit code (EXIT.*) back to `main`. */
export interface CliContext extends CliIO {
  exitCode: number;
}
