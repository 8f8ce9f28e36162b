// A remote-access agent on Linux as auditd sees it: execve with its parent, the unit file it
// writes under a systemd directory, `systemctl enable`, systemd (PID 1) starting it, connect().
import type { HostActivity } from '../activity.ts';
import { type AgentOps, beaconRelay, sessionToRelay } from './agent.ts';
import type { ToolOnPlatform } from './tools.ts';

export function linuxAgent(act: HostActivity, tool: ToolOnPlatform, binary: string): AgentOps {
  const { host } = act;
  const portablePath = () => `/tmp/${tool.portableName}`;
  const root = { user: 'root', uid: 0, binary, integrity: 'High' as const };
  const ops: AgentOps = {
    tool,
    act,
    portablePath,
    startPortable(t, path = portablePath()) {
      const sudo = act.spawn(t - 1500, act.shell, '/usr/bin/sudo', `sudo ${path}`, { user: 'root', uid: 0 });
      return act.spawn(t, sudo, path, `${path}`, { ...root, cwd: `/home/${host.user}` });
    },
    startInstalled(t, path = tool.installed) {
      return act.spawn(t, act.init, path, `${path} ${tool.serviceArgs}`.trim(), { ...root, cwd: '/' });
    },
    install(t, proc, start, path = tool.installed, name = tool.persistName) {
      if (path !== proc.image) act.file(t, proc, path);
      act.file(t + 300, proc, `/etc/systemd/system/${name}`);
      const ctl = act.spawn(t + 800, proc, '/usr/bin/systemctl', `systemctl enable --now ${name}`, {
        user: 'root',
        uid: 0,
      });
      act.end(t + 1500, ctl);
      if (!start) return undefined;
      act.unit(t + 2000, name.replace(/\.service$/, ''));
      return ops.startInstalled(t + 2000, path);
    },
    autostart(t, proc, _path, name) {
      act.file(t, proc, `/home/${host.user}/.config/systemd/user/${name}`);
      const ctl = act.spawn(t + 500, proc, '/usr/bin/systemctl', `systemctl --user enable ${name}`, {
        user: host.user,
        uid: 1000,
      });
      act.end(t + 900, ctl);
    },
    session(t, proc, relay, durationSec, clientHeavy) {
      sessionToRelay(act, t, proc, relay, durationSec, clientHeavy);
    },
    beacon(t, proc, relay, n, intervalSec) {
      beaconRelay(act, t, proc, relay, n, intervalSec, false);
    },
    shell(t, proc, suspicious) {
      const sh = suspicious
        ? act.spawn(t, proc, '/usr/bin/bash', 'bash -i', {})
        : act.spawn(t, proc, '/usr/bin/bash', '/bin/bash', {});
      const c = act.spawn(t + 3000, sh, '/usr/bin/id', 'id', {});
      act.end(t + 3100, c);
      const u = act.spawn(t + 6000, sh, '/usr/bin/uname', 'uname -a', {});
      act.end(t + 6100, u);
      act.end(t + 90_000, sh);
    },
  };
  return ops;
}
