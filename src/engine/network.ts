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

/** Dotted-quad IPv4 as an unsigned 32-bit number, or -1 when `ip` is not one. No allocation. */
function ipv4(ip: string): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/** Non-IPv4 addresses whose answer is cached; cleared when full (the same peers come back). */
const MAX_CACHED = 8192;

export class CidrSet {
  /** IPv4 ranges as [first, last] numbers: the common case, checked without parsing. */
  private v4: Array<[number, number]> = [];
  private v6: Range[] = [];
  private cache = new Map<string, boolean>();
  private invalid = new Map<string, boolean>();

  constructor(cidrs: string[]) {
    for (const c of cidrs) {
      const r = parseCidr(c);
      if (!r) continue;
      if (r[0].kind() === 'ipv4') {
        const base = ipv4(r[0].toString());
        const size = 2 ** (32 - r[1]);
        const first = base - (base % size);
        this.v4.push([first, first + size - 1]);
      } else this.v6.push(r);
    }
  }

  /** True when `ip` parses as an address. */
  valid(ip: string): boolean {
    if (ipv4(ip) >= 0) return true;
    this.has(ip);
    return this.invalid.get(ip) !== true;
  }

  has(ip: string): boolean {
    const n = ipv4(ip);
    if (n >= 0) {
      for (const [first, last] of this.v4) if (n >= first && n <= last) return true;
      return false;
    }
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit;
    const a = parseIp(ip);
    let r = false;
    if (a?.kind() === 'ipv4') {
      const m = ipv4(a.toString());
      for (const [first, last] of this.v4) if (m >= first && m <= last) r = true;
    } else if (a) {
      for (const range of this.v6) if (a.match(range as never)) r = true;
    }
    if (this.cache.size > MAX_CACHED) {
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
