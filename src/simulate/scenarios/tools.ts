// The remote-access programs the scenarios inject, per platform: where they install, what their
// binaries say they are, how they persist and which relays they talk to. Facts about public
// products, written for this project; custom RATs are invented.
import type { SimImageMeta, SimPlatform } from '../model.ts';

export interface ToolOnPlatform {
  /** Installed image path (the service / unit / LaunchDaemon program). */
  installed: string;
  /** File name used when the binary is run portable from a download or temp folder. */
  portableName: string;
  meta: SimImageMeta;
  /** Arguments the installed service runs with. */
  serviceArgs: string;
  /** Service name, systemd unit or launchd label. */
  persistName: string;
  /** Relay / cloud the agent holds its session with. */
  relay: { names: string[]; prefix: string; port: number };
}

export interface SimTool {
  id: string;
  name: string;
  kind: 'commercial' | 'tunnel' | 'custom';
  on: Partial<Record<SimPlatform, ToolOnPlatform>>;
}

export const SIM_TOOLS: SimTool[] = [
  {
    id: 'anydesk',
    name: 'AnyDesk',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
        portableName: 'AnyDesk.exe',
        meta: {
          originalFileName: 'AnyDesk.exe',
          product: 'AnyDesk',
          company: 'AnyDesk Software GmbH',
          description: 'AnyDesk',
          fileVersion: '8.1.0',
        },
        serviceArgs: '--service',
        persistName: 'AnyDesk',
        relay: {
          names: ['relay-8a2f41c0.net.anydesk.com', 'boot.net.anydesk.com'],
          prefix: '195.181.174.',
          port: 443,
        },
      },
      linux: {
        installed: '/usr/bin/anydesk',
        portableName: 'anydesk',
        meta: {},
        serviceArgs: '--service',
        persistName: 'anydesk.service',
        relay: { names: ['relay-8a2f41c0.net.anydesk.com'], prefix: '195.181.174.', port: 6568 },
      },
      macos: {
        installed: '/Applications/AnyDesk.app/Contents/MacOS/AnyDesk',
        portableName: 'AnyDesk',
        meta: { signingId: 'com.philandro.anydesk', teamId: 'KU6W3B6JMZ' },
        serviceArgs: '--service',
        persistName: 'com.philandro.anydesk.service',
        relay: { names: ['relay-8a2f41c0.net.anydesk.com'], prefix: '195.181.174.', port: 6568 },
      },
    },
  },
  {
    id: 'screenconnect',
    name: 'ScreenConnect',
    kind: 'commercial',
    on: {
      windows: {
        installed:
          'C:\\Program Files (x86)\\ScreenConnect Client (5d3a2b1c9e8f7a60)\\ScreenConnect.ClientService.exe',
        portableName: 'ScreenConnect.ClientService.exe',
        meta: {
          originalFileName: 'ScreenConnect.ClientService.exe',
          product: 'ScreenConnect',
          company: 'ScreenConnect Software',
          description: 'ScreenConnect Client Service',
          fileVersion: '24.2.6.8983',
        },
        serviceArgs: '"?e=Access&y=Guest&h=instance-rx8k2a-relay.screenconnect.com&p=443&s=6f1d8a2e"',
        persistName: 'ScreenConnect Client (5d3a2b1c9e8f7a60)',
        relay: { names: ['instance-rx8k2a-relay.screenconnect.com'], prefix: '147.75.62.', port: 443 },
      },
    },
  },
  {
    id: 'teamviewer',
    name: 'TeamViewer',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files\\TeamViewer\\TeamViewer.exe',
        portableName: 'TeamViewer.exe',
        meta: {
          originalFileName: 'TeamViewer.exe',
          product: 'TeamViewer',
          company: 'TeamViewer Germany GmbH',
          description: 'TeamViewer 15',
          fileVersion: '15.59.5.0',
        },
        serviceArgs: '',
        persistName: 'TeamViewer',
        relay: {
          names: ['router15.teamviewer.com', 'master11.teamviewer.com'],
          prefix: '217.146.28.',
          port: 5938,
        },
      },
      linux: {
        installed: '/opt/teamviewer/tv_bin/teamviewerd',
        portableName: 'teamviewerd',
        meta: {},
        serviceArgs: '-d',
        persistName: 'teamviewerd.service',
        relay: { names: ['router15.teamviewer.com'], prefix: '217.146.28.', port: 5938 },
      },
      macos: {
        installed: '/Applications/TeamViewer.app/Contents/MacOS/TeamViewer',
        portableName: 'TeamViewer',
        meta: { signingId: 'com.teamviewer.TeamViewer', teamId: 'H7UGFBUGV6' },
        serviceArgs: '',
        persistName: 'com.teamviewer.teamviewer_service',
        relay: { names: ['router15.teamviewer.com'], prefix: '217.146.28.', port: 5938 },
      },
    },
  },
  {
    id: 'rustdesk',
    name: 'RustDesk',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files\\RustDesk\\rustdesk.exe',
        portableName: 'rustdesk-1.3.2-x86_64.exe',
        meta: {
          originalFileName: 'rustdesk.exe',
          product: 'RustDesk',
          company: 'Purslane Ltd',
          description: 'RustDesk Remote Desktop',
          fileVersion: '1.3.2',
        },
        serviceArgs: '--service',
        persistName: 'RustDesk',
        relay: { names: ['rs-ny.rustdesk.com'], prefix: '209.250.254.', port: 21116 },
      },
      linux: {
        installed: '/usr/bin/rustdesk',
        portableName: 'rustdesk',
        meta: {},
        serviceArgs: '--service',
        persistName: 'rustdesk.service',
        relay: { names: ['rs-ny.rustdesk.com'], prefix: '209.250.254.', port: 21116 },
      },
      macos: {
        installed: '/Applications/RustDesk.app/Contents/MacOS/RustDesk',
        portableName: 'RustDesk',
        meta: { signingId: 'com.carriez.rustdesk', teamId: 'HZF9JMC8YN' },
        serviceArgs: '--service',
        persistName: 'com.carriez.rustdesk_service',
        relay: { names: ['rs-ny.rustdesk.com'], prefix: '209.250.254.', port: 21116 },
      },
    },
  },
  {
    id: 'splashtop',
    name: 'Splashtop',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files (x86)\\Splashtop\\Splashtop Remote\\Server\\SRService.exe',
        portableName: 'SRService.exe',
        meta: {
          originalFileName: 'SRService.exe',
          product: 'Splashtop Streamer',
          company: 'Splashtop Inc.',
          description: 'Splashtop Remote Service',
          fileVersion: '3.7.2.0',
        },
        serviceArgs: '',
        persistName: 'SplashtopRemoteService',
        relay: { names: ['st-relay-us2.api.splashtop.com'], prefix: '52.53.214.', port: 443 },
      },
      macos: {
        installed: '/Applications/Splashtop Streamer.app/Contents/MacOS/Splashtop Streamer',
        portableName: 'Splashtop Streamer',
        meta: { signingId: 'com.splashtop.Splashtop-Streamer', teamId: 'CPQQ3AW49Y' },
        serviceArgs: '',
        persistName: 'com.splashtop.streamer-daemon',
        relay: { names: ['st-relay-us2.api.splashtop.com'], prefix: '52.53.214.', port: 443 },
      },
    },
  },
  {
    id: 'atera',
    name: 'Atera',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files\\ATERA Networks\\AteraAgent\\AteraAgent.exe',
        portableName: 'AteraAgent.exe',
        meta: {
          originalFileName: 'AteraAgent.exe',
          product: 'AteraAgent',
          company: 'Atera Networks Ltd',
          description: 'AteraAgent',
          fileVersion: '1.8.7.2',
        },
        serviceArgs: '',
        persistName: 'AteraAgent',
        relay: { names: ['agent-api.atera.com'], prefix: '20.42.73.', port: 443 },
      },
    },
  },
  {
    id: 'netsupport',
    name: 'NetSupport Manager',
    kind: 'commercial',
    on: {
      windows: {
        installed: 'C:\\Program Files (x86)\\NetSupport\\NetSupport Manager\\client32.exe',
        portableName: 'client32.exe',
        meta: {
          originalFileName: 'client32.exe',
          product: 'NetSupport Remote Control',
          company: 'NetSupport Ltd',
          description: 'NetSupport Client Application',
          fileVersion: '14.10.0.0',
        },
        serviceArgs: '/* ',
        persistName: 'Client32',
        relay: { names: ['geo.netsupportsoftware.com'], prefix: '62.172.138.', port: 443 },
      },
    },
  },
  {
    id: 'ngrok',
    name: 'ngrok',
    kind: 'tunnel',
    on: {
      windows: {
        installed: 'C:\\ProgramData\\ngrok\\ngrok.exe',
        portableName: 'ngrok.exe',
        meta: {
          originalFileName: 'ngrok.exe',
          product: 'ngrok',
          company: 'ngrok LLC',
          description: 'ngrok agent',
          fileVersion: '3.18.4',
        },
        serviceArgs: 'tcp 3389 --log stdout',
        persistName: 'ngrok',
        relay: { names: ['connect.ngrok-agent.com', 'tunnel.us.ngrok.com'], prefix: '3.125.223.', port: 443 },
      },
      linux: {
        installed: '/usr/local/bin/ngrok',
        portableName: 'ngrok',
        meta: {},
        serviceArgs: 'tcp 22 --log stdout',
        persistName: 'ngrok.service',
        relay: { names: ['tunnel.us.ngrok.com'], prefix: '3.125.223.', port: 443 },
      },
      macos: {
        installed: '/usr/local/bin/ngrok',
        portableName: 'ngrok',
        meta: { signingId: 'ngrok', teamId: 'TEX8MHRDQ9' },
        serviceArgs: 'tcp 22 --log stdout',
        persistName: 'com.ngrok.ngrok',
        relay: { names: ['tunnel.us.ngrok.com'], prefix: '3.125.223.', port: 443 },
      },
    },
  },
  {
    id: 'cloudflared',
    name: 'cloudflared',
    kind: 'tunnel',
    on: {
      windows: {
        installed: 'C:\\Program Files (x86)\\cloudflared\\cloudflared.exe',
        portableName: 'cloudflared-windows-amd64.exe',
        meta: {
          originalFileName: 'cloudflared.exe',
          product: 'cloudflared',
          company: 'Cloudflare, Inc.',
          description: 'Cloudflare Tunnel daemon',
          fileVersion: '2024.11.1',
        },
        serviceArgs: 'tunnel run --token eyJhIjoiZjM1',
        persistName: 'Cloudflared',
        relay: { names: ['region1.v2.argotunnel.com'], prefix: '198.41.192.', port: 7844 },
      },
      linux: {
        installed: '/usr/bin/cloudflared',
        portableName: 'cloudflared-linux-amd64',
        meta: {},
        serviceArgs: 'tunnel run --token eyJhIjoiZjM1',
        persistName: 'cloudflared.service',
        relay: { names: ['region1.v2.argotunnel.com'], prefix: '198.41.192.', port: 7844 },
      },
      macos: {
        installed: '/usr/local/bin/cloudflared',
        portableName: 'cloudflared',
        meta: { signingId: 'cloudflared', teamId: '68WVV388M8' },
        serviceArgs: 'tunnel run --token eyJhIjoiZjM1',
        persistName: 'com.cloudflare.cloudflared',
        relay: { names: ['region1.v2.argotunnel.com'], prefix: '198.41.192.', port: 7844 },
      },
    },
  },
  {
    id: 'custom',
    name: 'custom RAT',
    kind: 'custom',
    on: {
      windows: {
        installed: 'C:\\Users\\Public\\Libraries\\msedgeupd.exe',
        portableName: 'invoice_2291.exe',
        meta: {
          originalFileName: 'stub.exe',
          product: '-',
          company: '-',
          description: '-',
          fileVersion: '-',
        },
        serviceArgs: '-k',
        persistName: 'EdgeUpdateCore',
        relay: { names: [], prefix: '203.0.113.', port: 443 },
      },
      linux: {
        installed: '/var/tmp/.cache/kdevtmpfsd',
        portableName: 'kdevtmpfsd',
        meta: {},
        serviceArgs: '',
        persistName: 'dbus-helper.service',
        relay: { names: [], prefix: '198.51.100.', port: 8443 },
      },
      macos: {
        installed: '/Users/Shared/.esplistener',
        portableName: 'esplistener',
        meta: {},
        serviceArgs: '',
        persistName: 'com.apple.softwareupdate.agent',
        relay: { names: [], prefix: '192.0.2.', port: 4444 },
      },
    },
  },
];

export function simTool(id: string): SimTool {
  const t = SIM_TOOLS.find((x) => x.id === id);
  if (!t) throw new Error(`unknown simulated tool ${id}`);
  return t;
}
