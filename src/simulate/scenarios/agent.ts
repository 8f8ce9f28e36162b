// The verbs a remote-access agent performs, one implementation per platform. Scenarios are
// written once against this interface; each verb records what that platform's sensors see.
import type { HostActivity } from '../activity.ts';
import type { SimProc } from '../model.ts';
import type { ToolOnPlatform } from './tools.ts';

export interface Relay {
  ip: string;
  name?: string;
  port: number;
}

export interface AgentOps {
  /** The user runs the binary from a download or temp folder (`path` overrides where). */
  startPortable(t: number, path?: string): SimProc;
  /** The installed copy started by the service manager (service, unit, LaunchDaemon). */
  startInstalled(t: number, path?: string): SimProc;
  /**
   * Makes the agent persistent the way its product does (service / systemd unit / launchd
   * plist), written by `proc`; with `start`, the service manager then starts the installed copy.
   */
  install(t: number, proc: SimProc, start: boolean, path?: string, name?: string): SimProc | undefined;
  /** A lighter persistence an attacker uses: Run key / user unit / LaunchAgent, no start. */
  autostart(t: number, proc: SimProc, path: string, name: string): void;
  /** Windows only: a scheduled task (schtasks.exe run by the agent, Security 4698). */
  scheduledTask?(t: number, proc: SimProc, path: string, name: string): void;
  /** A long session (durationSec) to the relay; clientHeavy = screen upload. */
  session(t: number, proc: SimProc, relay: Relay, durationSec: number, clientHeavy: boolean): void;
  /** n short connections to the relay, every intervalSec. */
  beacon(t: number, proc: SimProc, relay: Relay, n: number, intervalSec: number): void;
  /** An interactive shell spawned by the agent; suspicious = encoded/obfuscated/reverse shell. */
  shell(t: number, proc: SimProc, suspicious: boolean): void;
  /** Where the portable binary sits by default. */
  portablePath(): string;
  tool: ToolOnPlatform;
  act: HostActivity;
}

/** n short connections to the relay, every intervalSec; `dnsFirst`: the first one resolves its name. */
export function beaconRelay(
  act: HostActivity,
  t: number,
  proc: SimProc,
  relay: Relay,
  n: number,
  intervalSec: number,
  dnsFirst: boolean,
): void {
  for (let i = 0; i < n; i++)
    act.connect(
      t + i * intervalSec * 1000,
      proc,
      relay,
      relay.port,
      act.rng.int(1, 4),
      act.rng.int(300, 900),
      act.rng.int(200, 2000),
      { dns: dnsFirst && i === 0 },
    );
}

/** A long session to the relay with fixed volumes, as sensors without DNS (auditd, osquery) see it. */
export function sessionToRelay(
  act: HostActivity,
  t: number,
  proc: SimProc,
  relay: Relay,
  durationSec: number,
  clientHeavy: boolean,
): void {
  act.connect(
    t,
    proc,
    relay,
    relay.port,
    durationSec,
    clientHeavy ? 30_000_000 : 400_000,
    clientHeavy ? 700_000 : 3_000_000,
    { dns: false },
  );
}
