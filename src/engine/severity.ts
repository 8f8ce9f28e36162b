// Severity: how a chain's score and step count map to a level, and how levels order.
import type { Severity } from '../model/finding.ts';

/** Three of the four steps inside one window is an alert (SPEC §1); fewer is a signal. */
export const ALERT_STEPS = 3;

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The lowest score of each level, most severe first. */
const SCORE_FLOOR: Array<[Severity, number]> = [
  ['critical', 85],
  ['high', 65],
  ['medium', 45],
  ['low', 25],
];
/** Two steps are a signal: never more than this level, whatever the score. */
const SIGNAL_STEPS = 2;
const SIGNAL_CEILING: Severity = 'low';

export function severityOf(score: number, steps: number): Severity {
  let s: Severity = SCORE_FLOOR.find(([, floor]) => score >= floor)?.[0] ?? 'info';
  if (steps <= SIGNAL_STEPS && SEVERITY_RANK[s] > SEVERITY_RANK[SIGNAL_CEILING]) s = SIGNAL_CEILING;
  return s;
}
