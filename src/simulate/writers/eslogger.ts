// eslogger NDJSON (macOS Endpoint Security, `eslogger exec fork exit create btm_launch_item_add`):
// one JSON message per line with the ES message header (version, time, mach_time, seq_num,
// global_seq_num, thread, action_type) and the process / event objects as eslogger prints them.
// eslogger writes no host name, so each host gets its own file, named by the host's full name
// (the name its other sensors report).
import { join } from 'node:path';
import type { SimHost, SimProc, SimRecord } from '../model.ts';
import { isoMs, LineSink } from './sink.ts';

const EVENT_TYPE = { exec: 9, fork: 11, create: 13, exit: 15, btm_launch_item_add: 120 } as const;

function esTime(t: number): string {
  return `${isoMs(t).slice(0, 23)}000000Z`;
}

function stat(size: number, mode: number, uid: number, t: number): Record<string, unknown> {
  const ts = esTime(t);
  return {
    st_dev: 16777232,
    st_ino: 1152921500312000000 + (size % 1_000_000),
    st_mode: mode,
    st_nlink: 1,
    st_uid: uid,
    st_gid: uid === 0 ? 0 : 20,
    st_rdev: 0,
    st_atimespec: ts,
    st_mtimespec: ts,
    st_ctimespec: ts,
    st_birthtimespec: ts,
    st_size: size,
    st_blocks: Math.ceil(size / 512),
    st_blksize: 4096,
    st_flags: 0,
    st_gen: 0,
  };
}

function file(path: string, uid: number, t: number): Record<string, unknown> {
  return { path, path_truncated: false, stat: stat(path.length * 4099, 33261, uid, t) };
}

function token(p: SimProc | undefined, pidversion: number): Record<string, number> {
  const uid = p?.uid ?? 0;
  return {
    auid: uid === 0 ? 4294967295 : uid,
    pid: p?.pid ?? 1,
    pidversion,
    euid: uid,
    rgid: uid === 0 ? 0 : 20,
    asid: 100003,
    egid: uid === 0 ? 0 : 20,
    ruid: uid,
  };
}

/** An es_process_t: `image` overrides the executable (a forked child keeps its parent's). */
function processObj(p: SimProc, image = p.image): Record<string, unknown> {
  const parent = p.parent;
  const m = p.meta ?? {};
  return {
    audit_token: token(p, (p.pid * 7) % 100000),
    ppid: parent?.pid ?? 1,
    original_ppid: parent?.pid ?? 1,
    group_id: p.pid,
    session_id: parent?.pid ?? 1,
    codesigning_flags: m.platformBinary ? 637602561 : m.teamId ? 570522385 : 0,
    is_platform_binary: !!m.platformBinary,
    is_es_client: false,
    cdhash: p.sha256.slice(0, 40).toUpperCase(),
    signing_id: m.signingId ?? null,
    team_id: m.teamId ?? null,
    executable: file(image, 0, p.start),
    tty:
      p.integrity === 'Medium'
        ? { path: '/dev/ttys001', path_truncated: false, stat: stat(0, 8592, p.uid, p.start) }
        : null,
    start_time: `${isoMs(p.start).slice(0, 23)}000Z`,
    responsible_audit_token: token(parent ?? p, 10000),
    parent_audit_token: token(parent, ((parent?.pid ?? 1) * 7) % 100000),
  };
}

function argv(p: SimProc): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(p.commandLine); m; m = re.exec(p.commandLine)) out.push(m[1] ?? m[2] ?? m[3]);
  return out.length ? out : [p.image];
}

export class EsloggerWriter {
  readonly id = 'eslogger';
  private readonly sinks = new Map<number, LineSink>();
  private seq = new Map<number, number>();

  constructor(private readonly dir: string) {}

  private sink(h: SimHost): LineSink {
    let s = this.sinks.get(h.index);
    if (!s) {
      s = new LineSink(join(this.dir, `${h.fqdn}.eslogger.ndjson`), this.id);
      this.sinks.set(h.index, s);
    }
    return s;
  }

