// Per-host activity recorder: allocates pids, ProcessGuids and ports the way a real host does,
// and appends sensor-neutral records. Background and scenarios only call these verbs, so every
// process they describe has a consistent lineage across all output formats.
import type { SimHost, SimImageMeta, SimProc, SimRecord } from './model.ts';
import type { Rng } from './rng.ts';

export interface SpawnOptions {
  user?: string;
  uid?: number;
  integrity?: SimProc['integrity'];
  cwd?: string;
  meta?: SimImageMeta;
  /** The binary's identity: copies of one binary share it (portable and installed agent). */
  binary?: string;
}

/** Deterministic 64-hex "sha256" of a binary identity (FNV-1a over four lanes). */
export function fakeSha256(binary: string): string {
  let out = '';
  for (let lane = 0; lane < 8; lane++) {
    let h = (2166136261 ^ (lane * 0x9e3779b9)) >>> 0;
    for (let i = 0; i < binary.length; i++) h = Math.imul(h ^ binary.charCodeAt(i), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

const hashCache = new Map<string, string>();
function sha(binary: string): string {
  let h = hashCache.get(binary);
  if (!h) {
    h = fakeSha256(binary);
    if (hashCache.size < 100_000) hashCache.set(binary, h);
  }
  return h;
}

export class HostActivity {
  readonly records: SimRecord[] = [];
  private nextPid: number;
  private nextPort: number;
  private guidSeq = 0;
  private readonly guidHost: string;
  /** Long-lived processes every host has from boot (never emitted as starts). */
  readonly init: SimProc;
  readonly services: SimProc;
  readonly shell: SimProc;
  readonly svchost: SimProc;

  constructor(
    readonly host: SimHost,
    readonly rng: Rng,
  ) {
    this.nextPid = host.platform === 'windows' ? 1000 + rng.int(0, 3000) * 4 : 300 + rng.int(0, 2000);
    this.nextPort = 49152 + rng.int(0, 8000);
    this.guidHost = rng.hex(8);
    const boot = host.bootTime;
    const sys = (pid: number, image: string, cmd: string, user: string, uid: number): SimProc => ({
      pid,
      guid: this.guid(boot),
      image,
      commandLine: cmd,
      user,
      uid,
      start: boot,
      integrity: 'System',
      cwd: '/',
      sha256: sha(image),
    });
    if (host.platform === 'windows') {
      this.init = sys(4, 'System', '', 'NT AUTHORITY\\SYSTEM', 0);
      this.services = sys(
        640 + rng.int(0, 40) * 4,
        'C:\\Windows\\System32\\services.exe',
        'C:\\Windows\\system32\\services.exe',
        'NT AUTHORITY\\SYSTEM',
        0,
      );
      this.svchost = sys(
        900 + rng.int(0, 40) * 4,
        'C:\\Windows\\System32\\svchost.exe',
        'C:\\Windows\\system32\\svchost.exe -k netsvcs -p',
        'NT AUTHORITY\\SYSTEM',
        0,
      );
      this.svchost.parent = this.services;
      this.shell = {
        ...sys(
          3000 + rng.int(0, 400) * 4,
          'C:\\Windows\\explorer.exe',
          'C:\\Windows\\Explorer.EXE',
          `${host.domain}\\${host.user}`,
          1000,
        ),
        integrity: 'Medium',
        cwd: 'C:\\Windows\\system32\\',
      };
    } else if (host.platform === 'linux') {
      this.init = sys(
        1,
        '/usr/lib/systemd/systemd',
        '/usr/lib/systemd/systemd --switched-root --system --deserialize 22',
        'root',
        0,
      );
      this.services = this.init;
      this.svchost = sys(200 + rng.int(0, 90), '/usr/sbin/crond', '/usr/sbin/crond -n', 'root', 0);
      this.shell = {
        ...sys(2000 + rng.int(0, 500), '/usr/bin/bash', '-bash', host.user, 1000),
        integrity: 'Medium',
        cwd: `/home/${host.user}`,
      };
    } else {
      this.init = sys(1, '/sbin/launchd', '/sbin/launchd', 'root', 0);
      this.services = this.init;
      this.svchost = sys(
        150 + rng.int(0, 90),
        '/usr/libexec/nsurlsessiond',
        '/usr/libexec/nsurlsessiond',
        'root',
        0,
      );
      this.shell = {
        ...sys(
          600 + rng.int(0, 500),
          '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
          '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
          host.user,
          501,
        ),
        integrity: 'Medium',
        cwd: '/',
      };
    }
  }

  private guid(t: number): string {
    const n = this.guidSeq++;
    const secs = Math.floor(t / 1000);
    return `{${this.guidHost}-${(secs & 0xffff).toString(16).padStart(4, '0')}-${((secs >>> 16) & 0xffff).toString(16).padStart(4, '0')}-${((n >>> 16) & 0xffff).toString(16).padStart(4, '0')}-0010${(n & 0xffff).toString(16).padStart(4, '0')}${this.guidHost.slice(0, 4)}}`;
  }

  pid(): number {
    const p = this.nextPid;
    this.nextPid += this.host.platform === 'windows' ? 4 * this.rng.int(1, 6) : this.rng.int(1, 9);
    if (this.nextPid > (this.host.platform === 'windows' ? 65000 : 4_000_000)) this.nextPid = 1000;
    return p;
  }

  port(): number {
    const p = this.nextPort++;
    if (this.nextPort > 65000) this.nextPort = 49152;
    return p;
  }

  /** Starts a process; the user defaults to the parent's, as on every OS. */
  spawn(t: number, parent: SimProc, image: string, commandLine: string, o: SpawnOptions = {}): SimProc {
    t = Math.round(t);
    const proc: SimProc = {
      pid: this.pid(),
      guid: this.guid(t),
      image,
      commandLine,
      user: o.user ?? parent.user,
      uid: o.uid ?? parent.uid,
      start: t,
      integrity:
        o.integrity ?? (parent.integrity === 'System' && o.user === undefined ? 'System' : parent.integrity),
      cwd: o.cwd ?? parent.cwd,
      meta: o.meta,
      sha256: sha(o.binary ?? image.toLowerCase()),
      parent,
    };
    this.records.push({ k: 'proc', t, proc });
    return proc;
  }

  end(t: number, proc: SimProc): void {
    t = Math.round(t);
    this.records.push({ k: 'end', t, proc });
  }

  /** An outbound connection; a name also produces the DNS lookup before it. */
  connect(
    t: number,
    proc: SimProc,
    dst: { ip: string; name?: string },
    dstPort: number,
    durationSec: number,
    bytesOut: number,
    bytesIn: number,
    opts: { dns?: boolean; flowOnly?: boolean; hostOnly?: boolean } = {},
  ): void {
    t = Math.round(t);
    if (dst.name && opts.dns !== false)
      this.records.push({ k: 'dns', t: t - 40, proc, query: dst.name, answers: [dst.ip] });
    this.records.push({
      k: 'conn',
      t,
      proc,
      srcPort: this.port(),
      dstIp: dst.ip,
      dstPort,
      dstName: dst.name,
      durationSec,
      bytesOut,
      bytesIn,
      flowOnly: opts.flowOnly,
      hostOnly: opts.hostOnly,
    });
  }

  file(t: number, proc: SimProc, path: string, from?: string): void {
    t = Math.round(t);
    this.records.push({ k: 'file', t, proc, path, from });
  }

  service(
    t: number,
    actor: SimProc,
    name: string,
    imagePath: string,
    startType: 'auto start' | 'demand start' = 'auto start',
    account = 'LocalSystem',
  ): void {
    t = Math.round(t);
    this.records.push({
      k: 'service',
      t,
      actor,
      services: this.services,
      name,
      imagePath,
      startType,
      account,
    });
  }

  reg(t: number, proc: SimProc, key: string, data: string): void {
    t = Math.round(t);
    this.records.push({ k: 'reg', t, proc, key, data });
  }

  task(t: number, actor: SimProc, name: string, command: string, args: string): void {
    t = Math.round(t);
    this.records.push({ k: 'task', t, actor, name, command, args });
  }

  btm(t: number, actor: SimProc, plist: string, program: string, label: string, daemon: boolean): void {
    t = Math.round(t);
    this.records.push({ k: 'btm', t, actor, plist, program, label, daemon });
  }

  unit(t: number, unit: string): void {
    t = Math.round(t);
    this.records.push({ k: 'unit', t, unit });
  }
}
