// Host-level flows: what a network sensor saw that no process on the host claimed. Most of them
// never meet anything else on their host (a network-only view of thousands of clients), so each
// destination's flows stay a plain record on the host: the counts its destination would keep
// (times, bytes, longest session, whether it qualifies) and the flows its evidence would quote,
// unformatted. A record becomes the host-level agent it stands for (a process `flow to IP:PORT`
// and its agent) only when a step needs one: evidence ties the flows to an agent, or an agent
// runs the process the flow sensor named (steps/flow-attribution.ts). Records expire with the
// host's agents and are capped like them. A host that has no state yet (only a network sensor
// has named it) keeps its records in the flow join's state, not in a host state of its own; the
// host state takes them over when the host's own sensor speaks.
import { fileName } from '../model/paths.ts';
import { newAgentFor, touch } from './chain.ts';
import type { EngineContext } from './context.ts';
import { countConnection, keepQuoted, MAX_DESTINATIONS, newDest } from './egress-dest.ts';
import { quoteFlow } from './flow-evidence.ts';
import type { UnjoinedFlow } from './flow-join.ts';
import { live } from './identity.ts';
import { LazyMap } from './lazy-map.ts';
import { addProc, newProc } from './lineage.ts';
import type { Agent, EgressDest, HostState, Proc, UnjoinedFlows } from './state.ts';

/** What holds a host's unjoined flows: its state, or the join's record of a host without one. */
type FlowHolder = Pick<HostState, 'unjoined' | 'flowsByProcess'>;

/** Host-level flows kept per host for adoption by the process the flow sensor named. */
const MAX_FLOWS_BY_PROCESS = 256;
/** The evidence list of a record's destination until its agent is made: none, and never written. */
const NO_EVIDENCE: EgressDest['evidence'] = Object.freeze([]) as never;

/** The process guid of the host-level agent standing for flows to one destination. */
export function flowGuid(ip: string, port: number | undefined): string {
  return `flow:${ip}:${port ?? ''}`;
}

/** The agent standing for flows to one destination that no process on the host claimed. */
export function hostLevelAgent(
  ctx: EngineContext,
  h: HostState,
  to: { ip: string; port?: number },
  time: number,
): Agent {
  const guid = flowGuid(to.ip, to.port);
  let proc: Proc | undefined = h.procsByGuid.get(guid);
  if (!proc) {
    proc = newProc(h.nextProcId++, `flow to ${to.ip}:${to.port ?? '?'}`, guid, time);
    proc.guid = guid;
    addProc(h, proc);
  }
  return proc.agent ? live(proc.agent) : newAgentFor(ctx, h, proc, time);
}

/** Remembers which host-level flows the flow sensor said `image` made, for a later agent to adopt. */
export function nameFlowProcess(h: FlowHolder, image: string, flows: Agent | UnjoinedFlows): void {
  h.flowsByProcess.set(fileName(image), flows);
  if (h.flowsByProcess.size > MAX_FLOWS_BY_PROCESS)
    h.flowsByProcess.delete(h.flowsByProcess.keys().next().value!);
}

/** The record that stood idle longest goes (an agent limit closes the oldest chain the same way). */
function dropOldest(h: FlowHolder): void {
  let oldest: UnjoinedFlows | undefined;
  for (const r of h.unjoined.values()) if (!oldest || r.lastTime < oldest.lastTime) oldest = r;
  if (oldest) h.unjoined.delete(oldest.key);
}