  private emit(
    h: SimHost,
    t: number,
    kind: keyof typeof EVENT_TYPE,
    process: string,
    event: string,
    thread: number,
  ): void {
    const n = (this.seq.get(h.index) ?? 0) + 1;
    this.seq.set(h.index, n);
    // Built as a string around cached process objects: the same process appears in its fork,
    // exec, file and exit messages, and this is the generator's hottest path.
    this.sink(h).line(
      `{"schema_version":1,"version":7,"time":"${esTime(t)}","mach_time":${t * 24_000 + h.index},"event_type":${EVENT_TYPE[kind]},` +
        `"thread":{"thread_id":${thread}},"action_type":1,"action":{"result":{"result_type":0,"result":{"auth":0}}},` +
        `"seq_num":${n},"global_seq_num":${n},"process":${process},"event":{"${kind}":${event}}}`,
    );
  }

  /** A process object as JSON, cached per process (and per image for a fork's child). */
  private pj(p: SimProc, image = p.image): string {
    const cache = image === p.image ? this.own : this.forked;
    let j = cache.get(p);
    if (!j) {
      j = JSON.stringify(processObj(p, image));
      cache.set(p, j);
    }
    return j;
  }

  private readonly own = new WeakMap<SimProc, string>();
  private readonly forked = new WeakMap<SimProc, string>();

  write(r: SimRecord, h: SimHost): number {
    switch (r.k) {
      case 'proc': {
        const p = r.proc;
        const parent = p.parent;
        const args = argv(p);
        // fork: the child starts with its parent's image; exec: it becomes its own.
        if (parent)
          this.emit(
            h,
            r.t - 1,
            'fork',
            this.pj(parent),
            `{"child":${this.pj(p, parent.image)}}`,
            parent.pid * 3,
          );
        this.emit(
          h,
          r.t,
          'exec',
          this.pj(p, parent?.image ?? p.image),
          `{"target":${this.pj(p)},${JSON.stringify({
            args,
            env: ['PATH=/usr/bin:/bin:/usr/sbin:/sbin', `HOME=/Users/${h.user}`, `USER=${p.user}`],
            cwd: { ...file(p.cwd, p.uid, p.start), stat: stat(2688, 16877, p.uid, p.start) },
            script: null,
            dyld_exec_path: p.image,
            image_cputype: 16777228,
            image_cpusubtype: -2147483646,
            last_fd: 2,
            fds: [
              { fd: 0, fdtype: 2 },
              { fd: 1, fdtype: 2 },
              { fd: 2, fdtype: 2 },
            ],
          }).slice(1)}`,
          p.pid * 3,
        );
        return parent ? 2 : 1;
      }
      case 'end':
        this.emit(h, r.t, 'exit', this.pj(r.proc), '{"stat":0}', r.proc.pid * 3);
        return 1;
      case 'file': {
        const slash = r.path.lastIndexOf('/');
        this.emit(
          h,
          r.t,
          'create',
          this.pj(r.proc),
          JSON.stringify({
            destination_type: 1,
            destination: {
              new_path: {
                dir: { ...file(r.path.slice(0, slash) || '/', 0, r.t), stat: stat(512, 16877, 0, r.t) },
                filename: r.path.slice(slash + 1),
                mode: 420,
              },
            },
          }),
          r.proc.pid * 3,
        );
        return 1;
      }
      case 'btm':
        this.emit(
          h,
          r.t,
          'btm_launch_item_add',
          this.pj(r.actor),
          `{"instigator":${this.pj(r.actor)},${JSON.stringify({
            app: null,
            item: {
              item_type: r.daemon ? 4 : 3,
              legacy: true,
              managed: false,
              uid: r.daemon ? 0 : 501,
              item_url: `file://${r.plist}`,
              app_url: null,
            },
            executable_path: r.program,
          }).slice(1)}`,
          r.actor.pid * 3,
        );
        return 1;
      default:
        return 0;
    }
  }

  close() {
    return [...this.sinks.values()].map((s) => {
      s.close();
      return s.stat;
    });
  }
}
