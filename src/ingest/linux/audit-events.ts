// Audit facts -> normalized events. Keeps, per host, the image each pid was last seen running
// (every SYSCALL record names its process's exe), so an exec can name its parent's image and a
// fork can say which image it kept. PIDs are reused: a newer exec of a pid replaces the entry.
import { posix } from 'node:path';
import type { LoginEvent, NetworkEvent, ProcessStartEvent, ProcRef, SourceRef } from '../../model/event.ts';
import { detach, detachEvent } from '../detached-string.ts';
import type { DecodeContext } from '../reader.ts';
import type { AuditFacts, AuditPath } from './audit-facts.ts';
import { decodeSockaddr } from './audit-sockaddr.ts';
import { CREATE_SYSCALLS, EXEC_SYSCALLS, FORK_SYSCALLS, RENAME_SYSCALLS } from './audit-syscalls.ts';

interface Base {
  time: number;
  host: string;
  platform: 'linux';
  src: SourceRef;
}

interface Known {
  image: string;
  commandLine?: string;
}

/** Pids remembered per host; the oldest are forgotten first (bounded memory). */
const MAX_PIDS_PER_HOST = 4096;
const MAX_HOSTS = 1024;
const CLONE_THREAD = 0x10000;
const EINPROGRESS = -115;
/** Audit events held to restore serial order. */
const REORDER_WINDOW = 32;

