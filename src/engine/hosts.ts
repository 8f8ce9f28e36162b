// The table of hosts the engine holds state for: one canonical name per host, kept in order of
// last activity so idle hosts are found at the front, and bounded by Limits.Hosts.
import type { Platform } from '../model/event.ts';
import { LazyMap, LazySet } from './lazy-map.ts';
import type { HostState } from './state.ts';

export interface HostTable {
  /** Hosts in order of last activity (oldest first). */
  readonly hosts: Map<string, HostState>;
  /** The host an event names, created on first sight. */
  get(name: string, platform: Platform, now: number): HostState;
  /** The host a network sensor names, if it has a state already (touched as `get` touches it), else its key. */
  find(name: string): HostState | string;
}

function newHost(key: string, displayName: string, platform: Platform, now: number): HostState {
  return {
    name: key,
    displayName,
    platform,
    procsByGuid: new LazyMap(),
    procsByPid: new LazyMap(),
    procCount: 0,
    recentStarts: [],
    procSweep: now,
    procWatch: [],
    procAgentsUpTo: undefined,
    maintained: now,
    nextProcId: 1,
    agents: new LazyMap(),
    byPath: new LazyMap(),
    byHash: new LazyMap(),
    byMeta: new LazyMap(),
    byTool: new LazyMap(),
    writtenBy: new LazyMap(),
    droppedBy: new LazyMap(),
    resolvedBy: new LazyMap(),
    pendingPersistence: [],
    entries: new LazyMap(),
    flowsByProcess: new LazyMap(),
    unjoined: new LazyMap(),
    dnsNames: new LazyMap(),
    addresses: new LazySet(),
    units: { starts: [], managerStarts: [], installs: new LazyMap(), programs: new LazyMap() },
    tunnels: { procs: new LazyMap(), logins: [] },
    lastTime: now,
  };
}

/**
 * `evict` is called with the least recently active host when the table is full, before it is
 * dropped; `created` counts new host states.
 */
export function hostTable(
  maxHosts: number,
  evict: (h: HostState) => void,
  created: (h: HostState) => void,
): HostTable {
  const hosts = new Map<string, HostState>();
  // Sensors name one host "WS6" and "ws6.corp.example": a short name joins the one full name
  // seen with it; two domains' WS6 stay two hosts.
  const fullNames = new Map<string, string | null>();
  // Consecutive events mostly come from one host: remember the last lookup.
  let lastName = '';
  let last: HostState | undefined;

  function canonical(name: string): string {
    // Addresses, most of what network sensors name, are their own key.
    if (isDottedQuad(name)) return name;
    const n = name.trim().toLowerCase();
    if (/^[0-9.]+$/.test(n) || n.includes(':')) return n;
    const dot = n.indexOf('.');
    if (dot > 0) {
      const short = n.slice(0, dot);
      const known = fullNames.get(short);
      if (known === undefined) fullNames.set(short, n);
      else if (known !== null && known !== n) fullNames.set(short, null);
      return n;
    }
    return fullNames.get(n) ?? n;
  }

  function lookup(name: string, platform: Platform, now: number, create: boolean): HostState | string {
    const key = canonical(name || 'unknown');
    let h = hosts.get(key);
    if (!h) {
      if (!create) return key;
      if (hosts.size >= maxHosts) {
        const oldest = hosts.values().next().value;
        if (oldest) {
          evict(oldest);
          hosts.delete(oldest.name);
        }
      }
      h = newHost(key, name || 'unknown', platform, now);
      hosts.set(key, h);
      created(h);
    } else {
      hosts.delete(key);
      hosts.set(key, h);
      if (name.length > h.displayName.length) h.displayName = name;
      if (h.platform === 'network' && platform !== 'network') h.platform = platform;
    }
    return h;
  }

  function cached(name: string, platform: Platform, now: number, create: boolean): HostState | string {
    if (name === lastName && last?.platform === platform && hosts.get(last.name) === last) return last;
    const h = lookup(name, platform, now, create);
    if (typeof h === 'string') return h;
    last = h;
    lastName = name;
    return h;
  }

  return {
    hosts,
    get: (name, platform, now) => cached(name, platform, now, true) as HostState,
    find: (name) => cached(name, 'network', 0, false),
  };
}

/** True for a plain dotted IPv4 address (digits and three dots), which needs no canonical form. */
function isDottedQuad(s: string): boolean {
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dots++;
    else if (c < 48 || c > 57) return false;
  }
  return dots === 3;
}
