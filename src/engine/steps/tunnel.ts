// S4 through the agent's own tunnel. A reverse tunnel (ssh/plink -R, chisel R:, ngrok tcp, a
// socat relay) or a connection the agent makes to a local login port (sshd 22, RDP 3389) lets the
// operator at the far end log in "from loopback". That login's shells and commands are the
// agent's interactive control, though no process tree links them to it. The decisions are pure
// functions; below them, the engine side keeps the facts per host and applies them.

import { anyMatches } from '../../config/pattern.ts';
import type { LoginEvent, NetworkEvent, ProcessStartEvent } from '../../model/event.ts';
import { fileName } from '../../model/paths.ts';
import type { CompiledRules } from '../../rules/compile.ts';
import { noteLink } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { live } from '../identity.ts';
import { newProc } from '../lineage.ts';
import type { HostState, Proc } from '../state.ts';
import { isControlChild, recordControl } from './control.ts';
import { actingAgent } from './execution.ts';

/** The tie rules (rule packs, `ties`): forward patterns, login ports, windows. */
export type TieRules = CompiledRules['ties'];

export interface Forward {
  /** The argument as written ("R:2222:127.0.0.1:22", "-R 2222:localhost:22"). */
  spec: string;
  host: string;
  port: number;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const a = ip.toLowerCase().replace(/^::ffff:/, '');
  return LOOPBACK_NAMES.has(a) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

const port = (s: string | undefined) => {
  const n = Number(s);
  return Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
};

/** Longest command line searched for forwards: real ones are a line; scripts passed inline are not tunnels. */
const MAX_FORWARD_SEARCH = 4096;

/** Every reverse forward or relay target a command line sets up, by the rule packs' forward patterns. */
const forwardPattern = (f: TieRules['forwards'][number]) => f.re;

export function reverseForwards(rules: TieRules, image: string, commandLine: string | undefined): Forward[] {
  if (!commandLine) return [];
  const text =
    commandLine.length > MAX_FORWARD_SEARCH ? commandLine.slice(0, MAX_FORWARD_SEARCH) : commandLine;
  if (!anyMatches(rules.forwards, forwardPattern, text)) return [];
  const name = image.replace(/^.*[\\/]/, '');
  const out: Forward[] = [];
  for (const f of rules.forwards) {
    if (f.image && !f.image.test(name)) continue;
    for (const m of f.re.matchAll(text)) {
      const p = port(m.groups?.port);
      const host = (m.groups?.host ?? f.defaultHost)?.replace(/^\[|\]$/g, '');
      if (p && host) out.push({ spec: m[0].trim(), host, port: p });
    }
  }
  return out;
}

/** What is known of one process's tunnel-shaped behaviour on a host. */
export interface TunnelCandidate {
  /** The agent it belongs to (a key the caller understands) and its name for the finding. */
  agent: string;
  label: string;
  /** It held a connection outside the internal networks: the far end of a tunnel. */
  external: boolean;
  /** Still running (no end seen) at the login. */
  alive: boolean;
  forwards: Forward[];
  /** Its connections to a loopback address: when, to which port, from which source port. */
  loopback: Array<{ time: number; port: number; srcPort?: number }>;
}

export interface TunnelLogin {
  time: number;
  srcIp: string;
  srcPort?: number;
  service: string;
}

export type TunnelVerdict = { agent: string; link: string } | { agent?: undefined; why: string };

/**
 * Whose tunnel, if any, carried a login. Exact first: a process whose loopback connect used the
 * login's source port is its client (an agent when it also holds an outside connection; otherwise
 * a local program logging itself in, and nobody's tunnel). Then by time: the one live agent with
 * an outside connection and a reverse forward to, or a recent connect to, the login's port.
 */
export function tunnelFor(rules: TieRules, login: TunnelLogin, candidates: TunnelCandidate[]): TunnelVerdict {
  if (!isLoopback(login.srcIp)) return { why: 'not from loopback' };
  const window = rules.loopbackConnectMs;
  const port = rules.loginPorts[login.service];
  if (port === undefined) return { why: `no login port known for ${login.service}` };
  const where = `${login.srcIp}${login.srcPort ? `:${login.srcPort}` : ''}`;
  if (login.srcPort !== undefined) {
    for (const c of candidates) {
      const hit = c.loopback.find(
        (l) =>
          l.port === port &&
          l.srcPort === login.srcPort &&
          l.time <= login.time &&
          login.time - l.time <= window,
      );
      if (!hit) continue;
      if (!c.external) return { why: `${c.label} logged itself in (its own connection from ${where})` };
      return {
        agent: c.agent,
        link: `the ${login.service} login from ${where} came over ${c.label}'s own connection to port ${port} (same source port)`,
      };
    }
  }
  const live = candidates.filter((c) => c.external && c.alive);
  const byForward = live
    .map((c) => ({ c, f: c.forwards.find((f) => f.port === port && isLoopback(f.host)) }))
    .filter((x) => x.f !== undefined);
  const byConnect = live.filter((c) =>
    c.loopback.some((l) => l.port === port && l.time <= login.time && login.time - l.time <= window),
  );
  const agents = new Set([...byForward.map((x) => x.c.agent), ...byConnect.map((c) => c.agent)]);
  if (agents.size !== 1)
    return { why: agents.size ? 'several tunnels could have carried it' : 'no tunnel was up' };
  const [agent] = agents;
  const fwd = byForward.find((x) => x.c.agent === agent);
  if (fwd)
    return {
      agent,
      link: `the ${login.service} login from ${where} arrived while ${fwd.c.label}'s reverse forward ${fwd.f!.spec} to port ${port} was up`,
    };
  const c = byConnect[0];
  return {
    agent,
    link: `the ${login.service} login from ${where} followed ${c.label}'s connection to local port ${port} while its tunnel was up`,
  };
}

/** A process start, as far as telling which login it belongs to goes. */
export interface SessionProcess {
  time: number;
  session?: string;
  user?: string;
  parentPid?: number;
  parentImage?: string;
}

export interface OpenLogin {
  time: number;
  session?: string;
  /** The process that accepted the login (sshd's monitor, which logs "Accepted"). */
  pid?: number;
  user?: string;
}

const shortUser = (u: string) => u.toLowerCase().replace(/^.*\\/, '');

/**
 * Whether `p` is the first process of `login`: the same login session (audit session, logon id),
 * or, where the sensor names none (Sysmon for Linux), a child of that login's sshd started soon
 * after it by the same user.
 */
export function startsLogin(rules: TieRules, p: SessionProcess, login: OpenLogin): boolean {
  if (p.session !== undefined && login.session !== undefined) return p.session === login.session;
  if (p.time < login.time || p.time - login.time > rules.loginShellMs) return false;
  if (
    !p.parentImage ||
    !rules.loginAcceptor.test(p.parentImage) ||
    p.parentPid === undefined ||
    login.pid === undefined
  )
    return false;
  const d = p.parentPid - login.pid;
  if (d < 0 || d > rules.sshdChildPidSpan) return false;
  return !p.user || !login.user || shortUser(p.user) === shortUser(login.user);
}

// ---- the engine side: tunnel-shaped processes, loopback logins, their shells ---------------

/** Tunnel-shaped processes and tunneled logins kept per host. */
const MAX_TUNNEL_PROCS = 64;
const MAX_LOOPBACK_CONNECTS = 16;
const MAX_TUNNEL_LOGINS = 32;

function track(h: HostState, p: Proc): Array<{ time: number; port: number; srcPort?: number }> {
  let list = h.tunnels.procs.get(p);
  if (!list) {
    list = [];
    h.tunnels.procs.set(p, list);
    if (h.tunnels.procs.size > MAX_TUNNEL_PROCS) h.tunnels.procs.delete(h.tunnels.procs.keys().next().value!);
  }
  return list;
}

/** A process start whose arguments set up a reverse forward: a tunnel, should it reach out. */
export function noteForwards(ctx: EngineContext, h: HostState, p: Proc): void {
  const forwards = reverseForwards(ctx.rules.ties, p.image, p.commandLine);
  if (!forwards.length) return;
  p.forwards = forwards;
  track(h, p);
}

/** A connection to a local login port (a tunnel's near end), before it is dropped as internal. */
export function noteLoopback(ctx: EngineContext, h: HostState, p: Proc | undefined, ev: NetworkEvent): void {
  const loginPort = ev.dstPort !== undefined && Object.values(ctx.rules.ties.loginPorts).includes(ev.dstPort);
  if (!p || ev.direction === 'inbound' || !loginPort) return;
  if (!isLoopback(ev.dstIp)) return;
  const list = track(h, p);
  list.push({ time: ev.time, port: ev.dstPort!, srcPort: ev.srcPort });
  if (list.length > MAX_LOOPBACK_CONNECTS) list.shift();
}

function candidates(h: HostState, time: number): Map<string, { proc: Proc; c: TunnelCandidate }> {
  const out = new Map<string, { proc: Proc; c: TunnelCandidate }>();
  for (const [p, loopback] of h.tunnels.procs) {
    const a = p.agent ? live(p.agent) : undefined;
    out.set(String(p.id), {
      proc: p,
      c: {
        agent: String(p.id),
        label: fileName(p.image),
        external: p.external === true || [...(a?.egress.values() ?? [])].some((d) => d.proc === p),
        alive: p.end === undefined || p.end >= time,
        forwards: p.forwards ?? [],
        loopback,
      },
    });
  }
  return out;
}

/** A login (sshd, RDP): when an agent's tunnel carried it, its shells will be that agent's S4. */
export function onLogin(ctx: EngineContext, h: HostState, ev: LoginEvent): void {
  if (!isLoopback(ev.srcIp) || h.tunnels.procs.size === 0) return;
  const all = candidates(h, ev.time);
  const v = tunnelFor(
    ctx.rules.ties,
    ev,
    [...all.values()].map((x) => x.c),
  );
  if (v.agent === undefined) return;
  const { proc } = all.get(v.agent)!;
  const agent = actingAgent(ctx, h, proc, ev.time);
  const logins = h.tunnels.logins;
  logins.push({ time: ev.time, session: ev.session, pid: ev.proc?.pid, user: ev.user, agent, link: v.link });
  if (logins.length > MAX_TUNNEL_LOGINS) logins.shift();
}

/**
 * A process that starts a tunneled login's session (its shell, or any process of that audit
 * session): it joins the agent whose tunnel carried the login, as S4 when it is a control child.
 * Returns true when it did.
 */
export function tunneledStart(ctx: EngineContext, h: HostState, p: Proc, ev: ProcessStartEvent): boolean {
  const logins = h.tunnels.logins;
  if (!logins.length) return false;
  const parentImage = p.parent?.image ?? ev.parent?.image;
  const seen: SessionProcess = {
    time: p.start ?? ev.time,
    session: p.session,
    user: p.user,
    parentPid: ev.parent?.pid,
    parentImage,
  };
  const login = logins.find((l) => startsLogin(ctx.rules.ties, seen, l));
  if (!login) return false;
  const a = live(login.agent);
  p.agent = a;
  const shown: Proc = p.parent ?? newProc(0, parentImage ?? 'login', '', ev.time);
  if (isControlChild(ctx.rules.control, shown.image, p.image)) {
    recordControl(ctx, a, shown, p, ev, login.link);
    noteLink(ctx, a, 'control', login.link);
  }
  return true;
}

/** Drops tunnel facts older than the window. */
export function expireTunnels(h: HostState, horizon: number): void {
  const t = h.tunnels;
  for (const [p, list] of t.procs)
    if (p.lastSeen < horizon && (list.length === 0 || list[list.length - 1].time < horizon))
      t.procs.delete(p);
  if (t.logins.length)
    t.logins = t.logins.filter((l) => live(l.agent).lastTime >= horizon || l.time >= horizon);
}
