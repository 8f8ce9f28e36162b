// Scores findings against ground truth. A finding belongs to a scenario when it is on the same
// host, overlaps the scenario's time span (give or take one TimeWindow) and shares an agent
// image or an egress destination with it. Alert findings that belong to no scenario are false
// positives on benign background.
import type { Finding, FindingStatus } from '../../model/finding.ts';
import type { ExpectedStatus, TruthLabel } from '../truth.ts';

export type Predicted = FindingStatus | 'none';

export interface LabelOutcome {
  label: TruthLabel;
  predicted: Predicted;
  findings: Finding[];
}

export interface MatchResult {
  outcomes: LabelOutcome[];
  /** Findings that belong to no scenario (benign background). */
  unmatched: Finding[];
}

const RANK: Record<Predicted, number> = { none: 0, suppressed: 1, signal: 2, alert: 3 };

function shortHost(h: string): string {
  const n = h.trim().toLowerCase();
  const dot = n.indexOf('.');
  return dot > 0 && !/^[0-9.]+$/.test(n) ? n.slice(0, dot) : n;
}

function belongs(f: Finding, l: TruthLabel, window: number): boolean {
  if (shortHost(f.host) !== shortHost(l.host)) return false;
  if (f.lastSeen < l.start - window || f.firstSeen > l.end + window) return false;
  const imgs = new Set(l.images.map((i) => i.toLowerCase()));
  if (f.agent.images.some((i) => imgs.has(i.toLowerCase()))) return true;
  return f.egress.some((d) => l.destinations.includes(d.ip));
}

export function matchFindings(findings: Finding[], labels: TruthLabel[], window: number): MatchResult {
  const byHost = new Map<string, TruthLabel[]>();
  for (const l of labels) {
    const k = shortHost(l.host);
    const xs = byHost.get(k) ?? [];
    xs.push(l);
    byHost.set(k, xs);
  }
  const outcomes = new Map<string, LabelOutcome>(
    labels.map((l) => [l.id, { label: l, predicted: 'none' as Predicted, findings: [] }]),
  );
  const unmatched: Finding[] = [];
  for (const f of findings) {
    const l = (byHost.get(shortHost(f.host)) ?? []).find((x) => belongs(f, x, window));
    if (!l) {
      unmatched.push(f);
      continue;
    }
    const o = outcomes.get(l.id)!;
    o.findings.push(f);
    if (RANK[f.status] > RANK[o.predicted]) o.predicted = f.status;
  }
  return { outcomes: [...outcomes.values()], unmatched };
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

function score(tp: number, fp: number, fn: number, tn: number): Score {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, tn, precision, recall, f1 };
}

/** Alert-level scoring: the positive class is "the analytic should alert". */
export function alertScore(outcomes: LabelOutcome[], backgroundAlerts: number): Score {
  let tp = 0;
  let fp = backgroundAlerts;
  let fn = 0;
  let tn = 0;
  for (const o of outcomes) {
    const want = o.label.expect === 'alert';
    const got = o.predicted === 'alert';
    if (want && got) tp++;
    else if (want) fn++;
    else if (got) fp++;
    else tn++;
  }
  return score(tp, fp, fn, tn);
}

export function groupScores(
  outcomes: LabelOutcome[],
  key: (l: TruthLabel) => string,
  background: Map<string, number>,
): Map<string, Score> {
  const groups = new Map<string, LabelOutcome[]>();
  for (const o of outcomes) {
    const k = key(o.label);
    const xs = groups.get(k) ?? [];
    xs.push(o);
    groups.set(k, xs);
  }
  for (const k of background.keys()) if (!groups.has(k)) groups.set(k, []);
  const out = new Map<string, Score>();
  for (const [k, xs] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    out.set(k, alertScore(xs, background.get(k) ?? 0));
  return out;
}

export const EXPECTED_ROWS: Array<ExpectedStatus | 'background'> = [
  'alert',
  'signal',
  'suppressed',
  'none',
  'background',
];
export const PREDICTED_COLS: Predicted[] = ['alert', 'signal', 'suppressed', 'none'];

/** Rows: what the truth says; columns: the strongest finding status for that chain. */
export function confusion(
  outcomes: LabelOutcome[],
  unmatched: Finding[],
): Record<string, Record<Predicted, number>> {
  const t: Record<string, Record<Predicted, number>> = {};
  for (const r of EXPECTED_ROWS) t[r] = { alert: 0, signal: 0, suppressed: 0, none: 0 };
  for (const o of outcomes) t[o.label.expect][o.predicted]++;
  for (const f of unmatched) t.background[f.status]++;
  return t;
}
