// Turns an agent's evidence into a finding: picks the TimeWindow holding the most steps, then
// scores it. Every point of the score is a Reason with its delta, so severity is explained.
import { createHash } from 'node:crypto';
import { domainMatches } from '../catalog/match.ts';
import type { Config } from '../config/schema.ts';
import type { Platform } from '../model/event.ts';
import {
  type EgressDestination,
  FINDING_SCHEMA,
  type Finding,
  type FindingStep,
  isAccountId,
  type Reason,
  STEP_LABEL,
  STEPS,
  type StepId,
} from '../model/finding.ts';
import { remediationFor } from '../model/remediation.ts';
import type { Approval } from './approval.ts';
import type { EngineRules } from './context.ts';
import { clientHeavy } from './egress-dest.ts';
import { interpreterVerdict } from './generic-agents.ts';
import { levelScore, severityOf, severityText } from './severity.ts';
import type { Agent, EgressDest } from './state.ts';

const ANALYTIC: Record<Platform, Finding['analytic']> = {
  windows: 'AN1366',
  linux: 'AN1367',
  macos: 'AN1368',
  network: 'AN1366',
};

/** Times at which each step is supported, with egress times taken from qualifying destinations. */
function stepTimes(a: Agent, cfg: Config): Record<StepId, number[]> {
  const egress: number[] = [];
  for (const d of a.egress.values()) if (qualifies(d, cfg, a)) egress.push(d.qualified!.time);
  return {
    execution: a.steps.execution.times,
    persistence: a.steps.persistence.times,
    egress,
    control: a.steps.control.times,
  };
}

/**
 * A weak qualification (a connection never seen to close) describes every browser on its own,
 * so it counts only beside persistence or a spawned shell, or for a binary that is suspect by
 * itself (run from a temp path, renamed, or a known remote-access tool).
 */
function weakEgressCounts(a: Agent): boolean {
  return (
    a.steps.persistence.count > 0 ||
    a.steps.control.count > 0 ||
    a.flags.has('temp_path') ||
    a.flags.has('renamed') ||
    a.tool !== undefined
  );
}

function qualifies(d: EgressDest, cfg: Config, a: Agent): boolean {
  if (!d.qualified) return false;
  if (d.qualified.weak && !weakEgressCounts(a)) return false;
  // A listener's accepted session is remote control only beside the shell it serves.
  if (d.inbound && a.steps.control.count === 0) return false;
  if (
    d.qualified.weak &&
    d.proc?.end !== undefined &&
    d.proc.end - d.qualified.time < cfg.EgressHeuristics.OpenConnectionAge
  )
    return false;
  return true;
}

/** The window start that covers the most distinct steps (earliest on ties). */
export function bestWindow(
  times: Record<StepId, number[]>,
  window: number,
): { start: number; steps: Set<StepId> } {
  const all: number[] = [];
  for (const s of STEPS) all.push(...times[s]);
  all.sort((x, y) => x - y);
  let best = { start: all[0] ?? 0, steps: new Set<StepId>() };
  for (const t of all) {
    const steps = new Set<StepId>();
    for (const s of STEPS) if (times[s].some((x) => x >= t && x <= t + window)) steps.add(s);
    if (steps.size > best.steps.size) best = { start: t, steps };
  }
  return best;
}

export function stepCount(a: Agent, cfg: Config): number {
  return bestWindow(stepTimes(a, cfg), cfg.TimeWindow).steps.size;
}

function inWindow(t: number, start: number, window: number): boolean {
  return t >= start && t <= start + window;
}

export function findingId(host: string, agentKey: string, start: number): string {
  return createHash('sha256').update(`${host}\n${agentKey}\n${start}`).digest('hex').slice(0, 24);
}

