// The process–flow join. Flows (Zeek conn, VMConnection) carry duration, bytes and state but no
// process; host sensors carry the process but no duration. A flow joins the host's own record of
// the same connection (host, ports, destination, within FlowJoinTolerance); one that matches no
// process still counts, at host level and marked as such (kept as a plain record until a step
// needs it: unjoined-flows.ts), and is adopted later by an agent whose process tree runs the
// program the flow sensor named, or tied to one by named evidence (steps/flow-attribution.ts). Flows name an address, not a host: the
// address book says which host held it at the flow's time (HostAliases, DHCP leases, the host's
// own connections).
//
// Host clocks differ from the flow sensor's. An exact match (same source address and port, same
// destination) is one connection whatever the clocks say, so it joins within MaxClockSkew and
// gives a sample of the host's offset (clock-skew.ts). Once a host's offset is known, looser joins
// (no source port) and every flow time placed on that host are moved into the host's clock, so
// the chain's windows compare like with like. A flow from a host whose sensor logs connections
// waits for the host's record as long as the host's clock is ahead (up to MaxClockSkew before the
// offset is known); a host behind has already sent it, and its records are kept that long.
//
// The join decides which agent a flow belongs to and hands that decision back as data (a
// FlowPlacement); the egress step records it. It takes the engine context, never callbacks.
import type { Config } from '../config/schema.ts';
import type { DnsEvent, LeaseEvent, NetworkEvent } from '../model/event.ts';
import type { CompiledRules } from '../rules/compile.ts';
import { type AddressBook, addressBook } from './address-book.ts';
import { type ClockSkew, clockSkew } from './clock-skew.ts';
import { type EngineContext, hostFor } from './context.ts';
import type { ConnectionFact, CountedConnection } from './egress-dest.ts';
import { quoteFlow } from './flow-evidence.ts';
import { live } from './identity.ts';
import type { Agent, HostFlows, HostState, Proc, QuotedFlow } from './state.ts';
import { expireHostless, flowGuid, hostLevelAgent, nameFlowProcess } from './unjoined-flows.ts';

/** A host with more source addresses than this is a router or a NAT: stop learning them. */
const MAX_ADDRESSES_PER_HOST = 32;
/** Host connection records kept for flows to join (the oldest are dropped first). */
const MAX_RECENT = 200_000;
/** Host connections stay joinable at least this many join tolerances (the flow may be stamped late). */
const RECENT_TOLERANCES = 2;
/**
 * Flows waiting at once (queued plus held). Event time that does not advance (a burst stamped with
 * one second, a sensor with a stuck clock) would otherwise keep every flow waiting; past this many
 * the oldest are placed without waiting longer. 32 Ki flows are about 15 MB.
 */
export const MAX_WAITING_FLOWS = 32_768;

/** A host connection record, for flows to join. */
interface HostRecord {
  agent: Agent;
  proc: Proc;
  time: number;
}

/** A flow waiting for its host's record of the same connection. */
interface Held {
  ev: NetworkEvent;
  key: string;
  /** Host key the flow was placed on when it was held. */
  host: string;
  done: boolean;
}

/** The join's own state: address bindings, clock offsets, flows waiting, recent host records. */
export interface FlowState {
  book: AddressBook;
  skew: ClockSkew;
  /** Flows waiting one join tolerance, in time order. */
  pending: NetworkEvent[];
  /** Flows from hosts that log connections, waiting for the host's record (arrival order). */
  held: Held[];
  heldByKey: Map<string, Held>;
  recent: Map<string, HostRecord>;
  /** Unjoined flows of hosts that have no state (unjoined-flows.ts), by host key, oldest first. */
  hostless: Map<string, HostFlows>;
}

/**
 * A decision of the join: this connection fact belongs to this agent (and process, when joined);
 * or no process claimed it and no agent stands for its destination yet (kept unjoined).
 */
export type FlowPlacement =
  | { agent: Agent; fact: ConnectionFact; proc?: Proc }
  | { host: HostState | string; unjoined: UnjoinedFlow };

/** A host-level flow to a destination no agent stands for yet. */
export interface UnjoinedFlow {
  /** `flow:IP:PORT`. */
  key: string;
  fact: CountedConnection;
  quote: QuotedFlow;
}

