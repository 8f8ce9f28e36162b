// The injected scenarios: each kind writes one agent's chain onto one host and returns the
// ground-truth label saying what DET0496 should conclude from exactly that telemetry.
import type { HostActivity } from '../activity.ts';
import { fill } from '../infrastructure.ts';
import type { SimProc } from '../model.ts';
import { expectedSeverity, expectedStatus, type ScenarioKind, type Step, type TruthLabel } from '../truth.ts';
import type { AgentOps, Relay } from './agent.ts';
import { linuxAgent } from './linux-agent.ts';
import { macosAgent } from './macos-agent.ts';
import { type SimTool, simTool } from './tools.ts';
import { windowsAgent } from './windows-agent.ts';

export interface ScenarioPlan {
  id: string;
  kind: ScenarioKind;
  tool: string;
  hostIndex: number;
  start: number;
}

const MIN = 60_000;

/** Renamed copies an attacker hides an agent under. */
const RENAMED: Record<string, string> = {
  windows: 'C:\\ProgramData\\svchost32.exe',
  linux: '/tmp/.X11-unix/Xsession',
  macos: '/private/tmp/.softwareupdated',
};

function agentOps(act: HostActivity, tool: SimTool): AgentOps {
  const on = tool.on[act.host.platform];
  if (!on) throw new Error(`${tool.id} has no ${act.host.platform} profile`);
  const binary = `${tool.id}/${act.host.platform}`;
  if (act.host.platform === 'windows') return windowsAgent(act, on, binary);
  if (act.host.platform === 'linux') return linuxAgent(act, on, binary);
  return macosAgent(act, on, binary);
}

function relayFor(act: HostActivity, ops: AgentOps, custom: boolean): Relay {
  const r = ops.tool.relay;
  // Custom RATs talk to a bare address; vendors to a named relay (Sysmon records the name).
  return {
    ip: fill(act.rng, r.prefix),
    name: custom || r.names.length === 0 ? undefined : act.rng.pick(r.names),
    port: r.port,
  };
}

