// One spelling for the facts the catalogue compares: vendor names, file names, paths, domains.
// The same functions prepare the catalogue's indexes and the evidence from events, so a
// "ConnectWise, Inc." signer in a log meets a "connectwise inc" entry.

/** Lower-case, punctuation-free vendor or product name: "ConnectWise, Inc. " -> "connectwise inc". */
export function vendorKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[®™©"'.,()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower-case, trimmed file name or entry name. */
export function nameKey(s: string): string {
  return s.trim().toLowerCase();
}

/**
 * File names that many programs share. Naming a tool by one of these alone would name half of
 * every disk, so they are never indexed as executables or original file names.
 */
export const GENERIC_FILE_NAMES: ReadonlySet<string> = new Set([
  'agent',
  'agent.exe',
  'client',
  'client.exe',
  'server',
  'server.exe',
  'service',
  'service.exe',
  'setup',
  'setup.exe',
  'install.exe',
  'installer.exe',
  'update.exe',
  'updater.exe',
  'autoupdate.exe',
  'uninstall.exe',
  'uninst.exe',
  'launcher.exe',
  'helper.exe',
  'main.exe',
  'app.exe',
  'run.exe',
  'start.exe',
  'tray.exe',
  'rd.exe',
  'msiexec.exe',
  'rundll32.exe',
  'svchost.exe',
  'cmd.exe',
  'powershell.exe',
  'explorer.exe',
  'java.exe',
  'javaw.exe',
  'node',
  'node.exe',
  'python',
  'python.exe',
  'bash',
  'sh',
]);

/**
 * Publishers of operating systems and platforms. Their signature or company string is on
 * thousands of binaries, so it corroborates a match but never names a tool on its own.
 */
export const PLATFORM_PUBLISHERS: ReadonlySet<string> = new Set(
  [
    'Microsoft Corporation',
    'Microsoft Windows',
    'Microsoft Windows Publisher',
    'Apple Inc.',
    'Software Signing',
    'Google LLC',
    'Google Inc',
    'Amazon.com Services LLC',
    'Mozilla Corporation',
    'Oracle America, Inc.',
    'Adobe Inc.',
    'Intel Corporation',
    'win.rar GmbH',
    'Alexander Roshal',
    'The Git Development Community',
    'Python Software Foundation',
  ].map(vendorKey),
);

/** Product strings that describe an operating system, not a tool. */
export const GENERIC_PRODUCTS: ReadonlySet<string> = new Set(
  ['Microsoft Windows Operating System', 'Microsoft Windows', 'Operating System', 'Windows'].map(vendorKey),
);

/** Domain names and patterns the catalogue stores: lower-case, no trailing dot. */
// Labels may hold "_" (DNS allows it, and some vendors use it) and "*" (a glob).
export const DOMAIN_PATTERN = /^(\*\.)?([a-z0-9_*]([a-z0-9_*-]*[a-z0-9_*])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/;

/**
 * Shared clouds and CDNs. A vendor "domain" under one of these would allow or name unrelated
 * traffic, so imports drop them; a tool entry must list the vendor's own subdomain instead.
 */
export const SHARED_INFRA_DOMAINS: readonly string[] = [
  'amazonaws.com',
  'cloudfront.net',
  'azurewebsites.net',
  'azureedge.net',
  'windows.net',
  'blob.core.windows.net',
  'servicebus.windows.net',
  's3.amazonaws.com',
  'cloudapp.net',
  'cloudapp.azure.com',
  'trafficmanager.net',
  'googleapis.com',
  'googleusercontent.com',
  'appspot.com',
  'gstatic.com',
  'akamaiedge.net',
  'akamaized.net',
  'edgekey.net',
  'fastly.net',
  'cloudflare.com',
  'github.com',
  'githubusercontent.com',
  'microsoft.com',
  'live.com',
  'office.com',
  'apple.com',
  'icloud.com',
  'google.com',
  'digicert.com',
  'sectigo.com',
];

/** True when `domain` (a name or "*.name") is a whole shared cloud zone, not a vendor's part of it. */
export function isSharedInfra(domain: string): boolean {
  const d = domain.replace(/^\*\./, '');
  return SHARED_INFRA_DOMAINS.includes(d);
}

/**
 * Directory names every install path shares: a pattern made only of these says nothing, and
 * none of them narrows down which pattern an image could match.
 */
export const COMMON_DIRS = new Set([
  '',
  '*',
  'c:',
  'program files',
  'program files (x86)',
  'programdata',
  'windows',
  'system32',
  'syswow64',
  'users',
  'user',
  'appdata',
  'local',
  'roaming',
  'temp',
  'usr',
  'bin',
  'sbin',
  'opt',
  'etc',
  'var',
  'lib',
  'applications',
  'library',
  'application support',
  'home',
  'tmp',
  'private',
  'downloads',
  'desktop',
]);
