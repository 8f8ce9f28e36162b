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

/**
 * The children of a process that has none: one shared (frozen) empty list. Most processes of a
 * busy host never start another, and an own empty list grows to seventeen slots at its first child.
 */
const NO_CHILDREN: Proc[] = Object.freeze([]) as unknown as Proc[];

function addChild(parent: Proc, child: Proc): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else if (parent.children.length < MAX_CHILDREN) parent.children.push(child);
}

/**
 * A process with every field present, in one order: the table holds tens of thousands of them,
 * and one shape for all keeps every field inside the object (fields added later would each
 * change its shape and move to a second, out-of-object store) and the code that reads them
 * monomorphic.
 */
export function newProc(id: number, image: string, key: string, lastSeen: number): Proc {
  return {
    id,
    guid: undefined,
    pid: undefined,
    image,
    key,
    commandLine: undefined,
    user: undefined,
    integrity: undefined,
    start: undefined,
    end: undefined,
    parent: undefined,
    children: NO_CHILDREN,
    hashes: undefined,
    meta: undefined,
    match: undefined,
    startSrc: undefined,
    agent: undefined,
    forked: undefined,
    agentImage: undefined,
    session: undefined,
    forwards: undefined,
    external: undefined,
    lastSeen,
    older: undefined,
    newer: undefined,
    inTable: undefined,
  };
}

/**
 * Out-of-order times (live streams, late records) are placed by walking back from the newest
 * entry at most this far; beyond it the process goes there, a little out of order (it expires a
 * little late), so a hostile order costs a bounded walk per event, not one over the table.
 */
const MAX_ORDER_WALK = 64;

/** Links `p` (not in the list) into the host's table by its lastSeen. */
function place(host: HostState, p: Proc): void {
  let after = host.procNewest;
  for (let i = 0; after && after.lastSeen > p.lastSeen && i < MAX_ORDER_WALK; i++) after = after.older;
  // Placed anywhere but the newest end, it may have landed among the agents' processes at the
  // front: the cap's walk starts from the oldest again.
  if (after !== host.procNewest) host.procAgentsUpTo = undefined;
  p.older = after;
  p.newer = after ? after.newer : host.procOldest;
  if (p.newer) p.newer.older = p;
  else host.procNewest = p;
  if (after) after.newer = p;
  else host.procOldest = p;
}

function unlink(host: HostState, p: Proc): void {
  if (host.procAgentsUpTo === p) host.procAgentsUpTo = p.older;
  if (p.older) p.older.newer = p.newer;
  else host.procOldest = p.newer;
  if (p.newer) p.newer.older = p.older;
  else host.procNewest = p.older;
  p.older = undefined;
  p.newer = undefined;
}

/** The process was seen at `time`: it moves to its place among the most recently seen. */
function seen(host: HostState, p: Proc, time: number): void {
  p.lastSeen = time;
  if (!p.inTable || host.procNewest === p) return;
  unlink(host, p);
  place(host, p);
}

/** A process that may have lost its last index entry: the next sweep drops it if so. */
function watch(host: HostState, p: Proc | undefined): void {
  if (p?.inTable) host.procWatch.push(p);
}

function indexGuid(host: HostState, guid: string, p: Proc): void {
  const before = host.procsByGuid.get(guid);
  host.procsByGuid.set(guid, p);
  if (before !== p) watch(host, before);
}

function index(host: HostState, p: Proc): void {
  if (p.guid) indexGuid(host, p.guid, p);
  if (p.pid !== undefined) {
    const list = host.procsByPid.get(p.pid);
    if (!list) host.procsByPid.set(p.pid, [p]);
    else {
      list.push(p);
      if (list.length > MAX_PER_PID) watch(host, list.shift());
    }
  }
  p.inTable = true;
  place(host, p);
  host.procCount++;
}

/**
 * Puts a process that stands for something other than a started program (a flow's destination,
 * a persistence entry) into the table by its guid, so it is found again and expires like the rest.
 */
export function addProc(host: HostState, p: Proc): void {
  index(host, p);
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
  // A pid-only reference whose image disagrees is a different (reused) process.
  const key = ref.image && !ref.guid ? pathKey(ref.image) : undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const p = list[i];
    if (p.start !== undefined && p.start > time + START_JITTER_MS) continue;
    if (p.end !== undefined && p.end + END_GRACE_MS < time) continue;
    if (key !== undefined && key !== p.key) continue;
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
    seen(host, found, time);
    return found;
  }
  if (!ref?.image || (ref.guid === undefined && ref.pid === undefined)) return undefined;
  const p = newProc(host.nextProcId++, ref.image, pathKey(ref.image), time);
  p.guid = ref.guid;
  p.pid = ref.pid;
  p.commandLine = ref.commandLine;
  p.user = ref.user;
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
    seen(host, existing, ev.time);
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
    seen(host, existing, ev.time);
    return { proc: existing, fresh: false };
  }
  const p = newProc(host.nextProcId++, ev.proc.image, key, ev.time);
  p.guid = ev.proc.guid;
  p.pid = ev.proc.pid;
  p.commandLine = ev.commandLine;
  p.user = ev.user;
  p.integrity = ev.integrity;
  p.start = ev.proc.start ?? ev.time;
  p.forked = ev.forkOnly || undefined;
  p.parent = parent;
  p.hashes = ev.hashes;
  p.meta = ev.meta;
  p.startSrc = ev.src;
  p.session = ev.proc.session;
  if (parent) addChild(parent, p);
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
      indexGuid(host, p.guid, p);
    }
    return p;
  }
  return undefined;
}

