// What `ratchain hunt` adds for people and SIEMs: the OCSF, ECS and HTML files (--ocsf, --ecs,
// --html) and the progress bar on stderr. Kept out of hunt.ts so that file stays wiring only.
import { writeFileSync } from 'node:fs';
import type { RunSummary } from '../hunt.ts';
import { expandInputs } from '../ingest/open.ts';
import type { Finding } from '../model/finding.ts';
import { toEcs } from '../sinks/ecs.ts';
import { renderHtml } from '../sinks/html/report.ts';
import { toOcsf } from '../sinks/ocsf.ts';
import { createProgress, type HuntProgress } from '../sinks/progress.ts';

export interface ExportFlags {
  ocsf?: string;
  ecs?: string;
  html?: string;
  quiet?: boolean;
}

function writeLines(file: string, lines: string[]): void {
  if (file === '-') process.stdout.write(lines.join(''));
  else writeFileSync(file, lines.join(''));
}

/** Writes each requested export; a file that cannot be written is reported, never fatal. */
export function writeExports(o: ExportFlags, findings: Finding[], summary: RunSummary): boolean {
  let ok = true;
  const attempt = (file: string | undefined, write: (file: string) => void) => {
    if (!file) return;
    try {
      write(file);
    } catch (e) {
      ok = false;
      process.stderr.write(`ratchain: cannot write ${file}: ${(e as Error).message}\n`);
    }
  };
  attempt(o.ocsf, (f) =>
    writeLines(
      f,
      findings.map((x) => `${JSON.stringify(toOcsf(x))}\n`),
    ),
  );
  attempt(o.ecs, (f) =>
    writeLines(
      f,
      findings.map((x) => `${JSON.stringify(toEcs(x))}\n`),
    ),
  );
  attempt(o.html, (f) => writeFileSync(f, renderHtml(findings, summary)));
  return ok;
}

/** The progress bar for a hunt over these inputs (it draws only on a terminal, after 2 s). */
export function startProgress(inputs: string[], o: ExportFlags): HuntProgress {
  if (o.quiet || !process.stderr.isTTY)
    return createProgress({ stream: { isTTY: false } as NodeJS.WriteStream });
  // Sizes on disk for the ETA; stdin and .gz just leave the total short (the bar copes).
  const total = expandInputs(inputs.filter((i) => i !== '-')).inputs.reduce((n, i) => n + (i.size ?? 0), 0);
  return createProgress({ totalBytes: total || undefined });
}
