// How the commands that hunt files report their input: each reader problem on stderr with its
// position (the first few; the rest counted), the input list's own problems, and whether any
// input was in a format ratchain reads.
import type { Problem } from '../ingest/reader.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

/** Problems printed one by one; past this many, only counted. */
const MAX_PROBLEMS_SHOWN = 20;

export interface InputReport {
  onProblem(p: Problem): void;
  /** After the run: the input list's problems and the count of problems not shown. */
  finish(summary: RunSummary): void;
}

export function inputReport(io: CliIO): InputReport {
  let shown = 0;
  let hidden = 0;
  return {
    onProblem(p) {
      if (shown >= MAX_PROBLEMS_SHOWN) {
        hidden++;
        return;
      }
      shown++;
      const pos = p.line !== undefined ? `:${p.line}` : p.offset !== undefined ? ` @${p.offset}` : '';
      io.stderr.write(`ratchain: ${p.file}${pos}${p.where ? ` (${p.where})` : ''}: ${p.message}\n`);
    },
    finish(summary) {
      for (const p of summary.inputProblems) io.stderr.write(`ratchain: ${p.file}: ${p.message}\n`);
      if (hidden) io.stderr.write(`ratchain: ... and ${hidden} more problems\n`);
    },
  };
}

/**
 * EXIT.usage when there was nothing to read: no input at all, or none in a format ratchain
 * reads (an empty log holds no events and is no error). Says why on stderr.
 */
export function noReadableInput(summary: RunSummary, io: CliIO): number | undefined {
  if (summary.inputs.length === 0) return EXIT.usage;
  const recognised =
    summary.inputs.some((i) => i.format !== undefined) || summary.inputs.every((i) => i.problems === 0);
  if (recognised) return undefined;
  io.stderr.write(
    `ratchain: no input is in a format ratchain reads (${summary.inputs.length} tried); \`ratchain formats\` lists them\n`,
  );
  return EXIT.usage;
}
