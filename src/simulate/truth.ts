// Ground truth: for every injected scenario, what the DET0496 analytic should conclude from the
// telemetry written (not what any engine happens to output). Written as NDJSON next to the
// generated logs, one label per line.
import type { SimPlatform } from './model.ts';

export type Step = 'execution' | 'persistence' | 'egress' | 'control';
export type ExpectedStatus = 'alert' | 'signal' | 'suppressed' | 'none';
export type ExpectedSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export type ScenarioKind =
  | 'rmm-full'
  | 'rmm-portable'
  | 'rmm-renamed'
  | 'rmm-session-only'
  | 'tunnel'
  | 'custom-rat'
  | 'custom-rat-portable'
  | 'spread-beyond-window'
  | 'approved-helpdesk'
  | 'approved-misuse';

export interface TruthLabel {
  id: string;
  kind: ScenarioKind;
  tool: string;
  host: string;
  platform: SimPlatform;
  /** Every image path the agent ran from (portable and installed copies). */
  images: string[];
  /** External destinations of its egress. */
  destinations: string[];
  /** The steps that fall inside one TimeWindow. */
  steps: Step[];
  expect: ExpectedStatus;
  severity: ExpectedSeverity;
  /** Modifiers the telemetry supports (temp_path, renamed, suspicious_child, unknown_tool, ...). */
  modifiers: string[];
  start: number;
  end: number;
  why: string;
}

const LEVELS: ExpectedSeverity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * Expected severity: three steps are a medium finding, four a high one; every modifier that
 * makes it more suspicious raises it a level. Two steps are at most low; suppressed is info.
 */
export function expectedSeverity(
  steps: number,
  modifiers: string[],
  status: ExpectedStatus,
): ExpectedSeverity {
  if (status === 'suppressed' || status === 'none') return 'info';
  if (steps <= 2) return 'low';
  const base = steps >= 4 ? 3 : 2;
  const bump = modifiers.filter((m) => m !== 'known_tool').length;
  return LEVELS[Math.min(4, base + bump)];
}

/** What the analytic concludes from the steps in one window and the approval state. */
export function expectedStatus(steps: number, approvedAndClean: boolean): ExpectedStatus {
  if (steps >= 3) return approvedAndClean ? 'suppressed' : 'alert';
  if (steps === 2) return approvedAndClean ? 'suppressed' : 'signal';
  return 'none';
}
