// Egress on hosts without process network events (process creation only, auditd without connect
// rules, eslogger without sockets): their flows exist only in the network sensor's log, at host
// level.
// Such a flow is tied to an agent only with named evidence, and the finding says which:
//   - its destination (address or the name it resolved to) is in the agent's command line, file
//     name or the command its persistence entry registers;
//   - the agent's resolved that name itself (its own DNS query);
//   - the catalogue names the destination's domain, or a port of its own, for the agent's tool;
//   - the flow began within seconds of one of the agent's processes starting, and no other
//     program started in between.
// Tied flows count for S3 with lower confidence (reason egress_by_evidence), never silently.
import { domainMatches } from '../../catalog/match.ts';
import { fileName } from '../../model/paths.ts';
import type { EngineContext } from '../context.ts';
import { live, merge } from '../identity.ts';
import type { Agent, EgressDest, HostState, Proc, UnjoinedFlows } from '../state.ts';
import { flowAgent } from '../unjoined-flows.ts';

/** The host-level agent standing for flows to one destination that no process claimed. */
export function isFlowAgent(a: Agent): boolean {
  return a.key.startsWith('image:flow:');
}

/** An agent with an identity of its own: a start, an entry or a shell seen, or a catalogue name. */
function eligible(a: Agent): boolean {
  if (isFlowAgent(a) || a.mergedInto) return false;
  const s = a.steps;
  return s.execution.count + s.persistence.count + s.control.count > 0 || a.tool !== undefined;
}

/** `needle` in `text` as a whole token (203.0.113.8 is not in 203.0.113.88). */
function mentions(text: string, needle: string): boolean {
  let i = text.indexOf(needle);
  while (i >= 0) {
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + needle.length);
    const edge = (c: number) => Number.isNaN(c) || !/[0-9a-z.-]/.test(String.fromCharCode(c));
    if (edge(before) && edge(after)) return true;
    i = text.indexOf(needle, i + 1);
  }
  return false;
}

function inCommandLine(a: Agent, d: EgressDest): string | undefined {
  const names = [d.ip.toLowerCase(), ...(d.name ? [d.name.toLowerCase()] : [])];
  const images = [...a.images].map((i) => fileName(i));
  for (const n of names) {
    if (a.commandLines.some((c) => mentions(c, n))) return `destination ${n} is in the agent's command line`;
    if (images.some((i) => mentions(i, n))) return `destination ${n} is in the agent's file name`;
  }
  return undefined;
}

function resolvedByAgent(h: HostState, a: Agent, d: EgressDest): string | undefined {
  const p = h.resolvedBy.get(d.ip);
  if (!p?.agent || live(p.agent) !== a) return undefined;
  return `the agent resolved ${d.name ?? d.ip} itself (${fileName(p.image)}'s DNS query)`;
}

/** The rule packs' egress thresholds this module reads. */
type FlowRules = EngineContext['rules']['egress'];

function inCatalogue(a: Agent, d: EgressDest, rules: FlowRules): string | undefined {
  const tool = a.tool?.tool;
  if (!tool) return undefined;
  const name = d.name?.toLowerCase();
  const domain = name ? tool.domains.find((p) => domainMatches(p, name)) : undefined;
  if (domain) return `the catalogue names ${domain} as ${tool.name}'s`;
  if (d.port !== undefined && !rules.sharedPorts.has(d.port) && tool.ports.includes(d.port))
    return `the catalogue names port ${d.port} as ${tool.name}'s`;
  return undefined;
}

function rightAfterStart(h: HostState, a: Agent, d: EgressDest, rules: FlowRules): string | undefined {
  const first = d.firstTime;
  const start = a.starts.find((s) => first >= s && first - s <= rules.flowAfterStartMs);
  if (start === undefined) return undefined;
  const others = h.recentStarts.some(
    (p) => p.start !== undefined && p.start > start && p.start <= first && !(p.agent && live(p.agent) === a),
  );
  if (others) return undefined;
  return `the flow began ${((first - start) / 1000).toFixed(1)} s after the agent started, and no other program started meanwhile`;
}

/** The named evidence tying flows to `d` to agent `a`, or undefined. */
export function flowEvidence(rules: FlowRules, h: HostState, a: Agent, d: EgressDest): string | undefined {
  return (
    inCommandLine(a, d) ??
    resolvedByAgent(h, a, d) ??
    inCatalogue(a, d, rules) ??
    rightAfterStart(h, a, d, rules)
  );
}

/** Gives `flows` (a host-level flow agent) to `a`, tied by `why` about destination `d`. */
function tie(a: Agent, flows: Agent, d: EgressDest, why: string): void {
  for (const x of flows.egress.values()) x.attributed ??= why;
  merge(
    a,
    flows,
    `flows to ${d.name ?? d.ip}:${d.port ?? '?'} seen only by the network sensor: ${why}`,
    true,
  );
}

/** Gives `flows` (a host-level flow agent) to `a` when evidence ties them; returns true if it did. */
function claim(rules: FlowRules, a: Agent, flows: Agent): boolean {
  for (const d of flows.egress.values()) {
    const why = flowEvidence(rules, a.host, a, d);
    if (!why) continue;
    tie(a, flows, d, why);
    return true;
  }
  return false;
}

/** Gives the flows of record `r` to `a` when evidence ties them (the record becomes their agent). */
function claimRecord(ctx: EngineContext, a: Agent, r: UnjoinedFlows): boolean {
  const why = flowEvidence(ctx.rules.egress, a.host, a, r.dest);
  if (!why) return false;
  const flows = flowAgent(ctx, a.host, r);
  if (flows && live(flows) !== a) tie(a, flows, r.dest, why);
  return true;
}

/** An agent learned something (a start, a command line, an entry): it takes the flows that evidence ties to it. */
export function claimFlowsFor(ctx: EngineContext, h: HostState, a: Agent): void {
  const agent = live(a);
  if (!eligible(agent) || ctx.stats.flowsHostLevel === 0) return;
  for (const f of [...h.agents.values()])
    if (isFlowAgent(f) && f !== agent) claim(ctx.rules.egress, agent, f);
  if (h.unjoined.size) for (const r of [...h.unjoined.values()]) claimRecord(ctx, live(agent), r);
}

/** A host-level flow was placed: the agent that evidence ties it to takes it. */
export function claimFlow(ctx: EngineContext, h: HostState, flows: Agent): void {
  if (!isFlowAgent(flows) || flows.mergedInto) return;
  for (const a of [...h.agents.values()]) if (eligible(a) && claim(ctx.rules.egress, a, flows)) return;
}

/** A flow was added to an unjoined record: the agent that evidence ties it to takes it. */
export function claimUnjoined(ctx: EngineContext, h: HostState, r: UnjoinedFlows): void {
  if (h.agents.size === 0) return;
  for (const a of [...h.agents.values()]) if (eligible(a) && claimRecord(ctx, a, r)) return;
}

/** An agent takes over host-level flows whose sensor named a process of its tree. */
export function adoptFlows(ctx: EngineContext, h: HostState, a: Agent, p: Proc): void {
  if (h.flowsByProcess.size === 0) return;
  const name = fileName(p.image);
  const named = h.flowsByProcess.get(name);
  if (!named) return;
  h.flowsByProcess.delete(name);
  const flows = 'dest' in named ? flowAgent(ctx, h, named) : named;
  if (!flows) return;
  const f = live(flows);
  if (f === live(a) || !h.agents.has(f.key)) return;
  for (const d of f.egress.values()) d.hostLevel = false;
  merge(a, f, `network flows name process ${name}, which runs in the agent's process tree`, true);
}
