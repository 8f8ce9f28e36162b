// The process table of one host: who started whom. Windows names processes by ProcessGuid;
// Linux and macOS by pid, and pids are reused, so a pid resolves to the newest process with that
// pid that had started by the event's time and had not ended before it.
import type { ProcessStartEvent, ProcRef } from '../model/event.ts';
import { pathKey } from '../model/paths.ts';
import type { HostState, Proc } from './state.ts';

/** A process whose end was seen stays resolvable this long (late network/child events). */
const END_GRACE_MS = 60_000;
/** Processes remembered per pid: pids are reused, and a late event may name an earlier holder. */
const MAX_PER_PID = 4;
/** A start stamped this far after the event is still the process it names (sensor clock jitter). */
const START_JITTER_MS = 1000;
/** Two records of one start (two sensors, or two logs of one sensor) lie at most this far apart. */
const SAME_START_MS = 2000;
/** Children kept per process: an agent's sessions, not a build server's thousand compilers. */
const MAX_CHILDREN = 64;
/** Recent starts searched for a second record of the same start. */
const RECENT_STARTS = 64;

function index(host: HostState, p: Proc): void {
  if (p.guid) host.procsByGuid.set(p.guid, p);
  if (p.pid !== undefined) {
    const list = host.procsByPid.get(p.pid);
    if (!list) host.procsByPid.set(p.pid, [p]);
    else {
      list.push(p);
      if (list.length > MAX_PER_PID) list.shift();
    }
  }
  host.procCount++;
}

export function findProc(host: HostState, ref: ProcRef | undefined, time: number): Proc | undefined {
  if (!ref) return undefined;
  if (ref.guid) {
    const p = host.procsByGuid.get(ref.guid);
    if (p) return p;
  }
  if (ref.pid === undefined) return undefined;
  const list = host.procsByPid.get(ref.pid);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const p = list[i];
    if (p.start !== undefined && p.start > time + START_JITTER_MS) continue;
    if (p.end !== undefined && p.end + END_GRACE_MS < time) continue;
    // A pid-only reference whose image disagrees is a different (reused) process.
    if (ref.image && pathKey(ref.image) !== p.key && !ref.guid) continue;
    if (ref.start !== undefined && p.start !== undefined && Math.abs(ref.start - p.start) > SAME_START_MS)
      continue;
    return p;
  }
  return undefined;
}

/** Finds the process, or records one seen only through this reference (already running). */
export function procFor(host: HostState, ref: ProcRef | undefined, time: number): Proc | undefined {
  const found = findProc(host, ref, time);
  if (found) {
    found.lastSeen = time;
    return found;
  }
  if (!ref?.image || (ref.guid === undefined && ref.pid === undefined)) return undefined;
  const p: Proc = {
    id: host.nextProcId++,
    guid: ref.guid,
    pid: ref.pid,
    image: ref.image,
    key: pathKey(ref.image),
    commandLine: ref.commandLine,
    user: ref.user,
    children: [],
    lastSeen: time,
    sweep: 0,
  };
  index(host, p);
  return p;
}

/**
 * Records a process start. `fresh` is false when the event only repeats a start already placed
 * (a second sensor's record of it), true for a new program, including an exec that replaced a
 * forked copy of its parent under the same process identity.
 */