interface ChainWindow {
  times: Record<StepId, number[]>;
  start: number;
  steps: Set<StepId>;
  /** Qualifying egress destinations inside the window. */
  egress: EgressDest[];
  /** Egress counted only from weak qualifications / only from host-level flows. */
  weakOnly: boolean;
  hostLevelOnly: boolean;
  /** Egress counted only from flows that named evidence tied to the agent. */
  attributedOnly: boolean;
}

function chainWindow(a: Agent, cfg: Config): ChainWindow {
  const times = stepTimes(a, cfg);
  const win = bestWindow(times, cfg.TimeWindow);
  const egress = [...a.egress.values()].filter(
    (d) => qualifies(d, cfg, a) && inWindow(d.qualified!.time, win.start, cfg.TimeWindow),
  );
  const seen = win.steps.has('egress');
  return {
    times,
    start: win.start,
    steps: win.steps,
    egress,
    weakOnly: seen && egress.every((d) => d.qualified!.weak),
    hostLevelOnly: seen && egress.every((d) => d.hostLevel),
    attributedOnly: seen && egress.every((d) => d.hostLevel && d.attributed !== undefined),
  };
}

function orderReasons(
  w: ChainWindow,
  cfg: Config,
  rules: EngineRules,
): { reasons: Reason[]; inOrder: boolean } {
  const n = w.steps.size;
  const stepNames = [...w.steps].map((s) => STEP_LABEL[s].split(' ')[0]).join(', ');
  const reasons: Reason[] = [
    {
      code: 'steps',
      text: `${n} of 4 steps inside one ${Math.round(cfg.TimeWindow / 60000)}-minute window (${stepNames})`,
      delta: rules.score.byStepCount[n],
    },
  ];
  // Canonical order: start, persistence, egress, child.
  const firsts = STEPS.filter((s) => w.steps.has(s)).map((s) =>
    Math.min(...w.times[s].filter((t) => inWindow(t, w.start, cfg.TimeWindow))),
  );
  const inOrder = firsts.every((t, i) => i === 0 || t >= firsts[i - 1]);
  if (n >= rules.severity.alertSteps && inOrder)
    reasons.push({
      code: 'canonical_order',
      text: 'steps happened in the canonical order (start, persistence, egress, child)',
      delta: rules.score.weights.canonical_order,
    });
  return { reasons, inOrder };
}

function egressReasons(a: Agent, w: ChainWindow, cfg: Config, rules: EngineRules): Reason[] {
  const weights = rules.score.weights;
  const reasons: Reason[] = [];
  if (w.weakOnly)
    reasons.push({
      code: 'egress_duration_unknown',
      text: 'egress seen only as connection starts; session length unknown',
      delta: weights.egress_duration_unknown,
    });
  if (w.attributedOnly)
    reasons.push({
      code: 'egress_by_evidence',
      text: `egress seen only by the network sensor, tied to the agent because ${[...new Set(w.egress.map((d) => d.attributed))].join('; ')}`,
      delta: weights.egress_by_evidence,
    });
  else if (w.hostLevelOnly)
    reasons.push({
      code: 'egress_host_level',
      text: 'egress known only from network flows, not tied to the process',
      delta: weights.egress_host_level,
    });
  for (const d of a.egress.values()) {
    if (
      qualifies(d, cfg, a) &&
      clientHeavy(d, cfg.EgressHeuristics.BytesOutInRatio, rules.egress.clientHeavyMinBytes)
    ) {
      reasons.push({
        code: 'client_heavy',
        text: `client-heavy egress to ${d.ip}: ${d.bytesOut} bytes out vs ${d.bytesIn} in (screen upload?)`,
        delta: weights.client_heavy,
      });
      break;
    }
  }
  return reasons;
}

