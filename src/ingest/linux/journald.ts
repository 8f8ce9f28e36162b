// The systemd journal as `journalctl -o json` prints it: one JSON object per line, every value a
// string (binary values as arrays of byte numbers, repeated fields as arrays of values, values
// too large to print as null), `__REALTIME_TIMESTAMP` in microseconds since the epoch, trusted
// fields (`_PID`, `_EXE`, `_CMDLINE`, `_SYSTEMD_UNIT`, `_HOSTNAME`, ...) added by journald
// itself. Field order differs between systemd versions, so nothing depends on it.
//
// Three facts are read (and Sysmon for Linux events, which reach the journal through syslog,
// are read as the sysmon-linux reader reads them); the rest is counted as ignored:
// - unit lifecycle: the service manager's "Starting X...", "Started X.", "Reloading." lines
//   (PID 1, or a user's `systemd --user` with USER_UNIT), the unit from UNIT/USER_UNIT;
// - which unit a process runs in: `_SYSTEMD_UNIT`/`_SYSTEMD_USER_UNIT` of any entry a service's
//   process wrote, once per process;
// - logins: sshd "Accepted ... for USER from ADDR port N", with the login session when
//   systemd-logind names it ("New session N of user U.", LEADER = the sshd that accepted).
import type { LoginEvent, ProcRef, ServiceEvent, SourceRef } from '../../model/event.ts';
import { type Obj, obj } from '../macos/json-fields.ts';
import { ndjsonLines } from '../macos/ndjson-lines.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { emitSysmonLinuxXml } from './sysmon-linux.ts';
import { parseAcceptedLogin, parseUnitMessage, SSHD_IDENTIFIERS } from './system-messages.ts';

export const JOURNALD_FORMAT = 'journald-json';

/** Longest MESSAGE parsed for unit and login facts; real ones are a line of text. */
const MAX_MESSAGE = 4096;
/** (host, unit, pid) triples remembered so each process-in-unit fact is emitted once. */
const MAX_SEEN_PROCESSES = 8192;
/** Accepted logins waiting for logind to name their session, and how long they wait (ms). */
const MAX_PENDING_LOGINS = 256;
const SESSION_WAIT_MS = 10_000;

/** A journal value as text: strings as they are, byte arrays decoded, the first of repeated values. */
export function journalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (typeof v[0] === 'string') return v[0];
  if (v.length > 1 << 20 || !v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return undefined;
  return Buffer.from(v as number[]).toString('utf8');
}

function journalInt(v: unknown): number | undefined {
  const s = journalText(v);
  if (s === undefined || !/^\d{1,16}$/.test(s)) return undefined;
  return Number(s);
}

/** ms since the epoch from `__REALTIME_TIMESTAMP` (µs), or the sender's own `_SOURCE_REALTIME_TIMESTAMP`. */
function entryTime(e: Obj): number | undefined {
  const us = journalInt(e.__REALTIME_TIMESTAMP) ?? journalInt(e._SOURCE_REALTIME_TIMESTAMP);
  return us === undefined ? undefined : Math.floor(us / 1000);
}

/** The process that wrote the entry, from journald's trusted fields. */
function writer(e: Obj): ProcRef {
  const ref: ProcRef = {};
  const pid = journalInt(e._PID);
  if (pid !== undefined) ref.pid = pid;
  const image = journalText(e._EXE);
  if (image) ref.image = image;
  const cmd = journalText(e._CMDLINE);
  if (cmd) ref.commandLine = cmd;
  const uid = journalText(e._UID);
  if (uid !== undefined) ref.user = uid;
  const session = journalText(e._AUDIT_SESSION);
  if (session !== undefined && session !== '4294967295') ref.session = session;
  return ref;
}

interface PendingLogin {
  event: LoginEvent;
  key: string;
}

class JournalEvents {
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, PendingLogin>();

  constructor(private readonly ctx: DecodeContext) {}

  entry(value: unknown, line: number): void {
    const e = obj(value);
    if (!e) {
      this.ctx.problem('journal entry is not a JSON object; skipped', { line });
      return;
    }
    const time = entryTime(e);
    if (time === undefined) {
      this.ctx.problem('journal entry without a usable __REALTIME_TIMESTAMP; skipped', { line });
      return;
    }
    this.flushPending(time);
    const host = journalText(e._HOSTNAME) ?? '';
    const src: SourceRef = { file: this.ctx.file, format: JOURNALD_FORMAT, line };
    const cursor = journalText(e.__CURSOR);
    if (cursor) src.record = cursor;
    const ident = journalText(e.SYSLOG_IDENTIFIER);
    if (ident) src.eventId = ident;
    const base = { time, host, platform: 'linux' as const, src };
    let used = this.processInUnit(e, base);
    const message = journalText(e.MESSAGE);
    if (message !== undefined && (message.length <= MAX_MESSAGE || ident === 'sysmon')) {
      if (ident === 'sysmon' && message.startsWith('<Event')) {
        // Sysmon for Linux logs through syslog, so its events sit in the journal too.
        emitSysmonLinuxXml(message, line, this.ctx, JOURNALD_FORMAT);
        return;
      }
      if (ident === 'systemd') used = this.unitLifecycle(e, message, base) || used;
      else if (ident && SSHD_IDENTIFIERS.has(ident)) used = this.accepted(e, message, base) || used;
      else if (ident === 'systemd-logind') used = this.newSession(e, host) || used;
    }
    if (!used) this.ctx.ignored();
  }

