// A small factory for normalized events, so engine tests read as the story they tell:
//   proc({ guid: 'A', image: DOWNLOADS_ANYDESK, at: at(0) })
//   service({ name: 'AnyDesk', command: '"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --service', at: at(1) })
//   ...conns({ guid: 'A', dstIp: '203.0.113.7', n: 5, from: at(2) })
// Every event gets a SourceRef with a made-up file and a line number, like a reader would give.
import type {
  DnsEvent,
  FileEvent,
  FileHashes,
  ImageMeta,
  LoginEvent,
  NetworkEvent,
  PersistenceEvent,
  Platform,
  ProcessEndEvent,
  ProcessStartEvent,
  RatEvent,
  RegistryEvent,
  ServiceEvent,
  SourceRef,
  UnitProcessEvent,
} from '../../src/model/event.ts';

/** Monday 2026-01-05 10:00:00 UTC: the start of every story. */
export const T0 = Date.parse('2026-01-05T10:00:00.000Z');

/** T0 plus minutes (and seconds). */
export function at(minutes: number, seconds = 0): number {
  return T0 + minutes * 60_000 + seconds * 1000;
}

export const HOST = 'WS01.corp.example';

let line = 0;
function src(file = 'fixture.ndjson', eventId?: string): SourceRef {
  line++;
  return { file, format: 'test', line, eventId };
}

interface Common {
  at: number;
  host?: string;
  platform?: Platform;
  file?: string;
}

function base(o: Common, eventId?: string) {
  return {
    time: o.at,
    host: o.host ?? HOST,
    platform: o.platform ?? ('windows' as Platform),
    src: src(o.file, eventId),
  };
}

export interface ProcOpts extends Common {
  image: string;
  guid?: string;
  pid?: number;
  parentGuid?: string;
  parentPid?: number;
  parentImage?: string;
  commandLine?: string;
  user?: string;
  integrity?: string;
  sha256?: string;
  meta?: ImageMeta;
  /** Login session (audit ses=, logon id). */
  session?: string;
}

/** A process start (Sysmon 1 / 4688 / execve). */
export function proc(o: ProcOpts): ProcessStartEvent {
  const hashes: FileHashes | undefined = o.sha256 ? { sha256: o.sha256 } : undefined;
  const hasParent = o.parentGuid !== undefined || o.parentPid !== undefined;
  return {
    ...base(o, '1'),
    kind: 'process',
    proc: { guid: o.guid, pid: o.pid, image: o.image, start: o.at, session: o.session },
    parent: hasParent ? { guid: o.parentGuid, pid: o.parentPid, image: o.parentImage } : undefined,
    commandLine: o.commandLine ?? `"${o.image}"`,
    user: o.user,
    integrity: o.integrity,
    hashes,
    meta: o.meta,
  };
}

/** A process end (Sysmon 5 / 4689 / exit). */
export function procEnd(o: Common & { guid?: string; pid?: number; image?: string }): ProcessEndEvent {
  return { ...base(o, '5'), kind: 'process_end', proc: { guid: o.guid, pid: o.pid, image: o.image } };
}

/** A service installed (System 7045 style: no actor, the command as registered). */
export function service(
  o: Common & { name: string; command: string; actorGuid?: string; actorPid?: number; actorImage?: string },
): PersistenceEvent {
  const actor =
    o.actorGuid !== undefined || o.actorPid !== undefined
      ? { guid: o.actorGuid, pid: o.actorPid, image: o.actorImage }
      : undefined;
  return {
    ...base(o, '7045'),
    kind: 'persistence',
    mechanism: 'service',
    name: o.name,
    command: o.command,
    startType: 'auto start',
    account: 'LocalSystem',
    actor,
  };
}

export interface ConnOpts extends Common {
  guid?: string;
  pid?: number;
  image?: string;
  srcIp?: string;
  srcPort?: number;
  dstIp: string;
  dstPort?: number;
  dstName?: string;
}

/** One outbound connection made by a process (Sysmon 3, Initiated=true). */
export function conn(o: ConnOpts): NetworkEvent {
  return {
    ...base(o, '3'),
    kind: 'network',
    proc: { guid: o.guid, pid: o.pid, image: o.image },
    direction: 'outbound',
    protocol: 'tcp',
    srcIp: o.srcIp ?? '10.1.2.3',
    srcPort: o.srcPort ?? 50_000 + (line % 10_000),
    dstIp: o.dstIp,
    dstPort: o.dstPort ?? 443,
    dstName: o.dstName,
  };
}

/** `n` connections to one destination, `everySec` seconds apart, starting at `at`. */
export function conns(o: ConnOpts & { n: number; everySec?: number }): NetworkEvent[] {
  const out: NetworkEvent[] = [];
  for (let i = 0; i < o.n; i++) out.push(conn({ ...o, at: o.at + i * (o.everySec ?? 30) * 1000 }));
  return out;
}

/** A DNS answer (Sysmon 22): `query` resolved to `answers`. */
export function dns(
  o: Common & { guid?: string; image?: string; query: string; answers: string[] },
): DnsEvent {
  return {
    ...base(o, '22'),
    kind: 'dns',
    proc: o.guid ? { guid: o.guid, image: o.image } : undefined,
    query: o.query,
    answers: o.answers,
  };
}

/** A file created (Sysmon 11) by a process. */
export function fileCreate(
  o: Common & { guid?: string; pid?: number; image?: string; path: string },
): FileEvent {
  return {
    ...base(o, '11'),
    kind: 'file',
    op: 'create',
    path: o.path,
    proc: { guid: o.guid, pid: o.pid, image: o.image },
  };
}

/** A registry value set (Sysmon 13). */
export function regSet(
  o: Common & { guid?: string; image?: string; key: string; data: string },
): RegistryEvent {
  return {
    ...base(o, '13'),
    kind: 'registry',
    op: 'set',
    key: o.key,
    data: o.data,
    proc: { guid: o.guid, image: o.image },
  };
}

/** Events sorted by time (stable), as the hunt's merge would hand them to the engine. */
export function byTime(...groups: Array<RatEvent | RatEvent[]>): RatEvent[] {
  return groups.flat().sort((a, b) => a.time - b.time);
}

/** systemd starting a unit (journald "Started X.", auditd SERVICE_START). */
export function unitStart(o: Common & { unit: string; action?: ServiceEvent['action'] }): ServiceEvent {
  return {
    ...base(o, 'systemd'),
    kind: 'service',
    action: o.action ?? 'started',
    name: o.unit,
    scope: 'system',
    manager: { pid: 1 },
  };
}

/** journald: a process runs in a unit (`_SYSTEMD_UNIT`). */
export function unitProcess(o: Common & { unit: string; pid: number; image: string }): UnitProcessEvent {
  return {
    ...base(o, 'journal'),
    kind: 'unit_process',
    unit: o.unit,
    scope: 'system',
    proc: { pid: o.pid, image: o.image },
  };
}

/** A login accepted by sshd (or RDP, 4624 type 10). */
export function login(
  o: Common & {
    user: string;
    srcIp: string;
    srcPort?: number;
    pid?: number;
    session?: string;
    service?: string;
  },
): LoginEvent {
  return {
    ...base(o, 'login'),
    kind: 'login',
    user: o.user,
    srcIp: o.srcIp,
    srcPort: o.srcPort,
    service: o.service ?? 'sshd',
    proc: o.pid === undefined ? undefined : { pid: o.pid, image: '/usr/sbin/sshd' },
    session: o.session,
  };
}
