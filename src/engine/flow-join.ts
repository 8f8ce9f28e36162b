// The process–flow join. Flows (Zeek conn, VMConnection) carry duration, bytes and state but no
// process; host sensors carry the process but no duration. A flow joins the host's own record of
// the same connection (host, ports, destination, within FlowJoinTolerance); one that matches no
// process still counts, at host level and marked as such, and is adopted later by an agent whose
// process tree runs the program the flow sensor named. Flows name an address, not a host: the
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
import type { Config } from '../config/schema.ts';
import type { DnsEvent, LeaseEvent, NetworkEvent } from '../model/event.ts';
import type { EvidenceProcess } from '../model/finding.ts';
import { addressBook } from './address-book.ts';
import { type ClockOffset, clockSkew } from './clock-skew.ts';
import { endpointFact, evidence } from './evidence.ts';
import { live, merge } from './identity.ts';
import type { Destinations } from './network.ts';
import { fileName } from './paths.ts';
import type { Agent, HostState, Proc } from './state.ts';
import type { ConnectionFact } from './steps/egress.ts';

export interface FlowCounters {
  internalConnections: number;
  allowlistedConnections: number;
  flowsJoined: number;
  flowsHostLevel: number;
}

export interface FlowJoinDeps {
  cfg: Config;
  dest: Destinations;
  stats: FlowCounters;
  hostFor(name: string, platform: HostState['platform']): HostState;
  connect(a: Agent, fact: ConnectionFact, p?: Proc): void;
  newAgentFor(h: HostState, p: Proc, time: number): Agent;
}

export interface FlowJoin {
  /** A host used this address as its source: flows from it belong to that host. */
  learnAddress(h: HostState, ip: string, time: number): void;
  /** A network sensor saw the address leased to a host (DHCP). */
  lease(ev: LeaseEvent): void;
  /** A network sensor saw a lookup: the asking host's destinations get their names. */
  networkDns(ev: DnsEvent & { clientIp: string }): void;
  /** A connection a host sensor saw, for flows to join. */
  hostConnection(
    h: HostState,
    srcPort: number | undefined,
    dstIp: string,
    dstPort: number | undefined,
    agent: Agent,
    proc: Proc,
    time: number,
  ): void;
  /** A flow; it waits one join tolerance so the host's own record can arrive first. */
  queue(ev: NetworkEvent): void;
  /** Joins or places every queued flow up to `upTo`. */
  resolve(upTo: number): void;
  /** Forgets host connections too old to be joined. */
  expire(now: number): void;
  /** An agent takes over host-level flows whose sensor named a process of its tree. */
  adopt(h: HostState, a: Agent, p: Proc): void;
  pending(): number;
  /** Addresses the address book holds. */
  addresses(): number;
  /** Each host's estimated clock offset to the flow sensor. */
  clockOffsets(): ClockOffset[];
}

const MAX_ADDRESSES_PER_HOST = 32;
/** Host connection records kept for flows to join (the oldest are dropped first). */
const MAX_RECENT = 200_000;

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

function connKey(host: string, sp: number | undefined, ip: string, dp: number | undefined): string {
  return `${host}|${sp ?? ''}|${ip}|${dp ?? ''}`;
}

/** Offsets below this are jitter between two sensors' stamps, not worth a word in the evidence. */
const NOTABLE_OFFSET_MS = 2000;

function flowSummary(ev: NetworkEvent, name: string | undefined, offsetMs: number): string {
  const dur = ev.durationSec !== undefined ? `, ${Math.round(ev.durationSec)} s` : '';
  const bytes = ev.bytesOut !== undefined ? `, ${ev.bytesOut} B out / ${ev.bytesIn ?? 0} B in` : '';
  const state = `${ev.state ? `, ${ev.state}` : ''}${ev.open ? ', still open' : ''}`;
  const clock =
    Math.abs(offsetMs) >= NOTABLE_OFFSET_MS
      ? ` (flow sensor time ${new Date(ev.time).toISOString()}, ${offsetMs > 0 ? '+' : ''}${(offsetMs / 1000).toFixed(1)} s to the host's clock)`
      : '';
  return `flow ${ev.srcIp}:${ev.srcPort ?? '?'} → ${name ? `${name} ` : ''}${ev.dstIp}:${ev.dstPort ?? '?'}${dur}${bytes}${state}${clock}`;
}

/** The process a flow sensor named (VMConnection ProcessName), when it names one. */
function flowProcess(image: string, pid: number | undefined): EvidenceProcess {
  return pid === undefined ? { image } : { pid, image };
}