  private unitLifecycle(
    e: Obj,
    message: string,
    base: Omit<ServiceEvent, 'kind' | 'action' | 'scope'>,
  ): boolean {
    const m = parseUnitMessage(message);
    if (!m) return false;
    const pid = journalInt(e._PID);
    const userUnit = journalText(e.USER_UNIT);
    const scope = pid === 1 || !userUnit ? 'system' : 'user';
    const name = (scope === 'user' ? userUnit : journalText(e.UNIT)) ?? m.unit;
    if (m.action !== 'reloading' && !name) return false; // "Started Session 3 of User alice." has UNIT; others name nothing
    const ev: ServiceEvent = { ...base, kind: 'service', action: m.action, scope, manager: writer(e) };
    if (name) ev.name = name;
    if (m.clientPid !== undefined) ev.requestedBy = { pid: m.clientPid, image: m.clientComm };
    this.ctx.emit(ev);
    return true;
  }

  private processInUnit(
    e: Obj,
    base: { time: number; host: string; platform: 'linux'; src: SourceRef },
  ): boolean {
    const userUnit = journalText(e._SYSTEMD_USER_UNIT);
    const unit = userUnit ?? journalText(e._SYSTEMD_UNIT);
    const proc = writer(e);
    // The manager itself (PID 1, init.scope) and session scopes say nothing about a service.
    if (!unit?.endsWith('.service') || !proc.image || proc.pid === undefined || proc.pid === 1) return false;
    if (unit.startsWith('user@') && !userUnit) return false; // the user manager itself
    const key = `${base.host}\u0000${unit}\u0000${proc.pid}\u0000${proc.image}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > MAX_SEEN_PROCESSES) this.seen.delete(this.seen.values().next().value as string);
    this.ctx.emit({
      ...base,
      kind: 'unit_process',
      unit,
      scope: userUnit ? 'user' : 'system',
      proc: { ...proc, image: proc.image },
    });
    return true;
  }

  /** Held until logind names the session (or a few seconds pass), then emitted. */
  private accepted(
    e: Obj,
    message: string,
    base: { time: number; host: string; platform: 'linux'; src: SourceRef },
  ): boolean {
    const a = parseAcceptedLogin(message);
    if (!a) return false;
    const proc = writer(e);
    const event: LoginEvent = {
      ...base,
      kind: 'login',
      user: a.user,
      srcIp: a.ip,
      srcPort: a.port,
      method: a.method,
      service: 'sshd',
    };
    if (proc.pid !== undefined) event.proc = proc;
    if (proc.session) event.session = proc.session;
    if (event.session || proc.pid === undefined) {
      this.ctx.emit(event);
      return true;
    }
    const key = `${base.host}\u0000${proc.pid}`;
    this.pending.set(key, { event, key });
    if (this.pending.size > MAX_PENDING_LOGINS) this.release(this.pending.keys().next().value as string);
    return true;
  }

  /** systemd-logind's "New session 12 of user alice." names the session whose LEADER accepted the login. */
  private newSession(e: Obj, host: string): boolean {
    const leader = journalInt(e.LEADER);
    const session = journalText(e.SESSION_ID);
    if (leader === undefined || !session) return false;
    const key = `${host}\u0000${leader}`;
    const p = this.pending.get(key);
    if (!p) return false;
    p.event.session = session;
    if (p.event.proc) p.event.proc.session = session;
    this.release(key);
    return true;
  }

  private release(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.ctx.emit(p.event);
  }

  private flushPending(now: number): void {
    for (const [key, p] of this.pending) {
      if (now - p.event.time < SESSION_WAIT_MS) break;
      this.release(key);
    }
  }

  end(): void {
    for (const key of [...this.pending.keys()]) this.release(key);
  }
}

export function journaldDecoder(ctx: DecodeContext): LineDecoder {
  const events = new JournalEvents(ctx);
  const lines = ndjsonLines(ctx, (v, line) => events.entry(v, line));
  return {
    mode: 'lines',
    line: (text, n) => lines.line(text, n),
    end() {
      lines.end();
      events.end();
    },
  };
}

const JOURNAL_KEYS = /"(?:__REALTIME_TIMESTAMP|__CURSOR|__MONOTONIC_TIMESTAMP|_BOOT_ID)"\s*:\s*"/g;

export const journald: Format = {
  id: JOURNALD_FORMAT,
  description:
    'systemd journal as `journalctl -o json` prints it (unit lifecycle, unit of a process, sshd logins)',
  sniff(_head, text) {
    let seen = 0;
    let entries = 0;
    let start = 0;
    while (seen < 20 && start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end).trim();
      start = end + 1;
      if (!line) continue;
      seen++;
      if (line.charCodeAt(0) !== 123) continue;
      const keys = line.match(JOURNAL_KEYS)?.length ?? 0;
      if (keys >= 2) entries++;
    }
    if (seen === 0) return 0;
    return entries >= seen / 2 ? 0.95 : entries > 0 ? 0.6 : 0;
  },
  decoder: journaldDecoder,
};
