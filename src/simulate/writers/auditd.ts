// Raw auditd log (log_format=RAW, name_format=HOSTNAME, so every record starts with node=):
// execve as SYSCALL+EXECVE+CWD+PATH+PROCTITLE, connect as SYSCALL+SOCKADDR+PROCTITLE, file
// creation as SYSCALL(openat)+CWD+PATH(PARENT, CREATE)+PROCTITLE, each closed by EOE, and
// systemd's SERVICE_START.
// Field names and order follow auditd on RHEL/Debian.
import type { SimHost, SimProc, SimRecord } from '../model.ts';
import { LineSink } from './sink.ts';

/** auditd hex-encodes a value holding a space, a quote or a non-printable character. */
function needsHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x22) return true;
  }
  return false;
}

function hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex').toUpperCase();
}

export function auditValue(s: string): string {
  return needsHex(s) ? hex(s) : `"${s}"`;
}

/** Splits a command line into argv the way the shell would for these simple cases. */
function argv(p: SimProc): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(p.commandLine); m; m = re.exec(p.commandLine)) out.push(m[1] ?? m[2] ?? m[3]);
  return out.length ? out : [p.image];
}

function comm(p: SimProc): string {
  const base = p.image.slice(p.image.lastIndexOf('/') + 1);
  return base.slice(0, 15);
}

/** Socket address as the kernel hands it to auditd: AF_INET, port and address, zero padding. */
export function sockaddrHex(ip: string, port: number): string {
  const parts = ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
  return `0200${port.toString(16).padStart(4, '0')}${parts.join('')}0000000000000000`.toUpperCase();
}

const SELINUX_USER = 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023';
const SELINUX_SYS = 'system_u:system_r:unconfined_service_t:s0';

export class AuditdWriter {
  readonly id = 'auditd';
  private readonly sink: LineSink;
  private serialNo = 52_000;

  constructor(path: string) {
    this.sink = new LineSink(path, this.id);
  }

  /**
   * One counter for the whole file: each host's serials still only increase, and a reader that
   * restores serial order across a window never pulls one host's events back in time.
   */
  private head(_h: SimHost, t: number): string {
    const n = ++this.serialNo;
    const sec = Math.floor(t / 1000);
    const ms = String(t - sec * 1000).padStart(3, '0');
    return `audit(${sec}.${ms}:${n}): `;
  }

  private syscall(
    h: SimHost,
    msg: string,
    p: SimProc,
    nr: number,
    exit: number,
    items: number,
    a: string[],
    key: string,
  ): void {
    const ppid = p.parent?.pid ?? 1;
    const auid = p.uid === 0 && p.parent?.uid === 0 && !p.user.startsWith(h.user) ? 4294967295 : 1000;
    const ses = auid === 4294967295 ? 4294967295 : 3;
    const ids = `uid=${p.uid} gid=${p.uid} euid=${p.uid} suid=${p.uid} fsuid=${p.uid} egid=${p.uid} sgid=${p.uid} fsgid=${p.uid}`;
    this.sink.line(
      `node=${h.name} type=SYSCALL msg=${msg}arch=c000003e syscall=${nr} success=${exit < 0 ? 'no' : 'yes'} exit=${exit} a0=${a[0]} a1=${a[1]} a2=${a[2]} a3=${a[3]} items=${items} ppid=${ppid} pid=${p.pid} auid=${auid} ${ids} tty=${auid === 1000 ? 'pts0' : '(none)'} ses=${ses} comm=${auditValue(comm(p))} exe=${auditValue(p.image)} subj=${p.uid === 0 ? SELINUX_SYS : SELINUX_USER} key=${key}`,
    );
  }

  /** PROCTITLE, then EOE: auditd ends every multi-record event with an EOE record. */
  private proctitle(h: SimHost, msg: string, p: SimProc): void {
    this.sink.line(
      `node=${h.name} type=PROCTITLE msg=${msg}proctitle=${hex(argv(p).join('\0')).slice(0, 256)}`,
    );
    this.sink.line(`node=${h.name} type=EOE msg=${msg.slice(0, -1)}`);
  }

  private path(
    h: SimHost,
    msg: string,
    item: number,
    name: string,
    objtype: string,
    mode: string,
    ouid: number,
  ): void {
    const inode = 100000 + ((name.length * 7919 + item) % 900000);
    this.sink.line(
      `node=${h.name} type=PATH msg=${msg}item=${item} name=${auditValue(name)} inode=${inode} dev=fd:00 mode=${mode} ouid=${ouid} ogid=${ouid} rdev=00:00 obj=system_u:object_r:bin_t:s0 objtype=${objtype}`,
    );
  }

  write(r: SimRecord, h: SimHost): number {
    switch (r.k) {
      case 'proc': {
        const p = r.proc;
        const msg = this.head(h, r.t);
        const args = argv(p);
        this.syscall(h, msg, p, 59, 0, 2, ['7f3a2c1e0a10', '7f3a2c1e0b40', '7f3a2c1e0c80', '0'], '"exec"');
        let ex = `node=${h.name} type=EXECVE msg=${msg}argc=${args.length}`;
        for (let i = 0; i < args.length; i++) ex += ` a${i}=${auditValue(args[i])}`;
        this.sink.line(ex);
        this.sink.line(`node=${h.name} type=CWD msg=${msg}cwd=${auditValue(p.cwd)}`);
        this.path(h, msg, 0, p.image, 'NORMAL', '0100755', 0);
        this.path(h, msg, 1, '/lib64/ld-linux-x86-64.so.2', 'NORMAL', '0100755', 0);
        this.proctitle(h, msg, p);
        return 1;
      }
      case 'conn': {
        if (r.flowOnly) return 0;
        const msg = this.head(h, r.t);
        this.syscall(h, msg, r.proc, 42, 0, 0, ['5', '7ffd8c2e1a40', '10', '0'], '"network"');
        this.sink.line(`node=${h.name} type=SOCKADDR msg=${msg}saddr=${sockaddrHex(r.dstIp, r.dstPort)}`);
        this.proctitle(h, msg, r.proc);
        return 1;
      }
      case 'file': {
        const msg = this.head(h, r.t);
        const dir = r.path.slice(0, r.path.lastIndexOf('/')) || '/';
        this.syscall(h, msg, r.proc, 257, 3, 2, ['ffffff9c', '7ffd8c2e3f10', '241', '1a4'], '"persistence"');
        this.sink.line(`node=${h.name} type=CWD msg=${msg}cwd=${auditValue(r.proc.cwd)}`);
        this.path(h, msg, 0, dir, 'PARENT', '040755', 0);
        this.path(h, msg, 1, r.path, 'CREATE', '0100644', r.proc.uid);
        this.proctitle(h, msg, r.proc);
        return 1;
      }
      case 'unit': {
        const msg = this.head(h, r.t);
        this.sink.line(
          `node=${h.name} type=SERVICE_START msg=${msg}pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='unit=${r.unit} comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'`,
        );
        return 1;
      }
      default:
        return 0;
    }
  }

  close() {
    this.sink.close();
    return [this.sink.stat];
  }
}