export function flowJoin(deps: FlowJoinDeps): FlowJoin {
  const { cfg, dest, stats } = deps;
  const book = addressBook(cfg.HostAliases);
  const skew = clockSkew();
  const pending: NetworkEvent[] = [];
  const held: Held[] = [];
  const heldByKey = new Map<string, Held>();
  const recent = new Map<string, HostRecord>();

  /** How long a flow from host `key` waits for the host's own record of it. */
  function holdFor(key: string): number {
    const tol = cfg.FlowJoinTolerance;
    const offset = skew.offset(key);
    if (offset === undefined) return Math.max(tol, cfg.MaxClockSkew);
    return Math.min(Math.max(tol, offset + tol), Math.max(tol, cfg.MaxClockSkew));
  }

  /** The host that held `ip` at `time`; else the host the sensor named; else the address itself. */
  function hostAt(ip: string, time: number, named: string | undefined): HostState {
    const name = book.ownerAt(ip, time)?.host ?? (named && named !== ip ? named : ip);
    return deps.hostFor(name, 'network');
  }

  function flowHost(ev: NetworkEvent): HostState {
    return hostAt(ev.srcIp, ev.time, ev.host);
  }

  /** The host's record of this flow's connection, if any; samples the host's clock offset. */
  function joinFor(h: HostState, ev: NetworkEvent): HostRecord | undefined {
    const tol = cfg.FlowJoinTolerance;
    const offset = skew.correction(h.name);
    const exact =
      ev.srcPort === undefined ? undefined : recent.get(connKey(h.name, ev.srcPort, ev.dstIp, ev.dstPort));
    if (exact) {
      const diff = exact.time - ev.time;
      // Before the offset is known, the source port alone makes it the same connection.
      const near = skew.settled(h.name) ? Math.abs(diff - offset) <= tol : Math.abs(diff) <= cfg.MaxClockSkew;
      if (near) {
        skew.sample(h.name, h.displayName, diff);
        return exact;
      }
    }
    // Host sensors without source ports (auditd connect) join on the destination and time.
    const loose = recent.get(connKey(h.name, undefined, ev.dstIp, ev.dstPort));
    return loose && Math.abs(loose.time - (ev.time + offset)) <= tol ? loose : undefined;
  }

  function place(ev: NetworkEvent, claimed?: HostRecord): void {
    let h = flowHost(ev);
    if (!dest.isExternal(ev.dstIp)) {
      stats.internalConnections++;
      return;
    }
    const name = ev.dstName ?? h.dnsNames.get(ev.dstIp);
    if (dest.allowlisted(ev.dstIp, name)) {
      stats.allowlistedConnections++;
      return;
    }
    const joined = claimed ?? joinFor(h, ev);
    if (joined) h = joined.agent.host;
    // Into the host's clock: the chain's other steps are stamped by the host.
    const offset = skew.correction(h.name);
    const time = ev.time + offset;
    const fact: ConnectionFact = {
      time,
      ip: ev.dstIp,
      port: ev.dstPort,
      name,
      durationSec: ev.durationSec,
      bytesOut: ev.bytesOut,
      bytesIn: ev.bytesIn,
      open: ev.open,
      hostLevel: !joined,
      evidence: evidence(time, flowSummary(ev, name, offset), ev.src, {
        ...(ev.proc?.image ? { process: flowProcess(ev.proc.image, ev.proc.pid) } : {}),
        endpoint: endpointFact({
          ip: ev.dstIp,
          port: ev.dstPort,
          name,
          protocol: ev.protocol,
          direction: ev.direction,
          srcIp: ev.srcIp,
          srcPort: ev.srcPort,
        }),
      }),
    };
    if (joined) {
      stats.flowsJoined++;
      const a = live(joined.agent);
      const d = a.egress.get(`${fact.ip}|${fact.port ?? ''}`);
      // The host sensor already counted this connection: add only what the flow knows.
      if (d) {
        d.connections--;
        const i = d.times.lastIndexOf(joined.time);
        d.times.splice(i >= 0 ? i : d.times.length - 1, 1);
      }
      deps.connect(a, fact, joined.proc);
      return;
    }
    stats.flowsHostLevel++;
    const guid = `flow:${ev.dstIp}:${ev.dstPort ?? ''}`;
    let proc = h.procsByGuid.get(guid);
    if (!proc) {
      proc = {
        id: h.nextProcId++,
        image: `flow to ${ev.dstIp}:${ev.dstPort ?? '?'}`,
        key: guid,
        guid,
        children: [],
        lastSeen: ev.time,
      };
      h.procsByGuid.set(guid, proc);
    }
    const a = proc.agent ? live(proc.agent) : deps.newAgentFor(h, proc, ev.time);
    deps.connect(a, fact);
    // Flow sensors that name the process (VMConnection) let a later agent adopt the flow.
    if (ev.proc?.image) {
      h.flowsByProcess.set(fileName(ev.proc.image), a);
      if (h.flowsByProcess.size > 256) h.flowsByProcess.delete(h.flowsByProcess.keys().next().value!);
    }
  }

  return {
    learnAddress(h, ip, time) {
      if (h.addresses.has(ip) || h.addresses.size >= MAX_ADDRESSES_PER_HOST) return;
      h.addresses.add(ip);
      // The host stamps its own time, which may be up to MaxClockSkew off the flows' clock.
      book.bind(ip, h.displayName, time - cfg.MaxClockSkew, Number.POSITIVE_INFINITY, 'host');
    },
    lease(ev) {
      if (ev.leaseSec === 0) book.release(ev.ip, ev.host, ev.time);
      else {
        const until = ev.leaseSec === undefined ? Number.POSITIVE_INFINITY : ev.time + ev.leaseSec * 1000;
        book.bind(ev.ip, ev.host, ev.time, until, 'dhcp');
      }
    },
    networkDns(ev) {
      const h = hostAt(ev.clientIp, ev.time, undefined);
      for (const ip of ev.answers) h.dnsNames.set(ip, ev.query.toLowerCase());
    },
    hostConnection(h, srcPort, dstIp, dstPort, agent, proc, time) {
      const key = connKey(h.name, srcPort, dstIp, dstPort);
      const record = { agent, proc, time };
      recent.delete(key);
      recent.set(key, record);
      if (recent.size > MAX_RECENT) recent.delete(recent.keys().next().value!);
      // A flow that arrived first (the host's clock is ahead) was waiting for this record.
      const w = srcPort === undefined ? undefined : heldByKey.get(key);
      if (w && !w.done && Math.abs(time - w.ev.time) <= cfg.MaxClockSkew) {
        w.done = true;
        heldByKey.delete(key);
        skew.sample(h.name, h.displayName, time - w.ev.time);
        place(w.ev, record);
      }
    },
    queue(ev) {
      // Only hosts whose sensor logs connections can send a record to wait for.
      const owner = ev.srcPort === undefined ? undefined : book.ownerAt(ev.srcIp, ev.time);
      if (owner?.via !== 'host') {
        pending.push(ev);
        return;
      }
      const h = flowHost(ev);
      const key = connKey(h.name, ev.srcPort, ev.dstIp, ev.dstPort);
      // The host's record came first (clocks in step, or the host behind): join now.
      const record = recent.get(key);
      if (record && Math.abs(record.time - ev.time) <= cfg.MaxClockSkew) {
        place(ev);
        return;
      }
      const w: Held = { ev, key, host: h.name, done: false };
      held.push(w);
      heldByKey.set(key, w);
    },
    resolve(upTo) {
      let i = 0;
      while (i < pending.length && pending[i].time <= upTo) place(pending[i++]);
      if (i > 0) pending.splice(0, i);
      // Held flows leave in arrival order once their host's wait is over (or a record took them).
      const now = upTo + cfg.FlowJoinTolerance;
      let j = 0;
      while (j < held.length) {
        const w = held[j];
        if (!w.done) {
          if (upTo !== Number.POSITIVE_INFINITY && w.ev.time + holdFor(w.host) > now) break;
          w.done = true;
          if (heldByKey.get(w.key) === w) heldByKey.delete(w.key);
          place(w.ev);
        }
        j++;
      }
      if (j > 0) held.splice(0, j);
    },
    expire(now) {
      const keep = Math.max(2 * cfg.FlowJoinTolerance, cfg.MaxClockSkew + cfg.FlowJoinTolerance);
      for (const [k, v] of recent) {
        if (v.time >= now - keep) break; // insertion order: the rest is newer
        recent.delete(k);
      }
      book.expire(now - cfg.TimeWindow - cfg.Lateness);
    },
    adopt(h, a, p) {
      if (h.flowsByProcess.size === 0) return;
      const name = fileName(p.image);
      const flows = h.flowsByProcess.get(name);
      if (!flows) return;
      h.flowsByProcess.delete(name);
      const f = live(flows);
      if (f === live(a) || !h.agents.has(f.key)) return;
      for (const d of f.egress.values()) d.hostLevel = false;
      merge(a, f, `network flows name process ${name}, which runs in the agent's process tree`, true);
    },
    pending() {
      return pending.length + held.length;
    },
    addresses: () => book.size(),
    clockOffsets: () => skew.all(),
  };
}
