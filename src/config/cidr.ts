// Addresses and CIDR blocks as the config and --internal take them ("10.0.0.0/8", "fd00::/8",
// "!10.1.2.3/32" to carve one out), checked with ipaddr.js: a typo must be an error, not a block
// that silently matches nothing.
import ipaddr from 'ipaddr.js';

const EXAMPLES = 'write e.g. 10.0.0.0/8, 2001:db8::/32, or !10.1.2.3/32 to carve one out';

/** Why `text` is not an address or CIDR block, in plain words; undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const [addr, prefix, ...more] = text.trim().replace(/^!/, '').split('/');
  if (more.length) return `"${text}" has more than one "/"; ${EXAMPLES}`;
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(addr);
  if (!v4 && !ipaddr.IPv6.isValid(addr)) {
    if (/^[\d.]+$/.test(addr))
      return `"${addr}" is not an IPv4 address: write four numbers from 0 to 255 with dots between (no leading zeros)`;
    return `"${addr}" is not an IP address; ${EXAMPLES}`;
  }
  if (prefix === undefined) return undefined;
  const bits = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)
    return `the prefix length after "/" must be a whole number from 0 to ${bits} for an IPv${v4 ? 4 : 6} address, not "${prefix}"`;
  return undefined;
}