export function newFlowState(cfg: Config, rules: CompiledRules['egress']): FlowState {
  return {
    book: addressBook(cfg.HostAliases, rules.leaseLeadMs),
    skew: clockSkew(rules),
    pending: [],
    held: [],
    heldByKey: new Map(),
    recent: new Map(),
    hostless: new Map(),
  };
}

function connKey(host: string, sp: number | undefined, ip: string, dp: number | undefined): string {
  return `${host}|${sp ?? ''}|${ip}|${dp ?? ''}`;
}

/** How long a flow from host `key` waits for the host's own record of it. */
function holdFor(ctx: EngineContext, key: string): number {
  const { FlowJoinTolerance: tol, MaxClockSkew: max } = ctx.cfg;
  const offset = ctx.flows.skew.offset(key);
  if (offset === undefined) return Math.max(tol, max);
  return Math.min(Math.max(tol, offset + tol), Math.max(tol, max));
}

/** The host that held `ip` at `time`; else the host the sensor named; else the address itself. */
function hostNameAt(ctx: EngineContext, ip: string, time: number, named: string | undefined): string {
  return ctx.flows.book.ownerAt(ip, time)?.host ?? (named && named !== ip ? named : ip);
}

function hostAt(ctx: EngineContext, ip: string, time: number, named: string | undefined): HostState {
  return hostFor(ctx, hostNameAt(ctx, ip, time, named), 'network');
}

function flowHost(ctx: EngineContext, ev: NetworkEvent): HostState {
  return hostAt(ctx, ev.srcIp, ev.time, ev.host);
}

/**
 * The flow's host if it has a state, else its key: a flow that stays unjoined needs no host
 * state (a network sensor's view of thousands of clients would otherwise hold one per address).
 * When a flow alone reports (MinSteps 1) it becomes an agent, which lives on a host state.
 */
function flowHostIfAny(ctx: EngineContext, ev: NetworkEvent): HostState | string {
  if (flowAloneReports(ctx)) return flowHost(ctx, ev);
  return ctx.hosts.find(hostNameAt(ctx, ev.srcIp, ev.time, ev.host));
}

/** A host used this address as its source: flows from it belong to that host. */
export function learnAddress(ctx: EngineContext, h: HostState, ip: string, time: number): void {
  if (h.addresses.has(ip) || h.addresses.size >= MAX_ADDRESSES_PER_HOST) return;
  h.addresses.add(ip);
  // The host stamps its own time, which may be up to MaxClockSkew off the flows' clock.
  ctx.flows.book.bind(ip, h.displayName, time - ctx.cfg.MaxClockSkew, Number.POSITIVE_INFINITY, 'host');
}

/** A network sensor saw the address leased to a host (DHCP), or released. */
export function recordLease(flows: FlowState, ev: LeaseEvent): void {
  if (ev.leaseSec === 0) flows.book.release(ev.ip, ev.host, ev.time);
  else {
    const until = ev.leaseSec === undefined ? Number.POSITIVE_INFINITY : ev.time + ev.leaseSec * 1000;
    flows.book.bind(ev.ip, ev.host, ev.time, until, 'dhcp');
  }
}

/** A network sensor saw a lookup: the asking host's destinations get their names. */
export function networkDns(ctx: EngineContext, ev: DnsEvent & { clientIp: string }): void {
  const h = hostAt(ctx, ev.clientIp, ev.time, undefined);
  for (const ip of ev.answers) h.dnsNames.set(ip, ev.query.toLowerCase());
}

/**
 * A connection a host sensor saw, kept for flows to join. Returns the placement of a flow that
 * arrived first (the host's clock is ahead) and was waiting for this record.
 */
export function hostConnection(
  ctx: EngineContext,
  h: HostState,
  conn: { srcPort?: number; dstIp: string; dstPort?: number },
  agent: Agent,
  proc: Proc,
  time: number,
): FlowPlacement | undefined {
  const flows = ctx.flows;
  const key = connKey(h.name, conn.srcPort, conn.dstIp, conn.dstPort);
  const record = { agent, proc, time };
  flows.recent.delete(key);
  flows.recent.set(key, record);
  if (flows.recent.size > MAX_RECENT) flows.recent.delete(flows.recent.keys().next().value!);
  const w = conn.srcPort === undefined ? undefined : flows.heldByKey.get(key);
  if (!w || w.done || Math.abs(time - w.ev.time) > ctx.cfg.MaxClockSkew) return undefined;
  w.done = true;
  flows.heldByKey.delete(key);
  flows.skew.sample(h.name, h.displayName, time - w.ev.time);
  return place(ctx, w.ev, record);
}

