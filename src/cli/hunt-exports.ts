// What `ratchain hunt` adds for people and SIEMs: the OCSF, ECS and HTML files (--ocsf, --ecs,
// --html) and the progress bar on stderr. Kept out of hunt.ts so that file stays wiring only.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RunSummary } from '../hunt.ts';
import { expandInputs } from '../ingest/open.ts';
import type { Finding } from '../model/finding.ts';
import { RunError } from '../model/run-error.ts';
import { toEcs } from '../sinks/ecs.ts';
import { renderHtml } from '../sinks/html/report.ts';
import { findingLine } from '../sinks/ndjson.ts';
import { toOcsf } from '../sinks/ocsf.ts';
import { createProgress, type HuntProgress } from '../sinks/progress.ts';
import type { CliIO } from './io.ts';

export interface ExportFlags {
  ocsf?: string;
  ecs?: string;
  html?: string;
  quiet?: boolean;
}

function writeLines(file: string, lines: string[], io: CliIO): void {
  if (file === '-') io.stdout.write(lines.join(''));
  else writeFileSync(file, lines.join(''));
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

/** Findings as NDJSON to `file` ("-": stdout). */
export function writeFindings(file: string, findings: Finding[], io: CliIO): void {
  const text = findings.map(findingLine).join('');
  if (file === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new RunError('output', `cannot write: ${(e as Error).message}`, { file }, { cause: e });
  }
}

/** Writes each requested export; a file that cannot be written is reported, never fatal. */
export function writeExports(o: ExportFlags, findings: Finding[], summary: RunSummary, io: CliIO): boolean {
  let ok = true;
  const attempt = (file: string | undefined, write: (file: string) => void) => {
    if (!file) return;
    try {
      write(file);
    } catch (e) {
      ok = false;
      io.stderr.write(`ratchain: cannot write ${file}: ${(e as Error).message}\n`);
    }
  };
  attempt(o.ocsf, (f) =>
    writeLines(
      f,
      findings.map((x) => `${JSON.stringify(toOcsf(x))}\n`),
      io,
    ),
  );
  attempt(o.ecs, (f) =>
    writeLines(
      f,
      findings.map((x) => `${JSON.stringify(toEcs(x))}\n`),
      io,
    ),
  );
  attempt(o.html, (f) => writeFileSync(f, renderHtml(findings, summary)));
  return ok;
}

/** The progress bar for a hunt over these inputs (it draws only on a terminal, after 2 s). */
export function startProgress(inputs: string[], o: ExportFlags, io: CliIO): HuntProgress {
  if (o.quiet || !io.stderr.isTTY) return createProgress({ stream: { isTTY: false } as NodeJS.WriteStream });
  // Sizes on disk for the ETA; stdin and .gz just leave the total short (the bar copes).
  const total = expandInputs(inputs.filter((i) => i !== '-')).inputs.reduce((n, i) => n + (i.size ?? 0), 0);
  return createProgress({ totalBytes: total || undefined, stream: io.stderr as NodeJS.WriteStream });
}