export function startProc(host: HostState, ev: ProcessStartEvent): { proc: Proc; fresh: boolean } {
  const parent = procFor(host, ev.parent, ev.time);
  // A fork that kept its parent's image, or a second record of the same start (Sysmon and the
  // Security log of one process), updates the existing entry instead of creating a stranger.
  const existing =
    findProc(host, { guid: ev.proc.guid, pid: ev.proc.pid, image: ev.proc.image }, ev.time) ??
    (ev.proc.pid === undefined || ev.proc.guid === undefined ? sameStart(host, ev) : undefined);
  const key = pathKey(ev.proc.image);
  if (existing?.forked && !ev.forkOnly && existing.key !== key) {
    // exec in a forked child: same process, new program.
    existing.image = ev.proc.image;
    existing.key = key;
    existing.commandLine = ev.commandLine;
    existing.hashes = ev.hashes;
    existing.meta = ev.meta;
    existing.user = ev.user ?? existing.user;
    existing.integrity = ev.integrity ?? existing.integrity;
    existing.start = ev.proc.start ?? ev.time;
    existing.startSrc = ev.src;
    existing.forked = false;
    existing.agentImage = false;
    existing.match = undefined;
    existing.lastSeen = ev.time;
    return { proc: existing, fresh: true };
  }
  if (
    existing &&
    existing.start !== undefined &&
    !(existing.guid && ev.proc.guid && existing.guid !== ev.proc.guid) &&
    Math.abs(existing.start - (ev.proc.start ?? ev.time)) <= SAME_START_MS
  ) {
    existing.guid ??= ev.proc.guid;
    existing.commandLine ??= ev.commandLine;
    existing.hashes ??= ev.hashes;
    existing.meta ??= ev.meta;
    existing.user ??= ev.user;
    existing.integrity ??= ev.integrity;
    existing.lastSeen = ev.time;
    return { proc: existing, fresh: false };
  }
  const p: Proc = {
    id: host.nextProcId++,
    guid: ev.proc.guid,
    pid: ev.proc.pid,
    image: ev.proc.image,
    key,
    commandLine: ev.commandLine,
    user: ev.user,
    integrity: ev.integrity,
    start: ev.proc.start ?? ev.time,
    forked: ev.forkOnly || undefined,
    parent,
    children: [],
    hashes: ev.hashes,
    meta: ev.meta,
    startSrc: ev.src,
    session: ev.proc.session,
    lastSeen: ev.time,
    sweep: 0,
  };
  if (parent && parent.children.length < MAX_CHILDREN) parent.children.push(p);
  index(host, p);
  host.recentStarts.push(p);
  if (host.recentStarts.length > RECENT_STARTS) host.recentStarts.shift();
  return { proc: p, fresh: true };
}

/**
 * The same start reported by a second sensor that names the process differently (Sysmon 1 by
 * guid, the Security log by pid; some exports drop Sysmon's ProcessId): same image, same command
 * line, same parent image, within two seconds.
 */
function sameStart(host: HostState, ev: ProcessStartEvent): Proc | undefined {
  const key = pathKey(ev.proc.image);
  const t = ev.proc.start ?? ev.time;
  for (let i = host.recentStarts.length - 1; i >= 0; i--) {
    const p = host.recentStarts[i];
    if (p.start === undefined || Math.abs(p.start - t) > SAME_START_MS) continue;
    if (p.key !== key || (p.commandLine ?? '') !== (ev.commandLine ?? '')) continue;
    if (
      (p.guid && ev.proc.guid && p.guid !== ev.proc.guid) ||
      (p.pid !== undefined && ev.proc.pid !== undefined && p.pid !== ev.proc.pid)
    )
      continue;
    if (p.pid === undefined && ev.proc.pid !== undefined) {
      p.pid = ev.proc.pid;
      const list = host.procsByPid.get(p.pid);
      if (list) list.push(p);
      else host.procsByPid.set(p.pid, [p]);
    }
    if (!p.guid && ev.proc.guid) {
      p.guid = ev.proc.guid;
      host.procsByGuid.set(p.guid, p);
    }
    return p;
  }
  return undefined;
}

export function endProc(host: HostState, ref: ProcRef, time: number): void {
  const p = findProc(host, ref, time);
  if (p) {
    p.end = time;
    p.lastSeen = time;
  }
}

/** Share of the process cap freed when a host goes over it. */
const EVICT_SLACK = 0.25;

/**
 * Drops processes that ended or went quiet before `horizon`, unless an agent still holds them,
 * and keeps the table under `cap` entries. Returns how many were evicted for the cap.
 * Linear in the table: a sweep marks the survivors with a per-host serial instead of building
 * a set, and picks the cap's victims by a numeric sort of their times instead of sorting the
 * processes with a comparator (that sort was a fifth of a 110 MB EVTX hunt).
 */