/**
 * A flow. It waits one join tolerance so the host's own record can arrive first, or, from a host
 * whose sensor logs connections, until that record comes; returns a placement when it can be
 * placed at once (the host's record is already here).
 */
export function queueFlow(ctx: EngineContext, ev: NetworkEvent): FlowPlacement | undefined {
  const flows = ctx.flows;
  // Only hosts whose sensor logs connections can send a record to wait for.
  const owner = ev.srcPort === undefined ? undefined : flows.book.ownerAt(ev.srcIp, ev.time);
  if (owner?.via !== 'host') {
    flows.pending.push(ev);
    return undefined;
  }
  const h = flowHost(ctx, ev);
  const key = connKey(h.name, ev.srcPort, ev.dstIp, ev.dstPort);
  // The host's record came first (clocks in step, or the host behind): join now.
  const record = flows.recent.get(key);
  if (record && Math.abs(record.time - ev.time) <= ctx.cfg.MaxClockSkew) return place(ctx, ev);
  const w: Held = { ev, key, host: h.name, done: false };
  flows.held.push(w);
  flows.heldByKey.set(key, w);
  return undefined;
}

/** Flows waiting (queued or held). */
export function flowsWaiting(flows: FlowState): number {
  return flows.pending.length + flows.held.length;
}

/**
 * Joins or places every queued flow up to `upTo`, then every held flow whose wait is over, one
 * at a time: the caller records each placement before the next flow is looked at. `keep`: at
 * most this many stay waiting in each queue, the oldest leave early (memory bound).
 */
export function* joinFlows(
  ctx: EngineContext,
  upTo: number,
  keep = Number.POSITIVE_INFINITY,
): Generator<FlowPlacement> {
  const { pending, held, heldByKey } = ctx.flows;
  let i = 0;
  try {
    while (i < pending.length && (pending[i].time <= upTo || pending.length - i > keep)) {
      const p = place(ctx, pending[i++]);
      if (p) yield p;
    }
  } finally {
    if (i > 0) pending.splice(0, i);
  }
  // Held flows leave in arrival order once their host's wait is over (or a record took them).
  const now = upTo + ctx.cfg.FlowJoinTolerance;
  let j = 0;
  try {
    while (j < held.length) {
      const w = held[j];
      if (!w.done) {
        const over = upTo === Number.POSITIVE_INFINITY || held.length - j > keep;
        if (!over && w.ev.time + holdFor(ctx, w.host) > now) break;
        w.done = true;
        if (heldByKey.get(w.key) === w) heldByKey.delete(w.key);
        const p = place(ctx, w.ev);
        j++;
        if (p) yield p;
        continue;
      }
      j++;
    }
  } finally {
    if (j > 0) held.splice(0, j);
  }
}

/** The host's record of this flow's connection, if any; samples the host's clock offset. */
function joinFor(ctx: EngineContext, h: HostState, ev: NetworkEvent): HostRecord | undefined {
  const { cfg, flows } = ctx;
  // No host sensor logged a connection lately: nothing to join (network-only inputs).
  if (flows.recent.size === 0) return undefined;
  const tol = cfg.FlowJoinTolerance;
  const offset = flows.skew.correction(h.name);
  const exact =
    ev.srcPort === undefined
      ? undefined
      : flows.recent.get(connKey(h.name, ev.srcPort, ev.dstIp, ev.dstPort));
  if (exact) {
    const diff = exact.time - ev.time;
    // Before the offset is known, the source port alone makes it the same connection.
    const near = flows.skew.settled(h.name)
      ? Math.abs(diff - offset) <= tol
      : Math.abs(diff) <= cfg.MaxClockSkew;
    if (near) {
      flows.skew.sample(h.name, h.displayName, diff);
      return exact;
    }
  }
  // Host sensors without source ports (auditd connect) join on the destination and time.
  const loose = flows.recent.get(connKey(h.name, undefined, ev.dstIp, ev.dstPort));
  return loose && Math.abs(loose.time - (ev.time + offset)) <= tol ? loose : undefined;
}