function identityReasons(a: Agent, n: number, rules: EngineRules): Reason[] {
  const weights = rules.score.weights;
  const reasons: Reason[] = [];
  for (const [code, text] of a.flags) reasons.push({ code, text, delta: weights[code] });
  if (!a.tool && n >= 2)
    reasons.push({
      code: 'unknown_tool',
      text: 'not in the remote-access tool catalogue',
      delta: weights.unknown_tool,
    });
  if (a.tool)
    reasons.push({
      code: 'known_tool',
      text: `catalogue names it ${a.tool.tool.name} (by ${a.tool.by.replace(/_/g, ' ')})${a.tool.ambiguous.length ? `; could also be ${a.tool.ambiguous.map((t) => t.name).join(', ')}` : ''}`,
      delta: weights.known_tool,
    });
  return reasons;
}

/** Alert or signal by steps; an approval suppresses, or names the anomalies that keep it alive. */
function statusOf(
  n: number,
  cfg: Config,
  rules: EngineRules,
  approval: Approval | undefined,
  reasons: Reason[],
): Finding['status'] {
  const status: Finding['status'] =
    n >= Math.max(rules.severity.alertSteps, cfg.MinSteps) ? 'alert' : 'signal';
  if (!approval) return status;
  if (approval.anomalies.length === 0) {
    reasons.push({
      code: 'allowlisted',
      text: `approved by ${approval.entry}`,
      delta: rules.score.weights.allowlisted,
    });
    return 'suppressed';
  }
  reasons.push({
    code: 'approved_but_anomalous',
    text: `approved by ${approval.entry}, but behaved anomalously: ${approval.anomalies.join('; ')}`,
    delta: 0,
  });
  return status;
}

function egressStep(a: Agent, w: ChainWindow, cfg: Config): FindingStep {
  const q = w.egress;
  const ev = q
    .flatMap((d) => d.evidence)
    .sort((x, y) => x.time - y.time)
    .slice(0, cfg.Limits.EvidencePerStep);
  const seen = w.steps.has('egress');
  return {
    step: 'egress',
    seen,
    first: seen ? Math.min(...q.map((d) => d.firstTime)) : undefined,
    last: seen ? Math.max(...q.map((d) => d.lastTime)) : undefined,
    count: q.reduce((m, d) => m + d.connections, 0),
    summary: seen
      ? q
          .map(
            (d) =>
              `${d.name ? `${d.name} ` : ''}${d.ip}${d.port ? `:${d.port}` : ''}: ${egressWhy(d, cfg)}${d.hostLevel ? (d.attributed ? ' [flow only, tied by evidence]' : ' [flow only, no process]') : ''}`,
          )
          .join('; ')
      : egressMissing(a),
    link: seen ? egressLink(w) : undefined,
    evidence: ev,
  };
}

/** How the egress step was tied to the agent. */
function egressLink(w: ChainWindow): string {
  if (w.attributedOnly)
    return `flows seen only by the network sensor, tied by evidence: ${[...new Set(w.egress.map((d) => d.attributed))].join('; ')}`;
  if (w.egress.every((d) => d.hostLevel)) return 'network flow joined by host address';
  return 'connections made by the agent process';
}

function findingSteps(a: Agent, w: ChainWindow, cfg: Config): FindingStep[] {
  return STEPS.map((s) => {
    if (s === 'egress') return egressStep(a, w, cfg);
    const log = a.steps[s];
    const inWin = log.evidence.filter((e) => inWindow(e.time, w.start, cfg.TimeWindow));
    const seen = w.steps.has(s);
    return {
      step: s,
      seen,
      first: seen ? inWin[0]?.time : undefined,
      last: seen ? inWin[inWin.length - 1]?.time : undefined,
      count: seen ? log.times.filter((t) => inWindow(t, w.start, cfg.TimeWindow)).length : 0,
      summary: seen
        ? inWin
            .map((e) => e.summary)
            .slice(0, 3)
            .join('; ')
        : missingText(s, log.count > 0),
      link: seen ? log.link : undefined,
      evidence: seen ? inWin.slice(0, cfg.Limits.EvidencePerStep) : [],
    };
  });
}

