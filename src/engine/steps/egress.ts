// S3: long-lived or repeated outbound connections to external infrastructure
// (EgressHeuristics). A destination qualifies by a long session (flow duration), by repeated
// connections inside the window (beaconing, reconnects), or, weaker, by a connection never
// seen to close from a process never seen to end. This module attributes host-sensor
// connections to the process that made them and records the flow join's placements.
import type { Config } from '../../config/schema.ts';
import type { DnsEvent, NetworkEvent } from '../../model/event.ts';
import type { Evidence } from '../../model/finding.ts';
import { fileName } from '../../model/paths.ts';
import { changed, touch } from '../chain.ts';
import type { EngineContext } from '../context.ts';
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
import type { Agent, EgressDest, HostState, Proc } from '../state.ts';
import { actingAgent, observe } from './execution.ts';
import { claimFlow } from './flow-attribution.ts';
import { isLoopback, noteLoopback } from './tunnel.ts';

export interface ConnectionFact {
  time: number;
  ip: string;
  port?: number;
  name?: string;
  durationSec?: number;
  bytesOut?: number;
  bytesIn?: number;
  open?: boolean;
  hostLevel: boolean;
  /** A session the agent accepted from outside (a listener), not one it opened. */
  inbound?: boolean;
  evidence: Evidence;
}

/** Connection times kept per destination: enough to count MinConnections inside any window. */
const MAX_TIMES = 64;
/** Destinations kept per agent: a scanner or crawler would otherwise hold one per address. */
const MAX_DESTINATIONS = 64;
/** DNS answers kept per host for naming destinations; cleared when full (names come back). */
export const MAX_DNS_NAMES = 2000;

export function newDest(f: ConnectionFact): EgressDest {
  return {
    ip: f.ip,
    port: f.port,
    name: f.name,
    times: [],
    connections: 0,
    bytesOut: 0,
    bytesIn: 0,
    firstTime: f.time,
    lastTime: f.time,
    hostLevel: f.hostLevel,
    inbound: f.inbound,
    evidence: [],
  };
}

/** Adds a connection to a destination and returns whether it qualified now (first time). */
export function addConnection(d: EgressDest, f: ConnectionFact, cfg: Config, maxEvidence: number): boolean {
  d.connections++;
  d.lastTime = Math.max(d.lastTime, f.time);
  d.name ??= f.name;
  if (!f.hostLevel) d.hostLevel = false;
  d.times.push(f.time);
  if (d.times.length > MAX_TIMES) d.times.shift();
  if (f.durationSec !== undefined) d.maxDurationSec = Math.max(d.maxDurationSec ?? 0, f.durationSec);
  d.bytesOut += f.bytesOut ?? 0;
  d.bytesIn += f.bytesIn ?? 0;
  if (d.evidence.length < maxEvidence) d.evidence.push(f.evidence);
  else d.evidence[maxEvidence - 1] = f.evidence;
  if (d.qualified && !d.qualified.weak) return false;
  // Accepted sessions only ever count weakly: servers accept sessions all day.
  if (d.inbound) {
    if (!d.qualified)
      d.qualified = { time: f.time, why: 'accepted a session from outside (a listener)', weak: true };
    return d.qualified.time === f.time;
  }
  return qualify(d, f, cfg);
}

/** Whether the destination qualifies with this connection, recording why. */
function qualify(d: EgressDest, f: ConnectionFact, cfg: Config): boolean {
  const h = cfg.EgressHeuristics;
  const minDur = h.MinSessionDuration / 1000;
  if (f.durationSec !== undefined && f.durationSec >= minDur) {
    d.qualified = {
      time: f.time,
      why: `session of ${Math.round(f.durationSec)} s (>= ${minDur} s)`,
      weak: false,
    };
    return true;
  }
  // Repeated connections to the same destination inside the window.
  const since = f.time - cfg.TimeWindow;
  let n = 0;
  for (const t of d.times) if (t >= since && t <= f.time) n++;
  if (n >= h.MinConnections) {
    d.qualified = {
      time: f.time,
      why: `${n} connections within ${Math.round(cfg.TimeWindow / 60000)} min (>= ${h.MinConnections})`,
      weak: false,
    };
    return true;
  }
  if (f.open && (!d.qualified || d.qualified.weak)) {
    d.qualified = { time: f.time, why: 'session still open when recorded', weak: false };
    return true;
  }
  // A host sensor connection with no duration: the session is never seen to close.
  if (f.durationSec === undefined && !f.hostLevel && !d.qualified) {
    d.qualified = { time: f.time, why: 'connection never seen to close (duration unknown)', weak: true };
    return true;
  }
  return false;
}

/** Client-heavy: much more sent than received (screen upload), above a minimum sent. */
export function clientHeavy(d: EgressDest, ratio: number, minBytes: number): boolean {
  return d.bytesOut > minBytes && d.bytesOut >= ratio * Math.max(1, d.bytesIn);
}

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