/** What the flow adds to its destination's counts, in the host's clock. */
function countedFact(
  ev: NetworkEvent,
  name: string | undefined,
  offset: number,
  hostLevel: boolean,
): CountedConnection {
  // Into the host's clock: the chain's other steps are stamped by the host.
  return {
    time: ev.time + offset,
    ip: ev.dstIp,
    port: ev.dstPort,
    name,
    durationSec: ev.durationSec,
    bytesOut: ev.bytesOut,
    bytesIn: ev.bytesIn,
    open: ev.open,
    hostLevel,
  };
}

/**
 * True when a flow alone can make a finding (MinSteps 1): then every unjoined flow is a
 * candidate agent at once, since waiting for a second step would lose its one-step chain.
 */
function flowAloneReports(ctx: EngineContext): boolean {
  return ctx.cfg.MinSteps <= 1;
}

/** Where one flow goes: nowhere (internal, allowlisted), the joined agent, or a host-level agent. */
function place(ctx: EngineContext, ev: NetworkEvent, claimed?: HostRecord): FlowPlacement | undefined {
  const { dest, stats } = ctx;
  const found = flowHostIfAny(ctx, ev);
  let h = typeof found === 'string' ? undefined : found;
  if (!dest.isExternal(ev.dstIp)) {
    stats.internalConnections++;
    return undefined;
  }
  const name = ev.dstName ?? h?.dnsNames.get(ev.dstIp);
  if (dest.allowlisted(ev.dstIp, name)) {
    stats.allowlistedConnections++;
    return undefined;
  }
  const joined = claimed ?? (h && joinFor(ctx, h, ev));
  if (joined) h = joined.agent.host;
  const offset = ctx.flows.skew.correction(h?.name ?? (found as string));
  const counted = countedFact(ev, name, offset, !joined);
  const quote: QuotedFlow = { ev, name, offset };
  if (joined) {
    stats.flowsJoined++;
    const a = live(joined.agent);
    const d = a.egress.get(`${counted.ip}|${counted.port ?? ''}`);
    // The host sensor already counted this connection: add only what the flow knows.
    if (d) {
      d.connections--;
      const i = d.times.lastIndexOf(joined.time);
      d.times.splice(i >= 0 ? i : d.times.length - 1, 1);
    }
    return { agent: a, fact: { ...counted, evidence: quoteFlow(quote) }, proc: joined.proc };
  }
  stats.flowsHostLevel++;
  const key = flowGuid(ev.dstIp, ev.dstPort);
  // No agent stands for this destination yet: keep the flow as a record until a step needs it.
  if (!h || (!h.procsByGuid.has(key) && !h.byPath.has(key) && !flowAloneReports(ctx)))
    return { host: h ?? (found as string), unjoined: { key, fact: counted, quote } };
  const a = hostLevelAgent(ctx, h, counted, ev.time);
  // Flow sensors that name the process (VMConnection) let a later agent adopt the flow.
  if (ev.proc?.image) nameFlowProcess(h, ev.proc.image, a);
  return { agent: a, fact: { ...counted, evidence: quoteFlow(quote) } };
}

/**
 * Forgets host connections too old to be joined, and address bindings and the unjoined flows of
 * hosts without state past every window. A flow may come as late as Lateness behind the newest
 * flow (live modes; a flow sensor that logs a connection when it ends), stamped up to
 * MaxClockSkew off the host: its host's record is kept that long.
 */
export function expireFlows(ctx: EngineContext): void {
  const { cfg, now, flows } = ctx;
  const keep = Math.max(
    RECENT_TOLERANCES * cfg.FlowJoinTolerance,
    cfg.MaxClockSkew + cfg.FlowJoinTolerance + cfg.Lateness,
  );
  for (const [k, v] of flows.recent) {
    if (v.time >= now - keep) break; // insertion order: the rest is newer
    flows.recent.delete(k);
  }
  flows.book.expire(now - cfg.TimeWindow - cfg.Lateness);
  expireHostless(ctx, now - cfg.TimeWindow - cfg.Lateness);
}
