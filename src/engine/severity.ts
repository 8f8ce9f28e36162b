// Severity: how a chain's score and step count map to a level (the table is the rule packs'
// severity section), the floor that overrides the score, and how levels order. docs/severity.md
// is this told for responders; every finding carries a `severity` reason naming the row it took.
import type { Severity } from '../model/finding.ts';
import type { CompiledRules } from '../rules/compile.ts';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function scoreLevel(score: number, table: CompiledRules['severity']): Severity {
  return table.levels.find(([, floor]) => score >= floor)?.[0] ?? 'info';
}

/** The level of a score; a signal (few steps, or a generic interpreter without proof) is capped. */
export function severityOf(
  score: number,
  steps: number,
  table: CompiledRules['severity'],
  signal = false,
): Severity {
  let s = scoreLevel(score, table);
  if ((signal || steps <= table.signalMaxSteps) && SEVERITY_RANK[s] > SEVERITY_RANK[table.signalCeiling])
    s = table.signalCeiling;
  return s;
}

/** The lowest score of `level` in the table (F1 raises a chain to its floor's). */
export function levelScore(level: Severity, table: CompiledRules['severity']): number {
  return table.levels.find(([s]) => s === level)?.[1] ?? 0;
}

/** The `severity` reason's text: the score, the level, the row of the table it came from. */
export function severityText(
  score: number,
  level: Severity,
  signal: boolean,
  table: CompiledRules['severity'],
): string {
  const rows = table.levels.map(([s, n]) => `${s} >= ${n}`).join(', ');
  const capped = level !== scoreLevel(score, table) ? `; a signal is at most ${table.signalCeiling}` : '';
  return `score ${score} → ${level} (${rows}; below: info)${capped}${signal && !capped ? '; a signal' : ''} (docs/severity.md)`;
}
