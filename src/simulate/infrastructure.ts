// The simulated internet: benign clouds the fleet talks to all day (allowlisted in the eval
// config, as an operator would), ordinary web servers (not allowlisted: they never add up to a
// chain on their own), remote-access vendor relays and attacker C2. Addresses are only data;
// nothing is ever contacted. C2 uses the documentation ranges (RFC 5737).
import type { Rng } from './rng.ts';

export interface Cloud {
  id: string;
  /** Host names the fleet resolves; the first label varies. */
  names: string[];
  /** CIDR blocks the names resolve into (a /16 or /24 prefix written as "a.b." or "a.b.c."). */
  prefixes: string[];
  cidrs: string[];
  domains: string[];
}

export const BENIGN_CLOUDS: Cloud[] = [
  {
    id: 'microsoft',
    names: [
      'login.microsoftonline.com',
      'outlook.office365.com',
      'teams.microsoft.com',
      'settings-win.data.microsoft.com',
      'onedrive.live.com',
      'au.download.windowsupdate.com',
    ],
    prefixes: ['13.107.', '20.190.'],
    cidrs: ['13.107.0.0/16', '20.190.0.0/16'],
    domains: [
      '*.microsoft.com',
      '*.microsoftonline.com',
      '*.office365.com',
      '*.office.com',
      '*.live.com',
      '*.windowsupdate.com',
    ],
  },
  {
    id: 'google',
    names: [
      'www.google.com',
      'update.googleapis.com',
      'fonts.gstatic.com',
      'mail.google.com',
      'clients2.google.com',
    ],
    prefixes: ['142.250.', '142.251.'],
    cidrs: ['142.250.0.0/15'],
    domains: ['*.google.com', '*.googleapis.com', '*.gstatic.com'],
  },
  {
    id: 'apple',
    names: ['gateway.icloud.com', 'swscan.apple.com', 'push.apple.com', 'mesu.apple.com'],
    prefixes: ['17.253.', '17.57.'],
    cidrs: ['17.0.0.0/8'],
    domains: ['*.apple.com', '*.icloud.com'],
  },
  {
    id: 'zoom',
    names: ['zoom.us', 'us04web.zoom.us'],
    prefixes: ['170.114.'],
    cidrs: ['170.114.0.0/16'],
    domains: ['*.zoom.us', 'zoom.us'],
  },
  {
    id: 'dropbox',
    names: ['client.dropbox.com', 'bolt.dropbox.com'],
    prefixes: ['162.125.'],
    cidrs: ['162.125.0.0/16'],
    domains: ['*.dropbox.com'],
  },
  {
    id: 'canonical',
    names: ['archive.ubuntu.com', 'security.ubuntu.com', 'api.snapcraft.io'],
    prefixes: ['91.189.91.', '185.125.190.'],
    cidrs: ['91.189.88.0/21', '185.125.188.0/22'],
    domains: ['*.ubuntu.com', '*.snapcraft.io'],
  },
  {
    id: 'github',
    names: ['github.com', 'api.github.com', 'objects.githubusercontent.com'],
    prefixes: ['140.82.112.', '140.82.113.'],
    cidrs: ['140.82.112.0/20'],
    domains: ['github.com', '*.github.com', '*.githubusercontent.com'],
  },
];

/** Ordinary web servers (CDNs, news sites): short HTTPS, never allowlisted. */
export const WEB_PREFIXES = ['151.101.', '23.45.', '185.199.108.', '99.84.', '52.84.'];
export const WEB_NAMES = [
  'news.example.com',
  'cdn.example.net',
  'shop.example.org',
  'static.example.com',
  'www.example.org',
];

export function cloudAddress(rng: Rng, c: Cloud): { ip: string; name: string } {
  const p = rng.pick(c.prefixes);
  return { ip: fill(rng, p), name: rng.pick(c.names) };
}

export function webAddress(rng: Rng): { ip: string; name: string } {
  return { ip: fill(rng, rng.pick(WEB_PREFIXES)), name: rng.pick(WEB_NAMES) };
}

/** Completes a dotted prefix ("13.107." or "91.189.91.") to a host address. */
export function fill(rng: Rng, prefix: string): string {
  const parts = prefix.split('.').filter(Boolean).length;
  let ip = prefix;
  for (let i = parts; i < 4; i++)
    ip += `${i > parts ? '.' : ''}${i === 3 ? rng.int(1, 254) : rng.int(0, 255)}`;
  return ip;
}

/** Attacker infrastructure: documentation ranges plus a few hosting-provider-looking blocks. */
export const C2_PREFIXES = ['203.0.113.', '198.51.100.', '192.0.2.'];
