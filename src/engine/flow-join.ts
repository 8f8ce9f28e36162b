// The process–flow join. Flows (Zeek conn, VMConnection) carry duration, bytes and state but no
// process; host sensors carry the process but no duration. A flow joins the host's own record of
// the same connection (host, ports, destination, within FlowJoinTolerance); one that matches no
// process still counts, at host level and marked as such, and is adopted later by an agent whose
// process tree runs the program the flow sensor named. Flows name an address, not a host: the
// address book says which host held it at the flow's time (HostAliases, DHCP leases, the host's
// own connections).
import type { Config } from '../config/schema.ts';
import type { DnsEvent, LeaseEvent, NetworkEvent } from '../model/event.ts';
import type { EvidenceProcess } from '../model/finding.ts';
import { addressBook } from './address-book.ts';
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
}

const MAX_ADDRESSES_PER_HOST = 32;

function connKey(host: string, sp: number | undefined, ip: string, dp: number | undefined): string {
  return `${host}|${sp ?? ''}|${ip}|${dp ?? ''}`;
}

function flowSummary(ev: NetworkEvent, name: string | undefined): string {
  const dur = ev.durationSec !== undefined ? `, ${Math.round(ev.durationSec)} s` : '';
  const bytes = ev.bytesOut !== undefined ? `, ${ev.bytesOut} B out / ${ev.bytesIn ?? 0} B in` : '';
  const state = `${ev.state ? `, ${ev.state}` : ''}${ev.open ? ', still open' : ''}`;
  return `flow ${ev.srcIp}:${ev.srcPort ?? '?'} → ${name ? `${name} ` : ''}${ev.dstIp}:${ev.dstPort ?? '?'}${dur}${bytes}${state}`;
}

/** The process a flow sensor named (VMConnection ProcessName), when it names one. */
function flowProcess(image: string, pid: number | undefined): EvidenceProcess {
  return pid === undefined ? { image } : { pid, image };
}

export function flowJoin(deps: FlowJoinDeps): FlowJoin {
  const { cfg, dest, stats } = deps;
  const book = addressBook(cfg.HostAliases);
  const pending: NetworkEvent[] = [];
  const recent = new Map<string, { agent: Agent; proc: Proc; time: number }>();

  /** The host that held `ip` at `time`; else the host the sensor named; else the address itself. */
  function hostAt(ip: string, time: number, named: string | undefined): HostState {
    const name = book.ownerAt(ip, time)?.host ?? (named && named !== ip ? named : ip);
    return deps.hostFor(name, 'network');
  }

  function flowHost(ev: NetworkEvent): HostState {
    return hostAt(ev.srcIp, ev.time, ev.host);
  }

  function place(ev: NetworkEvent): void {
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
    // Host sensors without source ports (auditd connect) join on the destination and time.
    const joined =
      recent.get(connKey(h.name, ev.srcPort, ev.dstIp, ev.dstPort)) ??
      recent.get(connKey(h.name, undefined, ev.dstIp, ev.dstPort));
    const fact: ConnectionFact = {
      time: ev.time,
      ip: ev.dstIp,
      port: ev.dstPort,
      name,
      durationSec: ev.durationSec,
      bytesOut: ev.bytesOut,
      bytesIn: ev.bytesIn,
      open: ev.open,
      hostLevel: !joined,
      evidence: evidence(ev.time, flowSummary(ev, name), ev.src, {
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
    if (joined && Math.abs(joined.time - ev.time) <= cfg.FlowJoinTolerance) {
      stats.flowsJoined++;
      h = joined.agent.host;
      const a = live(joined.agent);
      const d = a.egress.get(`${fact.ip}|${fact.port ?? ''}`);
      // The host sensor already counted this connection: add only what the flow knows.
      if (d) {
        d.connections--;
        d.times.pop();
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
      book.bind(ip, h.displayName, time, Number.POSITIVE_INFINITY, 'host');
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
      recent.set(connKey(h.name, srcPort, dstIp, dstPort), { agent, proc, time });
    },
    queue(ev) {
      pending.push(ev);
    },
    resolve(upTo) {
      let i = 0;
      while (i < pending.length && pending[i].time <= upTo) place(pending[i++]);
      if (i > 0) pending.splice(0, i);
    },
    expire(now) {
      for (const [k, v] of recent) if (v.time < now - 2 * cfg.FlowJoinTolerance) recent.delete(k);
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
      return pending.length;
    },
    addresses: () => book.size(),
  };
}