/** Writes the scenario into the host's activity and returns its label. */
export function inject(act: HostActivity, plan: ScenarioPlan): TruthLabel {
  const tool = simTool(plan.tool);
  const ops = agentOps(act, tool);
  const { host, rng } = act;
  const t0 = plan.start;
  const custom = tool.kind === 'custom';
  const relay = relayFor(act, ops, custom);
  const images: string[] = [];
  const steps = new Set<Step>();
  const mods = new Set<string>();
  let approvedAndClean = false;
  /** Persistence only by writing a plist/unit/Run key, with no launchctl/systemctl/service record. */
  let fileOnlyPersistence = false;
  let end = t0;
  let why = '';
  const note = (p: SimProc | undefined) => {
    if (p && !images.includes(p.image)) images.push(p.image);
    return p;
  };
  const userWritable = (p: string) =>
    /\\(downloads|appdata\\local\\temp|desktop)\\|^c:\\(programdata\\[^\\]+\.exe$|users\\public\\)|^\/(tmp|var\/tmp|private\/tmp|users\/[^/]+\/(downloads|desktop))\//i.test(
      p,
    );
  const flagImage = (p: SimProc) => {
    if (userWritable(p.image)) mods.add('temp_path');
    const ofn = p.meta?.originalFileName;
    const base = p.image.slice(Math.max(p.image.lastIndexOf('\\'), p.image.lastIndexOf('/')) + 1);
    if (
      ofn &&
      ofn !== '-' &&
      ofn.toLowerCase().replace(/\.exe$/, '') !== base.toLowerCase().replace(/\.exe$/, '')
    )
      mods.add('renamed');
    if (p.integrity === 'Medium' && !host.support) mods.add('standard_user');
  };
  if (custom) mods.add('unknown_tool');

  switch (plan.kind) {
    case 'rmm-full': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      const inst = note(ops.install(t0 + 20_000, p, true))!;
      ops.session(t0 + 30_000, inst, relay, rng.int(40, 90) * 60, true);
      mods.add('client_heavy');
      ops.shell(t0 + 4 * MIN, inst, false);
      steps.add('execution').add('persistence').add('egress').add('control');
      end = t0 + 6 * MIN;
      why =
        'run from a download or temp folder, installs its service, holds a long client-heavy session to its relay, opens a shell: the full chain';
      break;
    }
    case 'rmm-portable': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      ops.session(t0 + 15_000, p, relay, rng.int(20, 60) * 60, true);
      mods.add('client_heavy');
      ops.shell(t0 + 5 * MIN, p, false);
      steps.add('execution').add('egress').add('control');
      end = t0 + 7 * MIN;
      why = 'portable run without persistence: start, long session, shell (three steps)';
      break;
    }
    case 'rmm-renamed': {
      const path = RENAMED[host.platform];
      const p = note(ops.startPortable(t0, path))!;
      flagImage(p);
      fileOnlyPersistence = true;
      ops.autostart(
        t0 + 40_000,
        p,
        path,
        host.platform === 'windows'
          ? 'WindowsHelper'
          : host.platform === 'linux'
            ? 'xsession.service'
            : 'com.apple.softwareupdated',
      );
      ops.beacon(t0 + MIN, p, relay, 8, 45);
      ops.shell(t0 + 8 * MIN, p, true);
      mods.add('suspicious_child');
      if (host.platform !== 'windows' && !p.meta?.signingId) mods.add('unknown_tool');
      steps.add('execution').add('persistence').add('egress').add('control');
      end = t0 + 10 * MIN;
      why =
        'renamed binary in a hidden or shared folder, autostart entry, repeated connections, suspicious shell';
      break;
    }
    case 'rmm-session-only': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      ops.session(t0 + 20_000, p, relay, rng.int(15, 40) * 60, false);
      steps.add('execution').add('egress');
      end = t0 + 2 * MIN;
      why = 'a portable remote session with no persistence and no shell: two steps, a low signal only';
      break;
    }
    case 'tunnel': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      const inst = note(ops.install(t0 + 30_000, p, true))!;
      ops.session(t0 + 45_000, inst, relay, rng.int(60, 240) * 60, false);
      steps.add('execution').add('persistence').add('egress');
      end = t0 + 3 * MIN;
      why = 'tunnel client installed as a service holding a long session to the tunnel edge';
      break;
    }
    case 'custom-rat': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      // Copies itself somewhere quieter and registers that copy to start again.
      act.file(t0 + 15_000, p, ops.tool.installed);
      if (!images.includes(ops.tool.installed)) images.push(ops.tool.installed);
      if (ops.scheduledTask) ops.scheduledTask(t0 + 20_000, p, ops.tool.installed, ops.tool.persistName);
      else {
        fileOnlyPersistence = true;
        ops.autostart(t0 + 20_000, p, ops.tool.installed, ops.tool.persistName);
      }
      ops.beacon(t0 + 30_000, p, relay, 10, 30);
      ops.shell(t0 + 6 * MIN, p, true);
      mods.add('suspicious_child');
      steps.add('execution').add('persistence').add('egress').add('control');
      end = t0 + 8 * MIN;
      why =
        'unknown binary from a user-writable path, autostart entry, beaconing to a bare IP, suspicious shell';
      break;
    }
    case 'custom-rat-portable': {
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      ops.beacon(t0 + 10_000, p, relay, 7, 60);
      ops.shell(t0 + 3 * MIN, p, true);
      mods.add('suspicious_child');
      steps.add('execution').add('egress').add('control');
      end = t0 + 8 * MIN;
      why = 'unknown binary, beaconing, suspicious shell, no persistence';
      break;
    }
    case 'spread-beyond-window': {
      // Each pair of later steps is more than one TimeWindow after the previous ones: no window
      // ever holds more than the first two (start and a session that ends before the rest).
      const p = note(ops.startPortable(t0))!;
      flagImage(p);
      ops.session(t0 + MIN, p, relay, 6 * 60, false);
      const path = ops.portablePath();
      ops.autostart(
        t0 + 35 * MIN,
        p,
        path,
        host.platform === 'linux' ? 'agent-helper.service' : 'AgentHelper',
      );
      ops.shell(t0 + 70 * MIN, p, false);
      steps.add('execution').add('egress');
      end = t0 + 72 * MIN;
      why =
        'start and session, persistence 35 min later, shell 70 min later: at most two steps in any 15-minute window';
      break;
    }
    case 'approved-helpdesk': {
      const p = note(ops.startInstalled(t0))!;
      ops.session(t0 + 10_000, p, relay, rng.int(20, 50) * 60, true);
      ops.shell(t0 + 3 * MIN, p, false);
      approvedAndClean = true;
      steps.add('execution').add('egress').add('control');
      end = t0 + 5 * MIN;
      why =
        'approved help-desk TeamViewer on a support host, from its approved path, to vendor relays, plain cmd: suppressed';
      break;
    }
    case 'approved-misuse': {
      const path = `C:\\Users\\${host.user}\\AppData\\Local\\Temp\\TeamViewer\\TeamViewer.exe`;
      const p = note(ops.startPortable(t0, path))!;
      flagImage(p);
      ops.session(t0 + 10_000, p, relay, rng.int(20, 50) * 60, false);
      ops.shell(t0 + 2 * MIN, p, true);
      mods.add('suspicious_child');
      steps.add('execution').add('egress').add('control');
      end = t0 + 4 * MIN;
      why =
        'approved tool, but from a temp path and spawning encoded PowerShell: the approval does not cover it';
      break;
    }
  }
  // osquery's file_events name no process: on a Mac with osquery alone, a LaunchAgent written by
  // the agent is visible but cannot be tied to it (no BTM item, no launchctl exec).
  if (fileOnlyPersistence && host.platform === 'macos' && host.macSensor === 'osquery') {
    steps.delete('persistence');
    why += ' (osquery alone: the plist is seen, but not who wrote it)';
  }
  if (!custom) mods.add('known_tool');
  const status = expectedStatus(steps.size, approvedAndClean);
  const modifiers = [...mods].sort();
  return {
    id: plan.id,
    kind: plan.kind,
    tool: tool.id,
    host: host.name,
    platform: host.platform,
    images,
    destinations: [relay.ip],
    steps: [...steps],
    expect: status,
    severity: expectedSeverity(steps.size, modifiers, status),
    modifiers,
    start: t0,
    end,
    why,
  };
}
