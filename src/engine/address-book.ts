// Which host holds an address, over time. Flows and network DNS name an address, not a host; the
// address book answers "whose was 10.20.40.57 at 09:14?" from what the network and the hosts
// said: DHCP leases (from their time until the lease runs out or is released) and a host's own
// use of an address as a connection's source (from then on, until another binding supersedes
// it). HostAliases in the config override both.

export type BindingSource = 'alias' | 'dhcp' | 'host';

interface Binding {
  host: string;
  from: number;
  until: number;
  via: BindingSource;
}

export interface AddressOwner {
  host: string;
  via: BindingSource;
}

export interface AddressBook {
  /** `ip` is bound to `host` from `from` until `until` (ms; Infinity when open-ended). */
  bind(ip: string, host: string, from: number, until: number, via: BindingSource): void;
  /** Ends `host`'s binding of `ip` at `time` (a DHCP RELEASE). */
  release(ip: string, host: string, time: number): void;
  /** The host that held `ip` at `time`, and what said so. */
  ownerAt(ip: string, time: number): AddressOwner | undefined;
  /** Forgets bindings that ended before `time`. */
  expire(time: number): void;
  size(): number;
}

/** Addresses remembered at once, and bindings per address (older ones are dropped first). */
const MAX_ADDRESSES = 65_536;
const MAX_BINDINGS_PER_ADDRESS = 8;

/**
 * `leadMs`: a binding may start this long after a flow it covers (rule pack
 * egress.thresholds.lease_lead_ms).
 */
export function addressBook(aliases: Record<string, string>, leadMs: number): AddressBook {
  const fixed = new Map(Object.entries(aliases));
  const byIp = new Map<string, Binding[]>();

  function bind(ip: string, host: string, from: number, until: number, via: BindingSource): void {
    let list = byIp.get(ip);
    if (!list) {
      if (byIp.size >= MAX_ADDRESSES) byIp.delete(byIp.keys().next().value!);
      list = [];
      byIp.set(ip, list);
    }
    const same = list.find((b) => b.host === host && b.via === via);
    if (same && same.until >= from - leadMs) {
      // A renewal or a repeated sighting extends the binding it continues.
      same.until = Math.max(same.until, until);
      return;
    }
    list.push({ host, from, until, via });
    if (list.length > MAX_BINDINGS_PER_ADDRESS) list.shift();
  }

  return {
    bind,
    release(ip, host, time) {
      for (const b of byIp.get(ip) ?? []) if (b.host === host && b.until > time) b.until = time;
    },
    ownerAt(ip, time) {
      const alias = fixed.get(ip);
      if (alias) return { host: alias, via: 'alias' };
      let best: Binding | undefined;
      for (const b of byIp.get(ip) ?? []) {
        if (b.from - leadMs > time || b.until < time) continue;
        if (!best || b.from > best.from) best = b;
      }
      return best ? { host: best.host, via: best.via } : undefined;
    },
    expire(time) {
      for (const [ip, list] of byIp) {
        const kept = list.filter((b) => b.until >= time);
        if (kept.length === 0) byIp.delete(ip);
        else if (kept.length < list.length) byIp.set(ip, kept);
      }
    },
    size: () => byIp.size,
  };
}
