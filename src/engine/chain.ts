// Chain bookkeeping: the steps an agent has shown, the finding it gives when it changes
// (streaming) and when its chain closes, and the creation and eviction of agents.
import type { Evidence, Finding, StepId } from '../model/finding.ts';
import { approvalFor } from './approval.ts';
import type { EngineContext } from './context.ts';
import { agentOf, dropAgent, live } from './identity.ts';
import { buildFinding, stepCount } from './score.ts';
import type { Agent, HostState, Proc } from './state.ts';

/**
 * Step times kept per agent and step. The window search needs every time inside one window,
 * and a real chain has a handful per step; a beaconing agent would otherwise grow without end.
 * Past the cap, the first EvidencePerStep times stay and the oldest after them goes.
 */
const MAX_STEP_TIMES = 64;

/** Records one piece of evidence for `step`; `link` says how it was tied to the agent. */
export function addStep(ctx: EngineContext, a: Agent, step: StepId, ev: Evidence, link?: string): void {
  const maxEvidence = ctx.cfg.Limits.EvidencePerStep;
  const log = a.steps[step];
  log.count++;
  log.times.push(ev.time);
  if (log.times.length > MAX_STEP_TIMES) log.times.splice(maxEvidence, 1);
  if (log.evidence.length < maxEvidence) log.evidence.push(ev);
  else log.evidence[maxEvidence - 1] = ev;
  log.link ??= link;
  touch(a, ev.time);
  changed(ctx, a);
}

/** Adds to a step's link how another piece of evidence was tied (once), so the finding names every tie. */
export function noteLink(ctx: EngineContext, a: Agent, step: StepId, how: string): void {
  const log = a.steps[step];
  if (log.link?.includes(how)) return;
  log.link = log.link ? `${log.link}; ${how}` : how;
  changed(ctx, a);
}

/** Widens the agent's active time span to include `t`. */
export function touch(a: Agent, t: number): void {
  if (t > a.lastTime) a.lastTime = t;
  if (t < a.firstTime) a.firstTime = t;
}

/** What a streamed finding is compared by: a change here is a new revision. */
function signature(f: Finding): string {
  return `${f.stepCount}|${f.severity}|${f.score}|${f.steps.map((s) => s.count).join(',')}`;
}

/**
 * Streaming: the agent's evidence changed. Its finding is rebuilt once per event, or per batch
 * of events (`emitChanges`), not at every piece of evidence: an event adds several (a
 * connection, its step, the link that tied it), and a finding costs far more than recording one.
 */
export function changed(ctx: EngineContext, a: Agent): void {
  if (ctx.out.onFinding) ctx.changed.add(a);
}

/** Streaming: sends the finding of every changed agent that is at alert level and differs from the last one sent. */
export function emitChanges(ctx: EngineContext): void {
  if (ctx.changed.size === 0) return;
  const agents = new Set<Agent>();
  for (const a of ctx.changed) agents.add(live(a));
  ctx.changed.clear();
  for (const a of agents) emitIfChanged(ctx, a);
}

function emitIfChanged(ctx: EngineContext, a: Agent): void {
  const onFinding = ctx.out.onFinding;
  if (!onFinding) return;
  const { cfg, catalog, rules } = ctx;
  const n = stepCount(a, cfg);
  if (n < Math.max(rules.severity.alertSteps, cfg.MinSteps)) return;
  const f0 = buildFinding(a, cfg, rules, approvalFor(a, cfg, catalog, rules.installPaths));
  if (f0.status === 'suppressed') return;
  const sig = signature(f0);
  if (sig === a.emitted) return;
  if (!a.findingId) a.findingId = f0.id;
  else a.revision++;
  a.emitted = sig;
  onFinding({ ...f0, id: a.findingId, revision: a.revision });
}

/** Closes an agent's chain: keeps its finding if it reached the reporting threshold. */
export function closeChain(ctx: EngineContext, a: Agent): void {
  ctx.changed.delete(a);
  if (a.mergedInto) return;
  const { cfg, catalog, rules, out } = ctx;
  const n = stepCount(a, cfg);
  if (n >= cfg.MinSteps && n >= 1) {
    const f = buildFinding(a, cfg, rules, approvalFor(a, cfg, catalog, rules.installPaths));
    // Streaming: evidence that came after the last emission (a count that changes no step's
    // verdict is recorded without one) makes the final state a revision of its own.
    if (a.emitted !== undefined && signature(f) !== a.emitted) a.revision++;
    f.revision = a.revision;
    if (out.collect !== false) out.finished.push(f);
    out.onClose?.(f);
    ctx.stats.findings++;
  }
  dropAgent(a.host, a);
}

/** Closes every chain on a host (the host expired or was evicted). */
export function closeHost(ctx: EngineContext, h: HostState): void {
  for (const a of [...h.agents.values()]) closeChain(ctx, a);
}

/** The agent of `p`, created when it has none; a host at its agent limit closes its oldest chain. */
export function newAgentFor(ctx: EngineContext, h: HostState, p: Proc, time: number): Agent {
  const before = h.agents.size;
  const a = agentOf(ctx, h, p, time, (gone) => {
    ctx.stats.agentsEvicted++;
    closeChain(ctx, gone);
  });
  if (h.agents.size > before) ctx.stats.agents++;
  return a;
}
