// S3: long-lived or repeated outbound connections to external infrastructure. This module
// attributes host-sensor connections to the process that made them and records the flow join's
// placements: on an agent, or, for flows no process claimed, as records until a step needs them
// (unjoined-flows.ts). What a destination counts and when it qualifies: egress-dest.ts.
import type { DnsEvent, NetworkEvent } from '../../model/event.ts';
import { fileName } from '../../model/paths.ts';
import { changed, touch } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { addConnection, type ConnectionFact, MAX_DESTINATIONS, newDest } from '../egress-dest.ts';
import { endpointFact, evidence, processFact } from '../evidence.ts';
import {
  type FlowPlacement,
  flowsWaiting,
  hostConnection,
  joinFlows,
  learnAddress,
  MAX_WAITING_FLOWS,
  queueFlow,
} from '../flow-join.ts';
import { procFor } from '../lineage.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { keepHostless, keepUnjoined } from '../unjoined-flows.ts';
import { actingAgent, observe } from './execution.ts';
import { claimFlow, claimUnjoined } from './flow-attribution.ts';
import { isLoopback, noteLoopback } from './tunnel.ts';

/** DNS answers kept per host for naming destinations; cleared when full (names come back). */
export const MAX_DNS_NAMES = 2000;

/** Adds a connection to the agent's destination (creating it, up to the cap). */
export function connect(ctx: EngineContext, a: Agent, fact: ConnectionFact, p?: Proc): void {
  const k = `${fact.ip}|${fact.port ?? ''}`;
  let d = a.egress.get(k);
  if (!d) {
    if (a.egress.size >= MAX_DESTINATIONS) return;
    d = newDest(fact);
    a.egress.set(k, d);
  }
  if (p) d.proc = p;
  touch(a, fact.time);
  if (addConnection(d, fact, ctx.cfg, ctx.cfg.Limits.EvidencePerStep)) changed(ctx, a);
}

function record(ctx: EngineContext, placed: FlowPlacement | undefined): void {
  if (!placed) return;
  if ('unjoined' in placed) {
    const h = placed.host;
    if (typeof h === 'string') keepHostless(ctx, h, placed.unjoined);
    else claimUnjoined(ctx, h, keepUnjoined(ctx, h, placed.unjoined));
    return;
  }
  connect(ctx, placed.agent, placed.fact, placed.proc);
  if (placed.fact.hostLevel && !placed.proc) claimFlow(ctx, placed.agent.host, placed.agent);
}

/** A flow from a network sensor: the join places it now or later. */
export function onFlow(ctx: EngineContext, ev: NetworkEvent): void {
  record(ctx, queueFlow(ctx, ev));
  if (flowsWaiting(ctx.flows) > MAX_WAITING_FLOWS)
    for (const placed of joinFlows(ctx, ctx.now - ctx.cfg.FlowJoinTolerance, MAX_WAITING_FLOWS / 2))
      record(ctx, placed);
}

/** Records every flow the join has placed up to `upTo`. */
export function resolveFlows(ctx: EngineContext, upTo: number): void {
  for (const placed of joinFlows(ctx, upTo)) record(ctx, placed);
}

/** DNS answers name the addresses a host talks to, and which process asked for them. */
export function rememberAnswers(h: HostState, ev: DnsEvent): void {
  const asker = ev.proc ? procFor(h, ev.proc, ev.time) : undefined;
  for (const ip of ev.answers) {
    h.dnsNames.set(ip, ev.query.toLowerCase());
    if (asker) h.resolvedBy.set(ip, asker);
  }
}

/**
 * The external side of a connection. Inbound: a listener that accepted a session from outside
 * (a bind shell); the peer is the external side, whichever field the sensor put it in.
 */
function peerOf(ctx: EngineContext, ev: NetworkEvent) {
  const inbound = ev.direction === 'inbound';
  const swapped = inbound && !ctx.dest.isExternal(ev.dstIp) && ctx.dest.isExternal(ev.srcIp);
  return {
    inbound,
    ip: swapped ? ev.srcIp : ev.dstIp,
    port: swapped ? ev.srcPort : ev.dstPort,
    localIp: swapped ? ev.dstIp : ev.srcIp,
    localPort: swapped ? ev.dstPort : ev.srcPort,
  };
}

/** A connection a host sensor saw, with the process that made it. */
export function onNetwork(ctx: EngineContext, h: HostState, ev: NetworkEvent): void {
  const { dest, stats } = ctx;
  if (
    ev.srcIp &&
    !dest.isExternal(ev.srcIp) &&
    !ctx.rules.egress.localSource.test(ev.srcIp) &&
    ev.direction !== 'inbound'
  ) {
    learnAddress(ctx, h, ev.srcIp, ev.time);
  }
  const peer = peerOf(ctx, ev);
  if (!dest.isExternal(peer.ip)) {
    if (isLoopback(ev.dstIp)) noteLoopback(ctx, h, procFor(h, ev.proc, ev.time), ev);
    stats.internalConnections++;
    return;
  }
  const name = ev.dstName ?? h.dnsNames.get(peer.ip);
  if (dest.allowlisted(peer.ip, name)) {
    stats.allowlistedConnections++;
    return;
  }
  const p = procFor(h, ev.proc, ev.time);
  if (!p) return;
  if (!peer.inbound) p.external = true;
  observe(ctx, h, p, ev.time, ev.src);
  const a = actingAgent(ctx, h, p, ev.time);
  const where = `${name ? `${name} ` : ''}${peer.ip}:${peer.port ?? '?'}${ev.protocol ? `/${ev.protocol}` : ''}`;
  const summary = peer.inbound
    ? `${fileName(p.image)} accepted a session from ${where}`
    : `${fileName(p.image)} connected to ${where}`;
  const endpoint = endpointFact({
    ip: peer.ip,
    port: peer.port,
    name,
    protocol: ev.protocol,
    direction: ev.direction,
    srcIp: peer.localIp,
    srcPort: peer.localPort,
  });
  const fact: ConnectionFact = {
    time: ev.time,
    ip: peer.ip,
    port: peer.port,
    name,
    hostLevel: false,
    inbound: peer.inbound,
    durationSec: ev.durationSec,
    bytesOut: ev.bytesOut,
    bytesIn: ev.bytesIn,
    open: ev.open,
    evidence: evidence(ev.time, summary, ev.src, { process: processFact(p), endpoint }),
  };
  connect(ctx, a, fact, p);
  record(ctx, hostConnection(ctx, h, ev, a, p, ev.time));
}
