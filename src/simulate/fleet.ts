// The fleet: which hosts exist, their platform, address, user and role. Deterministic in the
// seed; hosts are named so a reader of a finding can tell what they are (SUP- = help desk).
import type { SimHost, SimPlatform } from './model.ts';
import { createRng } from './rng.ts';

export interface FleetOptions {
  hosts: number;
  seed: number;
  /** Start of the simulated span, ms since epoch (a midnight UTC). */
  start: number;
  /** Share of Windows, Linux and macOS hosts (normalized). */
  mix?: { windows: number; linux: number; macos: number };
  /** Share of Windows hosts that are help-desk hosts. */
  supportShare?: number;
}

export const DOMAIN = 'CORP';
export const DNS_SUFFIX = 'corp.example';

const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yuki',
];

export function buildFleet(o: FleetOptions): SimHost[] {
  const mix = o.mix ?? { windows: 0.6, linux: 0.2, macos: 0.2 };
  const total = mix.windows + mix.linux + mix.macos;
  const nWin = Math.round((o.hosts * mix.windows) / total);
  const nLin = Math.round((o.hosts * mix.linux) / total);
  const nMac = Math.max(0, o.hosts - nWin - nLin);
  const nSup = nWin === 0 ? 0 : Math.max(nWin >= 10 ? 2 : 1, Math.round(nWin * (o.supportShare ?? 0.04)));
  const rng = createRng(o.seed, 'fleet');
  const hosts: SimHost[] = [];
  const counters: Record<string, number> = {};
  const add = (platform: SimPlatform, prefix: string, support: boolean) => {
    const n = (counters[prefix] ?? 0) + 1;
    counters[prefix] = n;
    const index = hosts.length;
    const name = `${prefix}${String(n).padStart(4, '0')}`;
    const net = platform === 'windows' ? 1 : platform === 'linux' ? 2 : 3;
    hosts.push({
      index,
      name,
      fqdn: `${name}.${DNS_SUFFIX}`,
      platform,
      ip: `10.${net}.${((n + 10) >> 8) & 255}.${(n + 10) & 255}`,
      user: USERS[rng.int(0, USERS.length - 1)] + (n > USERS.length ? String(n) : ''),
      domain: DOMAIN,
      support,
      windowsFormat: n % 3 === 1 ? 'sysmon-xml' : n % 3 === 2 ? 'winlogbeat-json' : 'evtx',
      macSensor: n % 2 === 1 ? 'eslogger' : 'osquery',
      bootTime: o.start - rng.int(1, 72) * 3_600_000,
    });
  };
  for (let i = 0; i < nWin; i++) add('windows', i < nSup ? 'SUP-' : 'WS-', i < nSup);
  for (let i = 0; i < nLin; i++) add('linux', 'lnx-', false);
  for (let i = 0; i < nMac; i++) add('macos', 'mac-', false);
  return hosts;
}
