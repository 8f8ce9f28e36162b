// The SOCKADDR record's `saddr`: the raw struct sockaddr in hex, family in host byte order
// (little-endian on the x86 and ARM hosts auditd runs on), port and address in network order.

export type Sockaddr =
  | { family: 'inet' | 'inet6'; ip: string; port: number }
  | { family: 'unix' | 'netlink' | 'other'; code: number }
  | { bad: string };

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;

function hexByte(s: string, i: number): number {
  return Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
}

/** `ausearch -i` form: `{ saddr_fam=inet laddr=203.0.113.50 lport=443 }` (older: `fam=`). */
function interpretedSockaddr(s: string): Sockaddr {
  const get = (k: string) => new RegExp(`(?:^|[\\s{])${k}=([^\\s}]+)`).exec(s)?.[1];
  const fam = get('saddr_fam') ?? get('fam');
  if (fam === 'inet' || fam === 'inet6') {
    let ip = get('laddr');
    const port = Number(get('lport'));
    if (!ip || !Number.isInteger(port) || port < 0 || port > 65535)
      return { bad: `sockaddr without a usable laddr/lport: "${s.slice(0, 60)}"` };
    if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
    return { family: ip.includes(':') ? 'inet6' : 'inet', ip, port };
  }
  if (fam === 'local' || fam === 'unix') return { family: 'unix', code: AF_UNIX };
  if (fam === 'netlink') return { family: 'netlink', code: AF_NETLINK };
  return { family: 'other', code: -1 };
}

export function decodeSockaddr(hex: string): Sockaddr {
  if (hex.charCodeAt(0) === 123) return interpretedSockaddr(hex);
  if (hex.length < 4 || hex.length % 2 === 1 || !/^[0-9A-Fa-f]+$/.test(hex))
    return { bad: `saddr is not even-length hex: "${hex.slice(0, 40)}"` };
  const family = hexByte(hex, 0) | (hexByte(hex, 1) << 8);
  const bytes = hex.length / 2;
  if (family === AF_INET) {
    if (bytes < 8) return { bad: `AF_INET saddr too short (${bytes} bytes)` };
    const port = (hexByte(hex, 2) << 8) | hexByte(hex, 3);
    const ip = `${hexByte(hex, 4)}.${hexByte(hex, 5)}.${hexByte(hex, 6)}.${hexByte(hex, 7)}`;
    return { family: 'inet', ip, port };
  }
  if (family === AF_INET6) {
    if (bytes < 24) return { bad: `AF_INET6 saddr too short (${bytes} bytes)` };
    const port = (hexByte(hex, 2) << 8) | hexByte(hex, 3);
    const a = hex.slice(16, 48).toLowerCase();
    // IPv4-mapped (::ffff:a.b.c.d): report the IPv4 address, as the other sensors do.
    if (a.startsWith('00000000000000000000ffff')) {
      const ip = `${hexByte(hex, 20)}.${hexByte(hex, 21)}.${hexByte(hex, 22)}.${hexByte(hex, 23)}`;
      return { family: 'inet', ip, port };
    }
    return { family: 'inet6', ip: ipv6Text(a), port };
  }
  if (family === AF_UNIX) return { family: 'unix', code: family };
  if (family === AF_NETLINK) return { family: 'netlink', code: family };
  return { family: 'other', code: family };
}

/** 32 hex digits -> RFC 5952 text (lower case, longest zero run compressed). */
export function ipv6Text(a: string): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(Number.parseInt(a.slice(i * 4, i * 4 + 4), 16));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}
