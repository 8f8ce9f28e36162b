// osquery differential results (the JSON lines osqueryd's filesystem logger writes): one line per
// added row of the evented tables process_events, socket_events and file_events, with
// hostIdentifier, calendarTime, unixTime and every column as a string, as osquery logs them.
import type { SimHost, SimRecord } from '../model.ts';
import { LineSink } from './sink.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function calendarTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} UTC`;
}

export class OsqueryWriter {
  readonly id = 'osquery';
  private readonly sink: LineSink;
  private counter = new Map<number, number>();

  /** `processes`: also write process_events and file_events (hosts without eslogger). */
  constructor(path: string) {
    this.sink = new LineSink(path, this.id);
  }

  private row(h: SimHost, t: number, name: string, columns: Record<string, string>): void {
    const n = (this.counter.get(h.index) ?? 0) + 1;
    this.counter.set(h.index, n);
    const sec = Math.floor(t / 1000);
    this.sink.line(
      JSON.stringify({
        name,
        hostIdentifier: h.fqdn,
        calendarTime: calendarTime(t),
        unixTime: sec,
        epoch: 0,
        counter: n,
        numerics: false,
        decorations: {
          host_uuid: `${h.index.toString(16).padStart(8, '0')}-7C1B-4E5A-9F0D-2A6B8C3D4E5F`,
          hostname: h.name,
        },
        columns,
        action: 'added',
      }),
    );
  }

  write(r: SimRecord, h: SimHost, processes: boolean): number {
    const uptime = (t: number) => String(Math.floor((t - h.bootTime) / 1000));
    switch (r.k) {
      case 'conn': {
        if (r.flowOnly) return 0;
        const p = r.proc;
        this.row(h, r.t, 'socket_events', {
          action: 'connect',
          auid: String(p.uid === 0 ? 4294967295 : p.uid),
          eid: String(r.t % 100000),
          family: '2',
          fd: '23',
          local_address: h.ip,
          local_port: String(r.srcPort),
          path: p.image,
          pid: String(p.pid),
          protocol: '6',
          remote_address: r.dstIp,
          remote_port: String(r.dstPort),
          socket: '',
          status: '',
          success: '1',
          time: String(Math.floor(r.t / 1000)),
          uptime: uptime(r.t),
        });
        return 1;
      }
      case 'proc': {
        if (!processes) return 0;
        const p = r.proc;
        const sec = String(Math.floor(r.t / 1000));
        this.row(h, r.t, 'process_events', {
          atime: sec,
          auid: String(p.uid === 0 ? 4294967295 : p.uid),
          btime: sec,
          cmdline: p.commandLine,
          cmdline_size: String(p.commandLine.length),
          ctime: sec,
          cwd: p.cwd,
          egid: String(p.uid === 0 ? 0 : 20),
          eid: String(r.t % 100000),
          env: '',
          env_count: '3',
          env_size: '64',
          euid: String(p.uid),
          fsgid: '',
          fsuid: '',
          gid: String(p.uid === 0 ? 0 : 20),
          mode: '0100755',
          mtime: sec,
          overflows: '',
          owner_gid: '0',
          owner_uid: '0',
          parent: String(p.parent?.pid ?? 1),
          path: p.image,
          pid: String(p.pid),
          sgid: '',
          status: '0',
          suid: '',
          syscall: 'exec',
          time: sec,
          uid: String(p.uid),
          uptime: uptime(r.t),
        });
        return 1;
      }
      case 'file': {
        if (!processes) return 0;
        this.row(h, r.t, 'file_events', {
          action: 'CREATED',
          atime: String(Math.floor(r.t / 1000)),
          category: r.path.includes('/Launch') ? 'launchd' : 'binaries',
          ctime: String(Math.floor(r.t / 1000)),
          eid: String(r.t % 100000),
          gid: '0',
          hashed: '0',
          inode: String(100000 + (r.path.length % 90000)),
          md5: '',
          mode: '0644',
          mtime: String(Math.floor(r.t / 1000)),
          sha1: '',
          sha256: '',
          size: '1024',
          target_path: r.path,
          time: String(Math.floor(r.t / 1000)),
          transaction_id: '0',
          uid: String(r.proc.uid),
        });
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
