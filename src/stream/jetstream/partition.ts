// Which partition an event belongs to. Every event of a host must meet the same worker, because
// the engine's state is per host: the key is the host's short name (case and domain dropped), so
// every spelling of a host ("WS6", "ws6.corp.example") meets the same worker, where the engine
// tells two domains' WS6 apart. Network flows carry no host of their own, so they are routed
// the way the engine joins them: by the configured HostAliases, then by addresses learned from
// hosts' own connections, then by the flow's source address.
import type { Config } from '../../config/schema.ts';
import { DEFAULT_INTERNAL_NETWORKS } from '../../config/schema.ts';
import { destinations } from '../../engine/network.ts';
import type { RatEvent } from '../../model/event.ts';

/** Partition key of a host name: lower case, domain stripped, IP addresses kept whole. */
export function canonicalHost(name: string): string {
  const n = (name || 'unknown').trim().toLowerCase();
  if (/^[0-9.]+$/.test(n) || n.includes(':')) return n;
  const dot = n.indexOf('.');
  return dot > 0 ? n.slice(0, dot) : n;
}

/** FNV-1a, 32 bit: stable across processes and versions (never Math.random or a seeded hash). */
export function partitionOf(hostKey: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < hostKey.length; i++) {
    h ^= hostKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % partitions;
}

export interface Router {
  /** Host key the event is routed by. */
  hostKey(ev: RatEvent): string;
  partition(ev: RatEvent): number;
}

const MAX_LEARNED = 100_000;

export function createRouter(config: Config, partitions: number): Router {
  const aliases = new Map<string, string>();
  for (const [ip, h] of Object.entries(config.HostAliases)) aliases.set(ip, canonicalHost(h));
  const learned = new Map<string, string>();
  const dest = destinations(config.InternalNetworks ?? DEFAULT_INTERNAL_NETWORKS, [], []);

  const learn = (ip: string, host: string) => {
    if (learned.size >= MAX_LEARNED) learned.delete(learned.keys().next().value!);
    learned.set(ip, canonicalHost(host));
  };
  const hostKey = (ev: RatEvent): string => {
    // A lease names the host that holds an address: its flows follow it to that host's partition.
    if (ev.kind === 'lease') {
      learn(ev.ip, ev.host);
      return canonicalHost(ev.host);
    }
    if (ev.kind === 'dns' && ev.clientIp !== undefined)
      return aliases.get(ev.clientIp) ?? learned.get(ev.clientIp) ?? canonicalHost(ev.clientIp);
    if (ev.kind === 'network') {
      if (ev.flow) {
        const h = aliases.get(ev.srcIp) ?? learned.get(ev.srcIp);
        return h ?? canonicalHost(ev.host && ev.host !== ev.srcIp ? ev.host : ev.srcIp);
      }
      // A host's own outbound connection tells which host owns its source address.
      if (
        ev.direction !== 'inbound' &&
        ev.srcIp &&
        !dest.isExternal(ev.srcIp) &&
        !/^(127\.|::1$|0\.0\.0\.0|::$)/.test(ev.srcIp) &&
        !learned.has(ev.srcIp)
      )
        learn(ev.srcIp, ev.host);
    }
    return canonicalHost(ev.host);
  };
  return { hostKey, partition: (ev) => partitionOf(hostKey(ev), partitions) };
}
