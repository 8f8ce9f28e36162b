// The networks that are not "external" when a config names none (InternalNetworks): RFC 1918,
// CGNAT, loopback, link-local, multicast, broadcast, "this network", ULA. Apart from the schema so
// the engine reads them without loading it.
export const DEFAULT_INTERNAL_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '0.0.0.0/8',
  '::1/128',
  '::/128',
  'fe80::/10',
  'fc00::/7',
  'ff00::/8',
];