function egressList(a: Agent): EgressDestination[] {
  return [...a.egress.values()].map((d) => ({
    ip: d.ip,
    port: d.port,
    name: d.name,
    connections: d.connections,
    durationSec: d.maxDurationSec,
    bytesOut: d.bytesOut || undefined,
    bytesIn: d.bytesIn || undefined,
    hostLevel: d.hostLevel || undefined,
  }));
}

function agentInfo(a: Agent, approval: Approval | undefined): Finding['agent'] {
  return {
    key: a.key,
    images: [...a.images],
    names: [...new Set([...a.images].map((i) => i.split(/[\\/]/).pop() ?? i))],
    hashes: [...a.hashes],
    originalFileName: a.meta.originalFileName,
    product: a.meta.product,
    company: a.meta.company,
    signer: a.meta.signer,
    signed: a.meta.signed,
    signingId: a.meta.signingId,
    teamId: a.meta.teamId,
    tool: a.tool
      ? {
          id: a.tool.tool.id,
          name: a.tool.tool.name,
          category: a.tool.tool.category,
          catalog: a.tool.tool.source,
          by: a.tool.by,
          ambiguous: a.tool.ambiguous.length ? a.tool.ambiguous.map((t) => t.name) : undefined,
        }
      : undefined,
    links: [...new Set(a.links)],
    approvedBy: approval?.entry,
    origin: a.origin.length ? a.origin.map((o) => ({ ...o })) : undefined,
  };
}

function confidenceOf(a: Agent, w: ChainWindow, rules: EngineRules): number {
  const c = rules.score.confidence;
  const raw =
    c.base +
    c.per_step * w.steps.size -
    (w.weakOnly ? c.weak_egress_only : 0) -
    (w.hostLevelOnly && !w.attributedOnly ? c.host_level_only : 0) -
    (w.attributedOnly ? c.attributed_only : 0) -
    (a.links.some((l) => l.startsWith('same product')) ? c.product_link : 0);
  return Math.round(Math.max(c.floor, Math.min(1, raw)) * 100) / 100;
}

