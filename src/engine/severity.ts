// Severity: how a chain's score and step count map to a level (the table is the rule packs'
// severity section), and how levels order.
import type { Severity } from '../model/finding.ts';
import type { CompiledRules } from '../rules/compile.ts';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function severityOf(score: number, steps: number, table: CompiledRules['severity']): Severity {
  let s: Severity = table.levels.find(([, floor]) => score >= floor)?.[0] ?? 'info';
  if (steps <= table.signalMaxSteps && SEVERITY_RANK[s] > SEVERITY_RANK[table.signalCeiling])
    s = table.signalCeiling;
  return s;
}
