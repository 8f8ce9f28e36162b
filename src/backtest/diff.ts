// What changed between two hunts of the same events under two configs (or rule sets): findings
// added, removed, and changed in status, severity, score, steps or reasons. The same chain keeps
// its finding id across configs (agent identity and first activity); when a change moves the
// chain's first activity, it is matched by its host and agent instead.
import {
  type Finding,
  type FindingStatus,
  failsAt,
  SEVERITIES,
  type Severity,
  STEPS,
  type StepId,
} from '../model/finding.ts';

/** What a finding says, as far as a config can change it. */
export interface FindingState {
  id: string;
  status: FindingStatus;
  severity: Severity;
  score: number;
  steps: StepId[];
  reasons: Array<{ code: string; delta: number }>;
}

/** How one reason differs: added, removed, or its delta changed. */
export interface ReasonChange {
  code: string;
  before?: number;
  after?: number;
}

export interface FindingChange {
  type: 'added' | 'removed' | 'changed';
  host: string;
  title: string;
  /** The agent's images, as the newer finding (or the removed one) names them. */
  images: string[];
  before?: FindingState;
  after?: FindingState;
  /** Only for changed: the steps gained and lost, and the reasons that differ. */
  steps?: { gained: StepId[]; lost: StepId[] };
  reasons?: ReasonChange[];
}

export interface FindingDiff {
  before: number;
  after: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Most severe first (by the higher of the two severities), then by host. */
  changes: FindingChange[];
}

function stateOf(f: Finding): FindingState {
  return {
    id: f.id,
    status: f.status,
    severity: f.severity,
    score: f.score,
    steps: f.steps.filter((s) => s.seen).map((s) => s.step),
    reasons: f.reasons.map((r) => ({ code: r.code, delta: r.delta })),
  };
}

/** Reasons by code: the sum of the deltas of every reason with that code. */
function reasonDeltas(s: FindingState): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of s.reasons) m.set(r.code, (m.get(r.code) ?? 0) + r.delta);
  return m;
}

function reasonChanges(a: FindingState, b: FindingState): ReasonChange[] {
  const before = reasonDeltas(a);
  const after = reasonDeltas(b);
  const out: ReasonChange[] = [];
  for (const [code, d] of before)
    if (!after.has(code)) out.push({ code, before: d });
    else if (after.get(code) !== d) out.push({ code, before: d, after: after.get(code) });
  for (const [code, d] of after) if (!before.has(code)) out.push({ code, after: d });
  return out;
}

function compare(old: Finding, now: Finding): FindingChange | undefined {
  const a = stateOf(old);
  const b = stateOf(now);
  const gained = STEPS.filter((s) => b.steps.includes(s) && !a.steps.includes(s));
  const lost = STEPS.filter((s) => a.steps.includes(s) && !b.steps.includes(s));
  const reasons = reasonChanges(a, b);
  const same =
    a.status === b.status &&
    a.severity === b.severity &&
    a.score === b.score &&
    gained.length + lost.length + reasons.length === 0;
  if (same) return undefined;
  return {
    type: 'changed',
    host: now.host,
    title: now.title,
    images: now.agent.images,
    before: a,
    after: b,
    steps: { gained, lost },
    reasons,
  };
}

const chainKey = (f: Finding) => `${f.hostId ?? f.host.toLowerCase()}\n${f.agent.key}`;

/** Pairs each old finding with its new one: by id, then by host and agent, earliest first. */
function pair(before: Finding[], after: Finding[]): Array<[Finding | undefined, Finding | undefined]> {
  const byId = new Map(after.map((f) => [f.id, f]));
  const pairs: Array<[Finding | undefined, Finding | undefined]> = [];
  const left: Finding[] = [];
  for (const f of before) {
    const g = byId.get(f.id);
    if (g) {
      pairs.push([f, g]);
      byId.delete(f.id);
    } else left.push(f);
  }
  const byChain = new Map<string, Finding[]>();
  for (const g of [...byId.values()].sort((x, y) => x.firstSeen - y.firstSeen)) {
    const list = byChain.get(chainKey(g)) ?? [];
    list.push(g);
    byChain.set(chainKey(g), list);
  }
  for (const f of left.sort((x, y) => x.firstSeen - y.firstSeen))
    pairs.push([f, byChain.get(chainKey(f))?.shift()]);
  for (const list of byChain.values()) for (const g of list) pairs.push([undefined, g]);
  return pairs;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

function severityOfChange(c: FindingChange): number {
  return Math.max(rank(c.before?.severity ?? 'info'), rank(c.after?.severity ?? 'info'));
}

export function diffFindings(before: Finding[], after: Finding[]): FindingDiff {
  const changes: FindingChange[] = [];
  let unchanged = 0;
  for (const [old, now] of pair(before, after)) {
    if (old && now) {
      const c = compare(old, now);
      if (c) changes.push(c);
      else unchanged++;
    } else if (now)
      changes.push({
        type: 'added',
        host: now.host,
        title: now.title,
        images: now.agent.images,
        after: stateOf(now),
      });
    else if (old)
      changes.push({
        type: 'removed',
        host: old.host,
        title: old.title,
        images: old.agent.images,
        before: stateOf(old),
      });
  }
  changes.sort((x, y) => severityOfChange(y) - severityOfChange(x) || x.host.localeCompare(y.host));
  const count = (t: FindingChange['type']) => changes.filter((c) => c.type === t).length;
  return {
    before: before.length,
    after: after.length,
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    unchanged,
    changes,
  };
}

const fails = (s: FindingState | undefined, failOn: Severity) => s !== undefined && failsAt(s, failOn);

/**
 * The changes that make or unmake a failing finding: one at or above `failOn` that appears
 * (added, or raised to it) or disappears (removed, suppressed, or lowered below it).
 */
export function crossings(diff: FindingDiff, failOn: Severity): FindingChange[] {
  return diff.changes.filter((c) => fails(c.before, failOn) !== fails(c.after, failOn));
}
