// The backtest's two outputs: a terminal report (one block per difference, text from the logs
// made terminal-safe, colour only when asked) and NDJSON (one record per difference, then one
// summary record), both from the same FindingDiff.
import pc from 'picocolors';
import { STEP_LABEL, type StepId } from '../model/finding.ts';
import { terminalSafe } from '../sinks/terminal-text.ts';
import type { FindingChange, FindingDiff, FindingState, ReasonChange } from './diff.ts';

export const DIFF_SCHEMA = 'ratchain.diff/1';

/** What each side of the comparison was hunted with ("old.yaml", "ratchain.yaml + site.rules.yaml"). */
export interface DiffSides {
  before: string;
  after: string;
}

const short = (s: StepId) => STEP_LABEL[s].split(' ')[0];
const stepsText = (s: FindingState) => (s.steps.length ? s.steps.map(short).join(' ') : 'none');
const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

function reasonText(r: ReasonChange): string {
  if (r.before === undefined) return `+ ${r.code} ${signed(r.after!)}`;
  if (r.after === undefined) return `- ${r.code} ${signed(r.before)}`;
  return `~ ${r.code} ${signed(r.before)} → ${signed(r.after)}`;
}

function stateLine(s: FindingState): string {
  return `${s.status} ${s.severity} ${s.score}, steps ${stepsText(s)}`;
}

function changedLines(c: FindingChange): string[] {
  const a = c.before!;
  const b = c.after!;
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status    ${a.status} → ${b.status}`);
  if (a.severity !== b.severity) out.push(`severity  ${a.severity} → ${b.severity}`);
  if (a.score !== b.score) out.push(`score     ${a.score} → ${b.score}`);
  const { gained, lost } = c.steps!;
  if (gained.length || lost.length) {
    const parts = [
      ...gained.map((s) => `gained ${STEP_LABEL[s]}`),
      ...lost.map((s) => `lost ${STEP_LABEL[s]}`),
    ];
    out.push(`steps     ${stepsText(a)} → ${stepsText(b)} (${parts.join(', ')})`);
  }
  for (const r of c.reasons!) out.push(`reason    ${reasonText(r)}`);
  return out;
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** The terminal report: a summary line, then each difference as a headline and its details. */
export function diffText(diff: FindingDiff, sides: DiffSides, color: boolean): string {
  const c = pc.createColors(color);
  const paint = { added: c.green, removed: c.red, changed: c.yellow } as const;
  const lines = [
    c.bold(
      `ratchain diff: ${diff.before} finding${diff.before === 1 ? '' : 's'} under ${terminalSafe(sides.before)}, ${diff.after} under ${terminalSafe(sides.after)}`,
    ),
    `  ${diff.added} added, ${diff.removed} removed, ${diff.changed} changed, ${diff.unchanged} unchanged`,
  ];
  for (const ch of diff.changes) {
    const state = ch.type === 'removed' ? ch.before! : ch.after!;
    lines.push(
      '',
      `${paint[ch.type](`${MARK[ch.type]} ${ch.type}`)}  ${terminalSafe(ch.title)}`,
      c.dim(
        `    id ${state.id}${ch.before && ch.after && ch.before.id !== ch.after.id ? ` (was ${ch.before.id})` : ''}`,
      ),
    );
    if (ch.type === 'changed') for (const l of changedLines(ch)) lines.push(`    ${l}`);
    else lines.push(`    ${stateLine(state)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One NDJSON record per difference, then the summary record. */
export function diffRecords(diff: FindingDiff, sides: DiffSides): object[] {
  const records: object[] = diff.changes.map((ch) => ({ schema: DIFF_SCHEMA, ...ch }));
  records.push({
    schema: DIFF_SCHEMA,
    type: 'summary',
    before: { hunted: sides.before, findings: diff.before },
    after: { hunted: sides.after, findings: diff.after },
    added: diff.added,
    removed: diff.removed,
    changed: diff.changed,
    unchanged: diff.unchanged,
  });
  return records;
}
