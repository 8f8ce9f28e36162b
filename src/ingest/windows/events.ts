// Windows event semantics in one place: which Sysmon, Security and System events mean what, and
// how their fields map onto normalized events. Every Windows reader ends here.
import type { Direction, FileHashes, ProcRef, RatEvent, SourceRef } from '../../model/event.ts';
import type { DecodeContext } from '../reader.ts';
import { parseWinTime, type WinRecord } from './record.ts';

// Exports disagree on the case of a few names (NXLog "ProcessID", Sysmon "ProcessId").
const ALTERNATE: Record<string, string> = {
  ProcessId: 'ProcessID',
  ProcessID: 'ProcessId',
  ParentProcessId: 'ParentProcessID',
  NewProcessId: 'NewProcessID',
  CommandLine: 'Commandline',
};

/**
 * A field as a string. JSON readers pass their objects through without copying, so values may
 * still be numbers (NXLog's ProcessId: 7760) or, rarely, nested objects.
 */
function field(d: Record<string, string>, name: string): string | undefined {
  let v: unknown = d[name];
  if (v === undefined) {
    const alt = ALTERNATE[name];
    if (alt === undefined) return undefined;
    v = d[alt];
  }
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A field with "-" and "" (Windows' way of saying "none") turned into undefined. */
function val(d: Record<string, string>, name: string): string | undefined {
  const v = field(d, name);
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

/** Decimal or 0x-hex process id. */
export function parsePid(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = s.startsWith('0x') || s.startsWith('0X') ? Number.parseInt(s.slice(2), 16) : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function port(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Sysmon "SHA1=..,MD5=..,SHA256=..,IMPHASH=.." (also a single bare hash). */
export function parseHashes(s: string | undefined): FileHashes | undefined {
  if (!s) return undefined;
  const out: FileHashes = {};
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim().toUpperCase();
    const v = part
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (k === 'SHA256') out.sha256 = v;
    else if (k === 'SHA1') out.sha1 = v;
    else if (k === 'MD5') out.md5 = v;
    else if (k === 'IMPHASH') out.imphash = v;
  }
  return out.sha256 || out.sha1 || out.md5 || out.imphash ? out : undefined;
}

const INTEGRITY: Record<string, string> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'Medium',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
};

function account(domain: string | undefined, user: string | undefined): string | undefined {
  if (!user) return undefined;
  return domain ? `${domain}\\${user}` : user;
}

/** Sysmon 22 QueryResults: "type:  5 name;::ffff:1.2.3.4;5.6.7.8;" -> the addresses. */
export function parseDnsResults(s: string | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  for (const raw of s.split(';')) {
    const t = raw.trim();
    if (!t || t.startsWith('type:')) continue;
    const ip = t.startsWith('::ffff:') ? t.slice(7) : t;
    if (/^[0-9.]+$/.test(ip) || ip.includes(':')) out.push(ip);
  }
  return out;
}

/** Task Scheduler XML (4698 TaskContent): the first Exec action's command and arguments. */
export function taskCommand(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  const unesc = xml.includes('&lt;') ? decodeXmlEntities(xml) : xml;
  const cmd = /<Command>([\s\S]*?)<\/Command>/i.exec(unesc)?.[1];
  if (!cmd) return undefined;
  const args = /<Arguments>([\s\S]*?)<\/Arguments>/i.exec(unesc)?.[1];
  const c = decodeXmlEntities(cmd.trim());
  return args ? `${c} ${decodeXmlEntities(args.trim())}` : c;
}

export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

/** A logon id as one spelling: "0x00000000000003e7" (Security) and "0x3e7" (Sysmon) are one session. */
export function logonId(s: string | undefined): string | undefined {
  if (!s || !/^0x[0-9a-f]{1,16}$/i.test(s)) return undefined;
  const hex = s
    .slice(2)
    .replace(/^0+(?=.)/, '')
    .toLowerCase();
  return hex === '0' ? undefined : `0x${hex}`;
}

function sysmonProc(d: Record<string, string>): ProcRef {
  return { guid: val(d, 'ProcessGuid'), pid: parsePid(val(d, 'ProcessId')), image: val(d, 'Image') };
}

export type ChannelKind = 'sysmon' | 'security' | 'system' | 'other';

/** The last answer of channelKind: a log names a few channels over and over. */
const lastKind = { channel: '', provider: undefined as string | undefined, kind: 'other' as ChannelKind };

/** Which event source a record is from, by channel (any case) or, failing that, provider. */
export function channelKind(rec: Pick<WinRecord, 'channel' | 'provider'>): ChannelKind {
  // Comparing with the last record's names costs less than lower-casing them again.
  if (rec.channel === lastKind.channel && rec.provider === lastKind.provider) return lastKind.kind;
  const kind = kindOf(rec);
  lastKind.channel = rec.channel;
  lastKind.provider = rec.provider;
  lastKind.kind = kind;
  return kind;
}

function kindOf(rec: Pick<WinRecord, 'channel' | 'provider'>): ChannelKind {
  const c = rec.channel.toLowerCase();
  if (c.includes('sysmon')) return 'sysmon';
  if (c === 'security') return 'security';
  if (c === 'system') return 'system';
  const p = rec.provider?.toLowerCase() ?? '';
  if (p.includes('sysmon')) return 'sysmon';
  if (p === 'microsoft-windows-security-auditing') return 'security';
  if (p === 'service control manager') return 'system';
  return 'other';
}

function missingField(ctx: DecodeContext, rec: WinRecord, src: SourceRef, what: string): void {
  ctx.problem(`${rec.channel} event ${rec.eventId} without ${what}; skipped`, {
    line: src.line,
    offset: src.offset,
    where: src.record ? `record ${src.record}` : undefined,
  });
}

/**
 * Every named data field emitWinRecord reads (with their alternate spellings): readers that can
 * skip rendering the others (EVTX) do. A test checks it against the reads below.
 */
export const READ_FIELDS: ReadonlySet<string> = new Set([
  ...Object.values(ALTERNATE),
  ...['AccountName', 'Application', 'ClientProcessId', 'CommandLine', 'Company', 'CurrentDirectory'],
  ...['Description', 'DestAddress', 'DestPort', 'DestinationHostname', 'DestinationIp'],
  ...['DestinationPort', 'Details', 'Direction', 'Hashes', 'Image', 'ImagePath'],
  ...['Initiated', 'IntegrityLevel', 'IpAddress', 'IpPort', 'LogonId', 'LogonType', 'MandatoryLabel'],
  ...['NewProcessId', 'NewProcessName', 'OriginalFileName', 'ParentCommandLine'],
  ...['ParentImage', 'ParentProcessGuid', 'ParentProcessId', 'ParentProcessName', 'ParentUser'],
  ...['ProcessGuid', 'ProcessID', 'ProcessId', 'ProcessName', 'Product', 'Protocol', 'QueryName'],
  ...['QueryResults', 'ServiceAccount', 'ServiceFileName', 'ServiceName', 'ServiceStartType'],
  ...['SourceAddress', 'SourceIp', 'SourcePort', 'StartType', 'SubjectDomainName', 'SubjectLogonId'],
  ...['SubjectUserName', 'TargetDomainName', 'TargetFilename', 'TargetLogonId', 'TargetObject'],
  ...['TargetUserName', 'TaskContent', 'TaskName', 'User', 'UtcTime'],
]);

/**
 * Every event id emitWinRecord maps (Sysmon, Security and System together). Readers use it to skip
 * other records before parsing them; a test checks it against the cases below.
 */
export const MAPPED_EVENT_IDS: ReadonlySet<number> = new Set([
  1, 3, 5, 11, 13, 22, 4624, 4688, 4689, 4697, 4698, 5156, 7045,
]);

/**
 * Maps one Windows record to normalized events and emits them. Records of event ids the engine
 * does not use are counted as ignored; a record of a used id that lacks its key fields is a
 * problem reported with its position.
 */
export function emitWinRecord(rec: WinRecord, src: SourceRef, ctx: DecodeContext): void {
  const d = rec.data;
  // Object literals with the header written out, not spread: spreading is several times slower
  // here, and this runs once per record.
  const time = rec.time;
  const host = rec.computer;
  const platform = 'windows' as const;
  // No closures here: this runs once per record, and tsx wraps every closure it creates.
  const missing = missingField;
  const kind = channelKind(rec);
  let ev: RatEvent | undefined;

  if (kind === 'sysmon') {
    switch (rec.eventId) {
      case 1: {
        const image = val(d, 'Image');
        if (!image) {
          missing(ctx, rec, src, 'Image');
          return;
        }
        const t = parseWinTime(val(d, 'UtcTime') ?? '');
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'process',
          proc: {
            guid: val(d, 'ProcessGuid'),
            pid: parsePid(val(d, 'ProcessId')),
            image,
            start: Number.isFinite(t) ? t : rec.time,
            session: logonId(val(d, 'LogonId')),
          },
          parent: {
            guid: val(d, 'ParentProcessGuid'),
            pid: parsePid(val(d, 'ParentProcessId')),
            image: val(d, 'ParentImage'),
            commandLine: val(d, 'ParentCommandLine'),
            user: val(d, 'ParentUser'),
          },
          commandLine: val(d, 'CommandLine'),
          user: val(d, 'User'),
          integrity: val(d, 'IntegrityLevel'),
          cwd: val(d, 'CurrentDirectory'),
          hashes: parseHashes(val(d, 'Hashes')),
          meta: {
            originalFileName: val(d, 'OriginalFileName'),
            product: val(d, 'Product'),
            company: val(d, 'Company'),
            description: val(d, 'Description'),
          },
        };
        break;
      }
      case 3: {
        const srcIp = val(d, 'SourceIp');
        const dst = val(d, 'DestinationIp');
        if (!srcIp || !dst) {
          missing(ctx, rec, src, 'SourceIp/DestinationIp');
          return;
        }
        const init = field(d, 'Initiated')?.toLowerCase();
        const direction: Direction = init === 'true' ? 'outbound' : init === 'false' ? 'inbound' : 'unknown';
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'network',
          proc: sysmonProc(d),
          direction,
          protocol: val(d, 'Protocol'),
          srcIp,
          srcPort: port(val(d, 'SourcePort')),
          dstIp: dst,
          dstPort: port(val(d, 'DestinationPort')),
          dstName: val(d, 'DestinationHostname'),
        };
        break;
      }
      case 5:
        ev = { time, host, platform, src, kind: 'process_end', proc: sysmonProc(d) };
        break;
      case 11: {
        const path = val(d, 'TargetFilename');
        if (!path) {
          missing(ctx, rec, src, 'TargetFilename');
          return;
        }
        ev = { time, host, platform, src, kind: 'file', op: 'create', path, proc: sysmonProc(d) };
        break;
      }
      // Only a value set (13) can be a persistence entry; the engine drops key creates, deletes
      // and renames (12, 14), so they are left out of MAPPED_EVENT_IDS and skipped unparsed.
      case 13: {
        const key = val(d, 'TargetObject');
        if (!key) {
          missing(ctx, rec, src, 'TargetObject');
          return;
        }
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'registry',
          proc: sysmonProc(d),
          key,
          op: 'set',
          data: field(d, 'Details'),
        };
        break;
      }
      case 22: {
        const q = val(d, 'QueryName');
        if (!q) {
          missing(ctx, rec, src, 'QueryName');
          return;
        }
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'dns',
          proc: sysmonProc(d),
          query: q,
          answers: parseDnsResults(val(d, 'QueryResults')),
        };
        break;
      }
    }
  } else if (kind === 'security') {
    switch (rec.eventId) {
      case 4688: {
        const image = val(d, 'NewProcessName');
        if (!image) {
          missing(ctx, rec, src, 'NewProcessName');
          return;
        }
        const pid = parsePid(val(d, 'NewProcessId'));
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'process',
          proc: {
            pid,
            image,
            start: rec.time,
            // Version 2 names the new process's own logon; older records only the creator's.
            session: logonId(val(d, 'TargetLogonId')) ?? logonId(val(d, 'SubjectLogonId')),
          },
          parent: { pid: parsePid(val(d, 'ProcessId')), image: val(d, 'ParentProcessName') },
          commandLine: val(d, 'CommandLine'),
          user:
            account(val(d, 'TargetDomainName'), val(d, 'TargetUserName')) ??
            account(val(d, 'SubjectDomainName'), val(d, 'SubjectUserName')),
          integrity: INTEGRITY[val(d, 'MandatoryLabel') ?? ''] ?? val(d, 'MandatoryLabel'),
        };
        break;
      }
      case 4624: {
        // Remote interactive logons (RDP, type 10) with the address they came from: the ones a
        // tunnel can carry. Other logon types are the system's own traffic.
        const ip = val(d, 'IpAddress');
        if (val(d, 'LogonType') !== '10' || !ip || ip === '-') break;
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'login',
          user: account(val(d, 'TargetDomainName'), val(d, 'TargetUserName')),
          srcIp: ip,
          srcPort: port(val(d, 'IpPort')),
          method: 'logon type 10',
          service: 'rdp',
          session: logonId(val(d, 'TargetLogonId')),
          proc: { pid: parsePid(val(d, 'ProcessId')), image: val(d, 'ProcessName') },
        };
        break;
      }
      case 4689: {
        const pid = parsePid(val(d, 'ProcessId'));
        if (pid === undefined) {
          missing(ctx, rec, src, 'ProcessId');
          return;
        }
        ev = { time, host, platform, src, kind: 'process_end', proc: { pid, image: val(d, 'ProcessName') } };
        break;
      }
      case 4697: {
        const name = val(d, 'ServiceName');
        if (!name) {
          missing(ctx, rec, src, 'ServiceName');
          return;
        }
        const pid = parsePid(val(d, 'ClientProcessId'));
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'persistence',
          mechanism: 'service',
          name,
          command: val(d, 'ServiceFileName'),
          startType: val(d, 'ServiceStartType'),
          account: val(d, 'ServiceAccount'),
          actor: pid !== undefined ? { pid } : undefined,
        };
        break;
      }
      case 4698: {
        const name = val(d, 'TaskName');
        if (!name) {
          missing(ctx, rec, src, 'TaskName');
          return;
        }
        const pid = parsePid(val(d, 'ClientProcessId'));
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'persistence',
          mechanism: 'scheduled_task',
          name,
          command: taskCommand(field(d, 'TaskContent')),
          account: account(val(d, 'SubjectDomainName'), val(d, 'SubjectUserName')),
          actor: pid !== undefined ? { pid } : undefined,
        };
        break;
      }
      case 5156: {
        const srcIp = val(d, 'SourceAddress');
        const dstIp = val(d, 'DestAddress');
        if (!srcIp || !dstIp) {
          missing(ctx, rec, src, 'SourceAddress/DestAddress');
          return;
        }
        const dir = field(d, 'Direction') ?? '';
        const direction: Direction =
          dir === '%%14593' || /outbound/i.test(dir)
            ? 'outbound'
            : dir === '%%14592' || /inbound/i.test(dir)
              ? 'inbound'
              : 'unknown';
        const proto = val(d, 'Protocol');
        ev = {
          time,
          host,
          platform,
          src,
          kind: 'network',
          proc: { pid: parsePid(val(d, 'ProcessId') ?? val(d, 'ProcessID')), image: val(d, 'Application') },
          direction,
          protocol: proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto,
          srcIp,
          srcPort: port(val(d, 'SourcePort')),
          dstIp,
          dstPort: port(val(d, 'DestPort')),
        };
        break;
      }
    }
  } else if (kind === 'system' && rec.eventId === 7045) {
    const name = val(d, 'ServiceName');
    if (!name) {
      missing(ctx, rec, src, 'ServiceName');
      return;
    }
    ev = {
      time,
      host,
      platform,
      src,
      kind: 'persistence',
      mechanism: 'service',
      name,
      command: val(d, 'ImagePath'),
      startType: val(d, 'StartType'),
      account: val(d, 'AccountName'),
    };
  }

  if (ev) ctx.emit(ev);
  else ctx.ignored();
}