/** Joins argv as a shell would show it: arguments with blanks or quotes are double-quoted. */
export function joinArgv(argv: string[]): string {
  let out = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (i > 0) out += ' ';
    out += a === '' || /[\s"]/.test(a) ? `"${a.replace(/(["\\])/g, '\\$1')}"` : a;
  }
  return out;
}

function absolute(name: string | undefined, cwd: string | undefined): string | undefined {
  if (!name) return undefined;
  if (name.charCodeAt(0) === 47) return posix.normalize(name);
  // Relative to the working directory (an openat dirfd is not in the log; CWD is the best base).
  return cwd && cwd.charCodeAt(0) === 47 ? posix.join(cwd, name) : name;
}

/** clone() with CLONE_THREAD makes a thread, not a process (flags in hex, or named by ausearch -i). */
function isThread(sc: string, a0: string | undefined): boolean {
  if (sc !== 'clone' || !a0) return false;
  if (a0.includes('CLONE_THREAD')) return true;
  const flags = Number.parseInt(a0.startsWith('0x') ? a0.slice(2) : a0, 16);
  return Number.isFinite(flags) && (flags & CLONE_THREAD) !== 0;
}

function fileBase(base: Base, proc: ProcRef | undefined) {
  return {
    time: base.time,
    host: base.host,
    platform: base.platform,
    src: base.src,
    kind: 'file' as const,
    proc,
  };
}

export class AuditEvents {
  private readonly hosts = new Map<string, Map<number, Known>>();

  constructor(
    private readonly ctx: DecodeContext,
    private readonly format: string,
  ) {}

  private procs(host: string): Map<number, Known> {
    let m = this.hosts.get(host);
    if (!m) {
      if (this.hosts.size >= MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value as string);
      m = new Map();
      this.hosts.set(host, m);
    }
    return m;
  }

  private remember(procs: Map<number, Known>, pid: number, k: Known): void {
    procs.delete(pid);
    procs.set(pid, k);
    if (procs.size > MAX_PIDS_PER_HOST) procs.delete(procs.keys().next().value as number);
  }

  private readonly pending: Array<{ f: AuditFacts; host: string; serial: number }> = [];

  /**
   * Queues one audit event. Writers (AUOMS in particular) put events a little out of serial
   * order, and the pid table must see them in kernel order (a failed exec before the exec that
   * made the process would look like a fork), so a small window is kept sorted by serial.
   */
  push(f: AuditFacts, host: string): void {
    const serial = Number(f.serial);
    const q = this.pending;
    let i = q.length;
    while (i > 0 && q[i - 1].serial > serial) i--;
    q.splice(i, 0, { f, host, serial });
    if (q.length > REORDER_WINDOW) {
      const first = q.shift()!;
      this.emit(first.f, first.host);
    }
  }

  /** Emits everything still queued (end of input). */
  flush(): void {
    for (const p of this.pending.splice(0)) this.emit(p.f, p.host);
  }

  /** Emits the events one audit event stands for (or counts it as ignored). */
  private emit(f: AuditFacts, host: string): void {
    const ctx = this.ctx;
    const procs = this.procs(host);
    const src: SourceRef = {
      file: ctx.file,
      format: this.format,
      line: f.line,
      record: f.serial,
      eventId: f.eventId,
    };
    const base: Base = { time: f.time, host, platform: 'linux', src };
    const sc = f.syscall;
    const user = f.auid ?? f.uid;
    if (f.service || f.login) {
      this.userRecord(f, base);
      return;
    }

    // An EXECVE record only comes with execve/execveat, whatever the syscall number says on an
    // architecture the table does not know.
    if ((sc && EXEC_SYSCALLS.has(sc)) || (!sc && f.argv !== undefined)) {
      if (f.success === false) {
        // A failed exec leaves the process running its old image. The first sight of a pid that
        // way is a fork that has not exec'd yet: it kept its parent's image.
        if (f.pid !== undefined && f.exe && !procs.has(f.pid)) {
          this.fork(procs, f.pid, f.exe, f.ppid, base, user);
          if (f.ppid !== undefined && !procs.has(f.ppid)) this.remember(procs, f.ppid, { image: f.exe });
        } else ctx.ignored();
        return;
      }
      const image = f.exe ?? absolute(f.paths[0]?.name, f.cwd);
      if (f.pid === undefined || !image) {
        ctx.problem(
          `audit event ${f.serial}: exec without ${f.pid === undefined ? 'pid' : 'exe or PATH'}; skipped`,
          {
            line: f.line,
          },
        );
        return;
      }
      const commandLine = f.argv ? joinArgv(f.argv) : (f.cmdline ?? f.proctitle);
      let parent: ProcRef | undefined;
      if (f.ppid !== undefined) {
        const known = procs.get(f.ppid);
        parent = known
          ? known.commandLine === undefined
            ? { pid: f.ppid, image: known.image }
            : { pid: f.ppid, image: known.image, commandLine: known.commandLine }
          : { pid: f.ppid };
      }
      const ev = detachEvent({
        time: base.time,
        host: base.host,
        platform: 'linux',
        src: base.src,
        kind: 'process',
        proc: { pid: f.pid, image, commandLine, start: f.time, user, session: f.session },
        parent,
        commandLine,
        user,
        integrity: f.euid === undefined ? undefined : f.euid === '0' || f.euid === 'root' ? 'root' : 'user',
        cwd: f.cwd,
      } satisfies ProcessStartEvent);
      ctx.emit(ev);
      this.remember(procs, f.pid, { image: ev.proc.image, commandLine: ev.commandLine });
      return;
    }

    // Any other syscall record names the image its process runs now.
    if (f.pid !== undefined && f.exe && procs.get(f.pid)?.image !== f.exe)
      this.remember(procs, f.pid, { image: detach(f.exe) });

    if (sc && FORK_SYSCALLS.has(sc)) {
      const child = f.exit;
      if (f.success !== false && child !== undefined && child > 0 && f.exe && !isThread(sc, f.a0)) {
        this.fork(procs, child, f.exe, f.pid, base, user, procs.get(f.pid ?? -1)?.commandLine);
      } else ctx.ignored();
      return;
    }

    if (f.saddr !== undefined && (sc === 'connect' || (sc === 'socketcall' && f.a0 === '3'))) {
      const sa = decodeSockaddr(f.saddr);
      if ('bad' in sa) {
        ctx.problem(`audit event ${f.serial}: ${sa.bad}; skipped`, { line: f.line });
        return;
      }
      if (sa.family !== 'inet' && sa.family !== 'inet6') {
        ctx.ignored(); // AF_UNIX, netlink: local plumbing, not egress
        return;
      }
      ctx.emit(
        detachEvent({
          time: base.time,
          host: base.host,
          platform: 'linux',
          src: base.src,
          kind: 'network',
          direction: 'outbound',
          proc: f.pid === undefined ? undefined : { pid: f.pid, image: f.exe },
          srcIp: '',
          dstIp: sa.ip,
          dstPort: sa.port,
          state: f.success === false && f.exit !== EINPROGRESS ? 'failed' : undefined,
        } satisfies NetworkEvent),
      );
      return;
    }

    if (f.paths.length && f.success !== false && (!sc || CREATE_SYSCALLS.has(sc))) {
      if (this.files(f, base, sc)) return;
    }
    ctx.ignored();
  }

  /** systemd's SERVICE_START/SERVICE_STOP for a unit; a USER_LOGIN with its address and session. */
  private userRecord(f: AuditFacts, base: Base): void {
    const manager: ProcRef | undefined = f.pid === undefined ? undefined : { pid: f.pid };
    if (f.service) {
      const name = f.service.unit.includes('.') ? f.service.unit : `${f.service.unit}.service`;
      const scope = f.pid === 1 ? 'system' : 'user';
      this.ctx.emit(
        detachEvent({ ...base, kind: 'service', action: f.service.action, name, scope, manager }),
      );
      return;
    }
    const login = f.login!;
    const proc: ProcRef | undefined =
      f.pid === undefined ? undefined : { pid: f.pid, image: login.exe, session: f.session };
    const service = login.exe ? posix.basename(login.exe) : 'login';
    this.ctx.emit(
      detachEvent({
        ...base,
        kind: 'login',
        user: login.user ?? f.auid,
        srcIp: login.addr,
        service: service === 'sshd-session' ? 'sshd' : service,
        proc,
        session: f.session,
      } satisfies LoginEvent),
    );
  }

  private fork(
    procs: Map<number, Known>,
    pid: number,
    image: string,
    ppid: number | undefined,
    base: Base,
    user: string | undefined,
    commandLine?: string,
  ): void {
    const ev = detachEvent({
      time: base.time,
      host: base.host,
      platform: 'linux',
      src: base.src,
      kind: 'process',
      proc: { pid, image, start: base.time, user },
      parent: ppid === undefined ? undefined : { pid: ppid, image },
      user,
      commandLine,
      forkOnly: true,
    } satisfies ProcessStartEvent);
    this.ctx.emit(ev);
    this.remember(procs, pid, { image: ev.proc.image, commandLine });
  }

  /** PATH items created (or renamed into place) by the syscall; true when any was emitted. */
  private files(f: AuditFacts, base: Base, sc: string | undefined): boolean {
    const proc: ProcRef | undefined = f.pid === undefined ? undefined : { pid: f.pid, image: f.exe };
    let created: AuditPath | undefined;
    let deleted: AuditPath | undefined;
    let n = 0;
    const rename = sc !== undefined && RENAME_SYSCALLS.has(sc);
    for (const p of f.paths) {
      if (p.nametype === 'CREATE') {
        if (rename) created ??= p;
        else {
          const path = absolute(p.name, f.cwd);
          if (!path) continue;
          this.ctx.emit(detachEvent({ ...fileBase(base, proc), op: 'create', path }));
          n++;
        }
      } else if (p.nametype === 'DELETE' && rename) deleted ??= p;
    }
    if (rename && created) {
      const target = absolute(created.name, f.cwd);
      const from = absolute(deleted?.name, f.cwd);
      if (target) {
        this.ctx.emit(
          detachEvent(
            from
              ? { ...fileBase(base, proc), op: 'rename', path: from, target }
              : { ...fileBase(base, proc), op: 'create', path: target },
          ),
        );
        n++;
      }
    }
    return n > 0;
  }
}