/** Adds a flow to its destination's record on host `h` (created on its first flow). */
export function keepUnjoined(ctx: EngineContext, h: FlowHolder, u: UnjoinedFlow): UnjoinedFlows {
  const { cfg } = ctx;
  const { fact, quote } = u;
  let r = h.unjoined.get(u.key);
  if (!r) {
    if (h.unjoined.size >= cfg.Limits.AgentsPerHost) dropOldest(h);
    const t = quote.ev.time;
    const dest = newDest(fact);
    dest.evidence = NO_EVIDENCE;
    r = { key: u.key, dest, quoted: [], offset: quote.offset, created: t, firstTime: t, lastTime: t };
    h.unjoined.set(u.key, r);
  }
  if (fact.time > r.lastTime) r.lastTime = fact.time;
  if (fact.time < r.firstTime) r.firstTime = fact.time;
  const plain = quote.offset === r.offset && quote.name === quote.ev.dstName;
  keepQuoted(r.quoted, plain ? quote.ev : quote, cfg.Limits.EvidencePerStep);
  countConnection(r.dest, fact, cfg);
  if (quote.ev.proc?.image) nameFlowProcess(h, quote.ev.proc.image, r);
  return r;
}

/**
 * The host-level agent a record stands for, made now if it was not yet (undefined when the
 * record expired): the agent it would have been had it been made at the first flow.
 */
export function flowAgent(ctx: EngineContext, h: HostState, r: UnjoinedFlows): Agent | undefined {
  if (r.agent) return live(r.agent);
  if (h.unjoined.get(r.key) !== r) return undefined;
  h.unjoined.delete(r.key);
  const d = r.dest;
  const a = hostLevelAgent(ctx, h, d, r.created);
  touch(a, r.firstTime);
  touch(a, r.lastTime);
  d.evidence = r.quoted.map((q) => quoteFlow('kind' in q ? { ev: q, name: q.dstName, offset: r.offset } : q));
  r.quoted = [];
  const k = `${d.ip}|${d.port ?? ''}`;
  if (!a.egress.has(k) && a.egress.size < MAX_DESTINATIONS) a.egress.set(k, d);
  r.agent = a;
  return a;
}

/**
 * Forgets records whose last flow is before `horizon` (their agent's chain would have closed);
 * returns the earliest last flow of those left (Infinity when none is).
 */
export function expireUnjoined(h: FlowHolder, horizon: number): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const r of h.unjoined.values()) {
    if (r.lastTime < horizon) h.unjoined.delete(r.key);
    else if (r.lastTime < oldest) oldest = r.lastTime;
  }
  return oldest;
}

/** Keeps a flow of a host that has no state, under the host's key. */
export function keepHostless(ctx: EngineContext, key: string, u: UnjoinedFlow): void {
  const all = ctx.flows.hostless;
  let f = all.get(key);
  if (!f) {
    // The host table's own limit: past it the oldest go first.
    if (all.size >= ctx.cfg.Limits.Hosts) all.delete(all.keys().next().value!);
    f = {
      key,
      unjoined: new Map(),
      flowsByProcess: new LazyMap(),
      lastTime: u.fact.time,
      oldest: u.fact.time,
    };
    all.set(key, f);
  }
  const r = keepUnjoined(ctx, f, u);
  if (r.lastTime < f.oldest) f.oldest = r.lastTime;
  if (u.fact.time > f.lastTime) f.lastTime = u.fact.time;
}

/** A host state was made: it takes over the flows kept under its key, those still in the window. */
export function adoptHostless(ctx: EngineContext, h: HostState): void {
  const f = ctx.flows.hostless.get(h.name);
  if (!f) return;
  ctx.flows.hostless.delete(h.name);
  h.unjoined = f.unjoined;
  h.flowsByProcess = f.flowsByProcess;
  expireUnjoined(h, ctx.now - ctx.cfg.TimeWindow - ctx.cfg.Lateness);
}

/** Forgets the flows of hosts without state whose latest flow is before `horizon`. */
export function expireHostless(ctx: EngineContext, horizon: number): void {
  // A network-only view holds one entry per client address: most have nothing to expire.
  for (const f of ctx.flows.hostless.values()) {
    if (f.lastTime < horizon) ctx.flows.hostless.delete(f.key);
    else if (f.oldest < horizon) f.oldest = expireUnjoined(f, horizon);
  }
}
