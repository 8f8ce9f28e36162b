// The messages Linux services log about units and logins, as text: systemd's unit lifecycle
// lines ("Starting X...", "Started X.", "Reloading.") and sshd's "Accepted ... from ADDR port N".
// The same text reaches journald, syslog files and syslog JSON, so the parsing lives here once.
import type { ServiceAction } from '../../model/event.ts';

export interface UnitMessage {
  action: ServiceAction;
  /** Unit name when the message names it (systemd 249+: "Started x.service - Description."). */
  unit?: string;
  description?: string;
  /** A manager reload: the client that asked for it ("Reloading requested from client PID N ('comm')"). */
  clientPid?: number;
  clientComm?: string;
  /** The unit the client runs in (a login session's scope, a service). */
  clientUnit?: string;
}

const UNIT_NAME =
  /^(\S+\.(?:service|socket|timer|path|mount|target|scope|slice|device|automount|swap)) - (.*)$/;
const LIFECYCLE: Array<[RegExp, ServiceAction]> = [
  [/^Started (.+)\.$/s, 'started'],
  [/^Starting (.+?)(?:\.\.\.|\u2026)$/s, 'starting'],
  [/^Stopped (.+)\.$/s, 'stopped'],
  [/^Failed to start (.+)\.$/s, 'failed'],
  [/^Reloading (.+?)(?:\.\.\.|\u2026)$/s, 'reloading'],
];
// "Reloading." (systemd < 253); "Reloading requested from client PID 4121 ('systemctl') (unit
// session-7.scope)..." then "Reloading..." (253 and later).
const MANAGER_RELOAD =
  /^Reloading(?:\.|\.\.\.|\u2026| requested from client PID (\d+)(?: \('([^']*)'\))?(?: \(unit (\S+)\))?(?:\.\.\.|\u2026)?)$/;

/** A systemd manager's message about a unit or about reloading itself; undefined for others. */
export function parseUnitMessage(message: string): UnitMessage | undefined {
  const reload = MANAGER_RELOAD.exec(message);
  if (reload) {
    const m: UnitMessage = { action: 'reloading' };
    if (reload[1]) m.clientPid = Number(reload[1]);
    if (reload[2]) m.clientComm = reload[2];
    if (reload[3]) m.clientUnit = reload[3];
    return m;
  }
  for (const [re, action] of LIFECYCLE) {
    const m = re.exec(message);
    if (!m) continue;
    const named = UNIT_NAME.exec(m[1]);
    return named ? { action, unit: named[1], description: named[2] } : { action, description: m[1] };
  }
  return undefined;
}

export interface AcceptedLogin {
  method: string;
  user: string;
  ip: string;
  port: number;
}

const ACCEPTED = /^Accepted (\S+) for (\S+) from (\S+) port (\d{1,5})\b/;

/** sshd's "Accepted publickey for alice from 198.51.100.23 port 50122 ssh2: ..." line. */
export function parseAcceptedLogin(message: string): AcceptedLogin | undefined {
  const m = ACCEPTED.exec(message);
  if (!m) return undefined;
  const port = Number(m[4]);
  if (port > 65535) return undefined;
  return { method: m[1], user: m[2], ip: m[3], port };
}

/** Programs whose "Accepted" lines are ssh logins (OpenSSH 9.8 moved them to sshd-session). */
export const SSHD_IDENTIFIERS = new Set(['sshd', 'sshd-session']);