export function expireProcs(host: HostState, horizon: number, cap: number): number {
  // One rule for every process, agent or not: quiet since the horizon, or ended before it, goes.
  // (Keeping agents' processes until they end would keep every process of a long-lived tree
  // whose exits the sensor never logs.) A dropped agent process that speaks again is found again
  // through its image: identity is by path, hash and metadata, not by the table.
  const keep = (p: Proc) => p.lastSeen >= horizon && (p.end === undefined || p.end >= horizon);
  for (const [pid, list] of host.procsByPid) {
    let kept = 0;
    for (const p of list) if (keep(p)) kept++;
    if (kept === 0) host.procsByPid.delete(pid);
    else if (kept !== list.length) host.procsByPid.set(pid, list.filter(keep));
  }
  for (const [guid, p] of host.procsByGuid) if (!keep(p)) host.procsByGuid.delete(guid);
  const alive = survivors(host);
  const mark = host.procSweeps;
  // Children arrays must not keep dead processes alive.
  for (const p of alive) {
    if (p.children.length && p.children.some((c) => c.sweep !== mark))
      p.children = p.children.filter((c) => c.sweep === mark);
    if (p.parent && p.parent.sweep !== mark) p.parent = undefined;
  }
  host.procCount = alive.length;
  if (host.procCount <= cap) return 0;
  // Cap: evict the least recently seen processes, those outside any agent's tree first, down to
  // a low-water mark, so that a host that stays busy is swept once per EVICT_SLACK new processes
  // rather than on every upkeep.
  const victims = leastRecentFirst(alive, host.procCount - Math.floor(cap * (1 - EVICT_SLACK)));
  for (const p of victims) evict(host, p);
  host.procCount -= victims.length;
  return victims.length;
}

/** Every process still indexed, each once, in index order; marks them with a new sweep serial. */
function survivors(host: HostState): Proc[] {
  const mark = ++host.procSweeps;
  const alive: Proc[] = [];
  const add = (p: Proc) => {
    if (p.sweep === mark) return;
    p.sweep = mark;
    alive.push(p);
  };
  for (const list of host.procsByPid.values()) for (const p of list) add(p);
  for (const p of host.procsByGuid.values()) add(p);
  return alive;
}

/**
 * The first `n` of `procs` in order of (inside an agent's tree, last seen), ties in their given
 * order: what a stable sort would give, found with a threshold time instead.
 */
function leastRecentFirst(procs: Proc[], n: number): Proc[] {
  const out = oldest(
    procs.filter((p) => !p.agent),
    n,
  );
  if (out.length >= n) return out;
  const held = procs.filter((p) => p.agent);
  return out.concat(oldest(held, n - out.length));
}

/** The `n` least recently seen of `procs` (all of them when fewer), ties in array order. */
function oldest(procs: Proc[], n: number): Proc[] {
  if (n <= 0) return [];
  if (n >= procs.length) return procs;
  const times = Float64Array.from(procs, (p) => p.lastSeen).sort();
  const limit = times[n - 1];
  let below = 0;
  while (below < n && times[below] < limit) below++;
  let ties = n - below;
  const out: Proc[] = [];
  for (const p of procs) {
    if (p.lastSeen < limit) out.push(p);
    else if (p.lastSeen === limit && ties > 0) {
      out.push(p);
      ties--;
    }
  }
  return out;
}

/** Removes one process from the table and from its parent's and children's links. */
function evict(host: HostState, p: Proc): void {
  if (p.guid) host.procsByGuid.delete(p.guid);
  if (p.pid !== undefined) {
    const list = host.procsByPid.get(p.pid);
    if (list) {
      const k = list.filter((x) => x !== p);
      if (k.length) host.procsByPid.set(p.pid, k);
      else host.procsByPid.delete(p.pid);
    }
  }
  if (p.parent) p.parent.children = p.parent.children.filter((c) => c !== p);
  for (const c of p.children) c.parent = undefined;
}
