// What `ratchain hunt` needs around its outputs: a check that every output file can be created
// before any work, and the progress bar on stderr. Kept out of hunt.ts so that file stays wiring.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expandInputs } from '../ingest/open.ts';
import { RunError } from '../model/run-error.ts';
import { createProgress, type HuntProgress } from '../sinks/progress.ts';
import type { CliIO } from './io.ts';

export interface ExportFlags {
  quiet?: boolean;
}

/**
 * Fails before any work when an output file cannot be created: its directory is missing or not
 * writable. (Writing can still fail later, on a full disk: that is reported where it happens.)
 */
export function checkOutputs(files: Array<string | undefined>): void {
  for (const file of files) {
    if (!file || file === '-') continue;
    const dir = dirname(resolve(file));
    let why: string | undefined;
    try {
      if (!statSync(dir).isDirectory()) why = `${dir} is not a directory`;
      else accessSync(dir, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      why = code === 'ENOENT' ? `directory ${dir} does not exist` : `directory ${dir} is not writable`;
    }
    if (why) throw new RunError('output', `cannot write: ${why}`, { file });
  }
}

/** The progress bar for a hunt over these inputs (it draws only on a terminal, after 2 s). */
export function startProgress(inputs: string[], o: ExportFlags, io: CliIO): HuntProgress {
  if (o.quiet || !io.stderr.isTTY) return createProgress({ stream: { isTTY: false } as NodeJS.WriteStream });
  // Sizes on disk for the ETA; stdin and .gz just leave the total short (the bar copes).
  const total = expandInputs(inputs.filter((i) => i !== '-')).inputs.reduce((n, i) => n + (i.size ?? 0), 0);
  return createProgress({
    totalBytes: total || undefined,
    stream: (io.rawStderr ?? io.stderr) as NodeJS.WriteStream,
  });
}
