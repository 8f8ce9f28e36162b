// A systemd unit belongs to the agent it launches, whatever either is called. A unit file names
// no program the sensors see (its ExecStart is inside the file), so the tie comes from what
// happens around it:
//   - the manager starts the unit and, seconds later, starts a program (PID 1 or the user's
//     `systemd --user` as its parent): that program is the unit's;
//   - journald says which unit a process runs in (`_SYSTEMD_UNIT`);
//   - the unit file was written (tee, cat, cp, install, usually under sudo) in the same login
//     session that put the agent's binary in place.
// Pure decisions here; the persistence step keeps the facts and applies them.
import { posix } from 'node:path';
import { anyMatches } from '../../config/pattern.ts';
import type { ProcessStartEvent, ServiceEvent, UnitProcessEvent } from '../../model/event.ts';
import { pathKey } from '../../model/paths.ts';
import { noteLink } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { live, merge } from '../identity.ts';
import { procFor } from '../lineage.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { actingAgent } from './execution.ts';

export interface UnitStart {
  unit: string;
  time: number;
}

/** What the rule packs say ties a unit to its program (`ties`: managers, installs, windows). */
type TieRules = EngineContext['rules']['ties'];

/** A process whose parent is a service manager (rule packs, ties.managers: PID 1, `systemd --user`). */
export function startedByManager(
  rules: TieRules,
  parent: { pid?: number; image?: string } | undefined,
): boolean {
  if (!parent) return false;
  return (
    (parent.pid !== undefined && rules.managerPids.includes(parent.pid)) ||
    rules.managerImage.test(parent.image ?? '')
  );
}

/**
 * The one service unit the manager started around `time`, when exactly one was: at boot many
 * start at once and none can be told apart, so none is named.
 */
export function unitStartedAt(time: number, starts: UnitStart[], windowMs: number): string | undefined {
  let found: string | undefined;
  for (const s of starts) {
    if (!s.unit.endsWith('.service') || Math.abs(s.time - time) > windowMs) continue;
    if (found !== undefined && found !== s.unit) return undefined;
    found = s.unit;
  }
  return found;
}

/** Longest command line searched for install destinations: real ones are a line. */
const MAX_INSTALL_SEARCH = 4096;

const isAbs = (p: string) => p.startsWith('/') && !p.endsWith('/');

/**
 * Paths a command puts a program at (rule packs, ties.installs: install/cp/mv's destination,
 * curl -o / wget -O's file, chmod +x's files). Only absolute paths: a relative one names nothing
 * without its directory.
 */
const installImage = (r: TieRules['installs'][number]) => r.image;