export function endProc(host: HostState, ref: ProcRef, time: number): void {
  const p = findProc(host, ref, time);
  if (p) {
    if (p.end === undefined) watch(host, p);
    p.end = time;
    seen(host, p, time);
  }
}

/** Share of the process cap freed when a host goes over it. */
const EVICT_SLACK = 0.25;

/**
 * Drops processes that ended or went quiet before `horizon`, unless an agent still holds them,
 * and keeps the table under `cap` entries. Returns how many were evicted for the cap.
 * Costs what it drops: the table is a list in order of lastSeen, so the quiet ones and the cap's
 * victims are taken from its front, and only processes that ended or lost an index entry since
 * the last sweep are looked at besides (a sweep over the whole table was a sixth of a 110 MB
 * EVTX hunt held at its cap).
 */
export function expireProcs(host: HostState, horizon: number, cap: number): number {
  // One rule for every process, agent or not: quiet since the horizon, or ended before it, goes.
  // (Keeping agents' processes until they end would keep every process of a long-lived tree
  // whose exits the sensor never logs.) A dropped agent process that speaks again is found again
  // through its image: identity is by path, hash and metadata, not by the table.
  while (host.procOldest && host.procOldest.lastSeen < horizon) evict(host, host.procOldest);
  if (host.procWatch.length) host.procWatch = host.procWatch.filter((p) => stillWatched(host, p, horizon));
  if (host.procCount <= cap) return 0;
  // Cap: evict the least recently seen processes, those outside any agent's tree first, down to
  // a low-water mark, so that a host that stays busy is swept once per EVICT_SLACK new processes
  // rather than on every upkeep.
  const n = host.procCount - Math.floor(cap * (1 - EVICT_SLACK));
  let evicted = evictOldest(host, n, false);
  if (evicted < n) evicted += evictOldest(host, n - evicted, true);
  return evicted;
}

/** Evicts a watched process that ended before the horizon or lost its last index entry; false when done with it. */
function stillWatched(host: HostState, p: Proc, horizon: number): boolean {
  if (!p.inTable) return false;
  if ((p.end !== undefined && p.end < horizon) || !indexed(host, p)) {
    evict(host, p);
    return false;
  }
  return p.end !== undefined;
}

function indexed(host: HostState, p: Proc): boolean {
  if (p.guid !== undefined && host.procsByGuid.get(p.guid) === p) return true;
  return p.pid !== undefined && (host.procsByPid.get(p.pid)?.includes(p) ?? false);
}

/**
 * Evicts up to `n` of the least recently seen processes, of agents' trees or outside them.
 * Outside them, the walk starts after the front run of agents' processes the last walk passed
 * (they would be passed again: agents' processes pile up at the front of a table held at its
 * cap, and walking them was a twentieth of a 110 MB EVTX hunt).
 */
function evictOldest(host: HostState, n: number, ofAgents: boolean): number {
  let done = 0;
  let p = ofAgents ? host.procOldest : host.procAgentsUpTo ? host.procAgentsUpTo.newer : host.procOldest;
  while (p && done < n) {
    const next = p.newer;
    if ((p.agent !== undefined) === ofAgents) {
      evict(host, p);
      done++;
    }
    p = next;
  }
  // Every process before `p` it passed is an agent's (the others were evicted); a process never
  // leaves its agent, so the run stays one until a process is placed among it (place) or leaves it (unlink).
  if (!ofAgents) host.procAgentsUpTo = p ? p.older : host.procNewest;
  return done;
}

/** Removes one process from the table and from its parent's and children's links. */
function evict(host: HostState, p: Proc): void {
  if (p.guid && host.procsByGuid.get(p.guid) === p) host.procsByGuid.delete(p.guid);
  if (p.pid !== undefined) {
    const list = host.procsByPid.get(p.pid);
    const i = list ? list.indexOf(p) : -1;
    if (list && i >= 0) {
      if (list.length === 1) host.procsByPid.delete(p.pid);
      else list.splice(i, 1);
    }
  }
  if (p.parent) {
    const siblings = p.parent.children;
    const i = siblings.indexOf(p);
    if (i >= 0) siblings.splice(i, 1);
  }
  for (const c of p.children) if (c.parent === p) c.parent = undefined;
  unlink(host, p);
  p.inTable = false;
  host.procCount--;
}
