// Where live findings go: NDJSON lines, one whole line per write, so a reader never sees half a
// finding, and close() resolves only when everything written has been handed to the OS.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Finding } from '../model/finding.ts';
import { findingLine } from '../sinks/ndjson.ts';

export interface FindingOutput {
  write(f: Finding): void;
  close(): Promise<void>;
}

interface LineStream {
  write(chunk: string, cb?: (err?: Error | null) => void): boolean;
}

/** `path` undefined or "-": `stdout`. A file is appended to, never truncated. */
export function openFindingOutput(
  path: string | undefined,
  stdout: LineStream = process.stdout,
): FindingOutput {
  if (!path || path === '-') {
    return {
      write: (f) => {
        stdout.write(findingLine(f));
      },
      close: () => new Promise((resolve) => stdout.write('', () => resolve())),
    };
  }
  const fd = openSync(path, 'a');
  return {
    write(f) {
      const b = Buffer.from(findingLine(f));
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off);
    },
    close: async () => closeSync(fd),
  };
}