export function installedPaths(rules: TieRules, image: string, commandLine: string | undefined): string[] {
  if (!commandLine) return [];
  const tool = posix.basename(image);
  if (!anyMatches(rules.installs, installImage, tool)) return [];
  const text =
    commandLine.length > MAX_INSTALL_SEARCH ? commandLine.slice(0, MAX_INSTALL_SEARCH) : commandLine;
  const out: string[] = [];
  for (const rule of rules.installs) {
    if (!rule.image.test(tool)) continue;
    for (const m of rule.re.matchAll(text))
      for (const word of (m.groups?.path ?? '').split(/\s+/)) {
        const path = word.replace(/^['"]|['"]$/g, '');
        if (isAbs(path)) out.push(posix.normalize(path));
      }
  }
  return out;
}

// ---- the engine side: facts kept per host, ties applied to agents ---------------------------

/** Unit starts and manager-started programs kept per host (seconds apart is all a tie needs). */
const MAX_UNIT_STARTS = 64;
const MAX_MANAGER_STARTS = 32;
/** Login sessions whose installs are remembered, and installs per session. */
const MAX_SESSIONS = 256;
const MAX_INSTALLS_PER_SESSION = 32;

const entryKey = (unit: string) => `systemd:${unit.toLowerCase()}`;

/** The agent owning the unit's entry (a unit file or `systemctl enable` seen in the window). */
function unitEntry(h: HostState, unit: string): Agent | undefined {
  const a = h.entries.get(entryKey(unit)) ?? h.entries.get(entryKey(unit.replace(/\.service$/, '')));
  return a && h.agents.has(live(a).key) ? live(a) : undefined;
}

/** The unit's entry belongs to `agent`: merged into it when another agent held it. */
function tieUnit(ctx: EngineContext, h: HostState, unit: string, agent: Agent, how: string): void {
  const owner = unitEntry(h, unit);
  if (!owner) {
    h.units.programs.set(unit, { agent, how });
    return;
  }
  const a = owner === live(agent) ? owner : merge(agent, owner, how);
  noteLink(ctx, a, 'persistence', how);
}

/** A manager-started program and the one unit started around it: that unit runs it. */
function tieManagerStart(ctx: EngineContext, h: HostState, p: Proc, time: number, manager: string): void {
  const unit = unitStartedAt(time, h.units.starts, ctx.rules.ties.unitStartMs);
  if (!unit || !unitEntry(h, unit)) return; // a unit nobody wrote in the window: the system's own
  const start = h.units.starts.find((s) => s.unit === unit)!;
  const ms = Math.abs(time - start.time);
  const gap = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  const how = `unit ${unit} started and ${manager} started ${p.image} ${gap} ${time >= start.time ? 'later' : 'earlier'}`;
  tieUnit(ctx, h, unit, actingAgent(ctx, h, p, time), how);
}

/** systemd (journald, auditd SERVICE_START) starting a unit. */
export function onService(h: HostState, ev: ServiceEvent): void {
  if (!ev.name?.endsWith('.service') || (ev.action !== 'starting' && ev.action !== 'started')) return;
  const starts = h.units.starts;
  starts.push({ unit: ev.name, time: ev.time, src: ev.src });
  if (starts.length > MAX_UNIT_STARTS) starts.shift();
}

/**
 * Ties the manager-started programs whose window has passed (`upTo`, or everything at the end):
 * only then are all the units started around them known, so a boot's crowd ties nothing. journald
 * logs "Started" after the program runs, so the window looks both ways.
 */
export function settleUnitTies(
  ctx: EngineContext,
  h: HostState,
  upTo = ctx.now - ctx.rules.ties.unitStartMs,
): void {
  const m = h.units.managerStarts;
  while (m.length && m[0].time <= upTo) {
    const next = m.shift()!;
    tieManagerStart(ctx, h, next.proc, next.time, next.manager);
  }
}

/** After a process start: a program the service manager started, and what a session installed. */
export function afterStart(ctx: EngineContext, h: HostState, p: Proc, ev: ProcessStartEvent): void {
  if (p.session !== undefined) {
    const tool = posix.basename(p.image);
    const final = ctx.rules.ties.installs.some((r) => r.final && r.image.test(tool));
    for (const path of installedPaths(ctx.rules.ties, p.image, p.commandLine))
      noteInstall(h, p.session, path, ev.time, final);
  }
  const { isGeneric, isTool } = ctx.rules.roles;
  if (!startedByManager(ctx.rules.ties, ev.parent) || isGeneric(p.image) || isTool(p.image)) return;
  const manager = ev.parent?.pid === 1 ? 'PID 1' : 'the user manager';
  const m = h.units.managerStarts;
  m.push({ proc: p, time: ev.time, manager });
  if (m.length > MAX_MANAGER_STARTS) settleUnitTies(ctx, h, m[0].time);
}

function noteInstall(h: HostState, session: string, path: string, time: number, final: boolean): void {
  const all = h.units.installs;
  let list = all.get(session);
  if (!list) {
    list = [];
    all.set(session, list);
    if (all.size > MAX_SESSIONS) all.delete(all.keys().next().value!);
  }
  list.push({ path, time, final });
  if (list.length > MAX_INSTALLS_PER_SESSION) list.shift();
}

/**
 * The program a login session put in place before `time`: its last install/cp/mv destination,
 * else its last download or chmod +x. A unit written in that session is that program's.
 */
export function sessionProgram(h: HostState, session: string | undefined, time: number): string | undefined {
  const list = session === undefined ? undefined : h.units.installs.get(session);
  if (!list) return undefined;
  const before = list.filter((i) => i.time <= time && !/\.(service|timer|socket)$/.test(i.path));
  return (before.filter((i) => i.final).pop() ?? before.pop())?.path;
}

/** journald: a process runs in a unit (`_SYSTEMD_UNIT`): that unit is its agent's. */
export function onUnitProcess(ctx: EngineContext, h: HostState, ev: UnitProcessEvent): void {
  if (!ev.unit.endsWith('.service')) return;
  const p = procFor(h, ev.proc, ev.time);
  const known = p?.agent ? live(p.agent) : h.byPath.get(pathKey(ev.proc.image));
  if (!known && !unitEntry(h, ev.unit)) return; // a service nobody installed in the window
  const agent = known ?? (p ? actingAgent(ctx, h, p, ev.time) : undefined);
  if (agent) tieUnit(ctx, h, ev.unit, agent, `journald: ${ev.proc.image} runs in ${ev.unit} (_SYSTEMD_UNIT)`);
}

/** A unit file or enable seen after its program was tied to the unit (journald first). */
export function knownUnitProgram(h: HostState, unit: string): { agent: Agent; how: string } | undefined {
  const k = h.units.programs.get(unit) ?? h.units.programs.get(`${unit}.service`);
  return k && h.agents.has(live(k.agent).key) ? { agent: live(k.agent), how: k.how } : undefined;
}

/** Drops tie facts older than the window. */
export function expireUnitTies(h: HostState, horizon: number): void {
  const u = h.units;
  if (u.starts.length) u.starts = u.starts.filter((s) => s.time >= horizon);
  if (u.managerStarts.length) u.managerStarts = u.managerStarts.filter((s) => s.time >= horizon);
  for (const [k, list] of u.installs) if (list[list.length - 1].time < horizon) u.installs.delete(k);
  for (const [k, v] of u.programs) if (live(v.agent).lastTime < horizon) u.programs.delete(k);
}