export function buildFinding(
  a: Agent,
  cfg: Config,
  rules: EngineRules,
  approval: Approval | undefined,
): Finding {
  const w = chainWindow(a, cfg);
  const n = w.steps.size;
  const order = orderReasons(w, cfg, rules);
  const reasons = [...order.reasons, ...egressReasons(a, w, cfg, rules), ...identityReasons(a, n, rules)];
  const status = interpreterGate(a, w, rules, statusOf(n, cfg, rules, approval, reasons), reasons);
  let score = 0;
  for (const r of reasons) score += r.delta;
  score = Math.max(0, Math.min(100, score));
  score = fullChainFloor(a, w, rules, status, score, reasons);
  const table = rules.severity;
  const severity = status === 'suppressed' ? 'info' : severityOf(score, n, table, status === 'signal');
  reasons.push({
    code: 'severity',
    text:
      status === 'suppressed'
        ? 'approved and behaving as approved → info (docs/severity.md)'
        : severityText(score, severity, status === 'signal', table),
    delta: 0,
  });
  const steps = findingSteps(a, w, cfg);
  const name =
    a.tool?.tool.name ?? [...a.images].map((i) => i.split(/[\\/]/).pop()).filter(Boolean)[0] ?? a.key;
  const seenTimes = steps
    .filter((s) => s.seen)
    .flatMap((s) => [s.first!, s.last!])
    .filter((t) => t !== undefined);
  const missing = STEPS.filter((s) => !w.steps.has(s));
  const user = [...a.users][0];
  const seenText = steps
    .filter((s) => s.seen)
    .map((s) => STEP_LABEL[s.step].split(' ').slice(1).join(' '))
    .join(' → ');
  const finding: Finding = {
    schema: FINDING_SCHEMA,
    // Fixed by the agent's identity and first activity, not by the window: hunt and streaming agree.
    id: a.findingId ?? findingId(a.host.name, a.key, a.firstTime),
    revision: a.revision,
    title: `${name} on ${a.host.displayName}: ${n}-step remote-access chain${status === 'suppressed' ? ' (approved, suppressed)' : ''}`,
    strategy: 'DET0496',
    analytic: ANALYTIC[a.host.platform],
    technique: { id: 'T1219', name: 'Remote Access Tools', tactic: 'TA0011' },
    status,
    severity,
    score,
    confidence: confidenceOf(a, w, rules),
    host: a.host.displayName,
    hostId: a.host.name,
    platform: a.host.platform,
    user,
    userId: user !== undefined && isAccountId(user) ? user : undefined,
    agent: agentInfo(a, approval),
    firstSeen: Math.min(...seenTimes),
    lastSeen: Math.max(...seenTimes),
    stepCount: n,
    inOrder: order.inOrder,
    steps,
    missing,
    egress: egressList(a),
    reasons,
    summary: `${name} ${seenText}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
  };
  finding.remediation = remediationFor(finding);
  return finding;
}

/** A generic interpreter's chain alerts only with G1's proof; the reason says which way it went. */
function interpreterGate(
  a: Agent,
  w: ChainWindow,
  rules: EngineRules,
  status: Finding['status'],
  reasons: Reason[],
): Finding['status'] {
  if (status === 'suppressed') return status;
  const v = interpreterVerdict(a, w.egress, rules.roles);
  if (!v) return status;
  reasons.push({
    code: v.proven ? 'generic_interpreter_agent' : 'generic_interpreter_unproven',
    text: v.text,
    delta: 0,
  });
  return v.proven ? status : 'signal';
}

/** F1 raises the score to its level's floor (the rule packs' severity.floors.full_chain), with its reason. */
function fullChainFloor(
  a: Agent,
  w: ChainWindow,
  rules: EngineRules,
  status: Finding['status'],
  score: number,
  reasons: Reason[],
): number {
  const floor = rules.severity.fullChain;
  const min = levelScore(floor.level, rules.severity);
  if (status !== 'alert' || score >= min || w.steps.size < floor.steps || !criticalChain(a, w)) return score;
  reasons.push({
    code: 'critical_chain',
    text: `all four steps, with persistence, an interactive shell and repeated or long egress to a non-vendor destination: ${floor.level} at least (docs/severity.md, F1)`,
    delta: min - score,
  });
  return min;
}

/**
 * F1: four steps, with egress that repeats or lasts (not only a connection never seen to close)
 * to a destination that is not the agent's own vendor's: a remote-access session in use.
 */
function criticalChain(a: Agent, w: ChainWindow): boolean {
  const domains = a.tool?.tool.domains ?? [];
  return w.egress.some(
    (d) => !d.qualified!.weak && !(d.name && domains.some((p) => domainMatches(p, d.name!.toLowerCase()))),
  );
}

/** Why a destination counts, with the longest session when flows gave durations. */
function egressWhy(d: EgressDest, cfg: Config): string {
  const min = cfg.EgressHeuristics.MinSessionDuration / 1000;
  if (d.maxDurationSec === undefined || d.maxDurationSec < min) return d.qualified!.why;
  const n = d.connections > 1 ? `, ${d.connections} sessions` : '';
  return `session of ${Math.round(d.maxDurationSec)} s (>= ${min} s)${n}`;
}

function missingText(s: StepId, outside: boolean): string {
  const what: Record<StepId, string> = {
    execution: 'no start of the agent seen',
    persistence: 'no persistence entry seen',
    egress: 'no long-lived or repeated external connection seen',
    control: 'no shell or interpreter spawned by the agent seen',
  };
  return outside ? `${what[s]} inside the window (seen outside it)` : what[s];
}

function egressMissing(a: Agent): string {
  const n = a.egress.size;
  if (n === 0) return 'no long-lived or repeated external connection seen';
  return `${n} external destination(s) contacted, none long-lived or repeated enough`;
}
