// The ratchain configuration that fits a simulated fleet, as an operator of that fleet would
// write it: host addresses for flow joins, the help-desk hosts and their approved tool, the
// clouds the fleet uses every day, and the editor's shells as acceptable children.
import { stringify } from 'yaml';
import type { ConfigInput } from '../config/schema.ts';
import { BENIGN_CLOUDS } from './infrastructure.ts';
import type { SimHost } from './model.ts';

export function fleetConfig(hosts: SimHost[]): ConfigInput {
  const aliases: Record<string, string> = {};
  for (const h of hosts) aliases[h.ip] = h.name.toLowerCase();
  return {
    TimeWindow: '15m',
    MinSteps: 3,
    HostAliases: aliases,
    UserContext: { SupportHosts: ['^sup-'] },
    ProcessAllowlist: [
      {
        tool: 'teamviewer',
        hosts: ['^sup-'],
        paths: [String.raw`^c:\\program files( \(x86\))?\\teamviewer\\`],
        note: 'help-desk remote support',
      },
    ],
    ExternalIPAllowlist: {
      cidrs: BENIGN_CLOUDS.flatMap((c) => c.cidrs),
      domains: BENIGN_CLOUDS.flatMap((c) => c.domains),
    },
    ShellSpawnRegex: {
      acceptable: [{ parent: String.raw`\\code\.exe$`, child: String.raw`\\(powershell|pwsh|cmd)\.exe$` }],
    },
  };
}

export function fleetConfigYaml(hosts: SimHost[]): string {
  return `# ratchain configuration for a simulated fleet (written by \`ratchain simulate\`).\n${stringify(fleetConfig(hosts), { lineWidth: 0 })}`;
}
