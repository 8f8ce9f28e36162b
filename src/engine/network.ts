// Which addresses are external, and which destinations are allowlisted vendor infrastructure.
// Both are configuration: labs put their "internet" on private ranges.
import ipaddr from 'ipaddr.js';
import { domainMatches } from '../catalog/match.ts';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(c: string): Range | undefined {
  try {
    if (c.includes('/')) return ipaddr.parseCIDR(c);
    const a = ipaddr.parse(c);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** Parses an address as sensors write it: IPv4, IPv6, IPv4-mapped, Sysmon's expanded IPv6. */
function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    let s = ip.trim();
    const pct = s.indexOf('%');
    if (pct > 0) s = s.slice(0, pct);
    if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
    const a = ipaddr.parse(s);
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress())
      return (a as ipaddr.IPv6).toIPv4Address();
    return a;
  } catch {
    return undefined;
  }
}

export class CidrSet {
  private v4: Range[] = [];
  private v6: Range[] = [];
  private cache = new Map<string, boolean>();
  private invalid = new Map<string, boolean>();

  constructor(cidrs: string[]) {
    for (const c of cidrs) {
      const r = parseCidr(c);
      if (!r) continue;
      (r[0].kind() === 'ipv4' ? this.v4 : this.v6).push(r);
    }
  }

  /** True when `ip` parses as an address (cached with the membership answer). */
  valid(ip: string): boolean {
    this.has(ip);
    return this.invalid.get(ip) !== true;
  }

  has(ip: string): boolean {
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit;
    const a = parseIp(ip);
    let r = false;
    if (a) {
      const list = a.kind() === 'ipv4' ? this.v4 : this.v6;
      for (const range of list)
        if (a.match(range as never)) {
          r = true;
          break;
        }
    }
    if (this.cache.size > 8192) {
      this.cache.clear();
      this.invalid.clear();
    }
    this.cache.set(ip, r);
    if (!a) this.invalid.set(ip, true);
    return r;
  }
}

export function isValidIp(ip: string): boolean {
  return parseIp(ip) !== undefined;
}

export interface Destinations {
  /** True when `ip` is outside the internal networks. Unparseable addresses are not external. */
  isExternal(ip: string): boolean;
  /** The allowlist entry that covers this destination, if any. */
  allowlisted(ip: string, name?: string): string | undefined;
}

export function destinations(internal: string[], allowCidrs: string[], allowDomains: string[]): Destinations {
  // "!10.10.10.5/32" carves an address out of the internal networks (lab C2 on a private range).
  const inside = new CidrSet(internal.filter((c) => !c.startsWith('!')));
  const carved = new CidrSet(internal.filter((c) => c.startsWith('!')).map((c) => c.slice(1)));
  const allow = new CidrSet(allowCidrs);
  return {
    isExternal(ip) {
      return inside.valid(ip) && (!inside.has(ip) || carved.has(ip));
    },
    allowlisted(ip, name) {
      if (allow.has(ip)) return `ExternalIPAllowlist CIDR covering ${ip}`;
      if (name)
        for (const d of allowDomains)
          if (domainMatches(d, name)) return `ExternalIPAllowlist domain ${d} (${name})`;
      return undefined;
    },
  };
}
