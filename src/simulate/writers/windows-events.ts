// Simulated records as Windows events: which Sysmon, Security and System events each record
// produces, with the EventData fields (names and order) those sensors write. The event XML and
// Winlogbeat writers render these; the field lists are checked against real exports in tests.
import type { SimHost, SimProc, SimRecord } from '../model.ts';
import { sysmonUtc } from './sink.ts';

export interface WinEvent {
  channel: string;
  provider: string;
  providerGuid: string;
  eventId: number;
  version: number;
  task: number;
  taskName: string;
  keywords: string;
  time: number;
  recordId: number;
  /** Execution ProcessID/ThreadID of the logging service. */
  execPid: number;
  threadId: number;
  userSid: string;
  data: Array<[string, string]>;
}

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SYSMON_GUID = '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}';
const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
const SECURITY_GUID = '{54849625-5478-4994-a5ba-3e3b0328c30d}';
const SCM_PROVIDER = 'Service Control Manager';
const SCM_GUID = '{555908d1-a6d7-4695-8e1e-26931d2012f4}';

const SYSMON_TASKS: Record<number, [number, string, number]> = {
  1: [1, 'Process Create (rule: ProcessCreate)', 5],
  3: [3, 'Network connection detected (rule: NetworkConnect)', 5],
  5: [5, 'Process terminated (rule: ProcessTerminate)', 3],
  11: [11, 'File created (rule: FileCreate)', 2],
  13: [13, 'Registry value set (rule: RegistryEvent)', 2],
  22: [22, 'Dns query (rule: DnsQuery)', 5],
};

/** Per-host record counters (EventRecordID per channel) and a logon id. */
export interface WinHostState {
  sysmon: number;
  security: number;
  system: number;
  sysmonPid: number;
  logonId: string;
  sid: string;
}

export function winHostState(h: SimHost): WinHostState {
  return {
    sysmon: 1000 + h.index * 7,
    security: 5000 + h.index * 11,
    system: 300 + h.index * 3,
    sysmonPid: 2000 + (h.index % 500) * 4,
    logonId: `0x${(0x3e7 + h.index * 4099).toString(16)}`,
    sid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + h.index}`,
  };
}

function sysmon(s: WinHostState, id: number, t: number, data: Array<[string, string]>): WinEvent {
  const [task, taskName, version] = SYSMON_TASKS[id];
  return {
    channel: SYSMON,
    provider: SYSMON_PROVIDER,
    providerGuid: SYSMON_GUID,
    eventId: id,
    version,
    task,
    taskName,
    keywords: '0x8000000000000000',
    time: t,
    recordId: ++s.sysmon,
    execPid: s.sysmonPid,
    threadId: s.sysmonPid + 1204,
    userSid: 'S-1-5-18',
    data,
  };
}

function security(
  s: WinHostState,
  id: number,
  task: number,
  taskName: string,
  t: number,
  data: Array<[string, string]>,
): WinEvent {
  return {
    channel: 'Security',
    provider: SECURITY_PROVIDER,
    providerGuid: SECURITY_GUID,
    eventId: id,
    version: id === 4688 ? 2 : id === 4698 ? 1 : 0,
    task,
    taskName,
    keywords: '0x8020000000000000',
    time: t,
    recordId: ++s.security,
    execPid: 4,
    threadId: 100 + (s.security % 900),
    userSid: '',
    data,
  };
}

const splitUser = (u: string): [string, string] => {
  const i = u.indexOf('\\');
  return i < 0 ? ['', u] : [u.slice(0, i), u.slice(i + 1)];
};

function hashes(p: SimProc): string {
  return `SHA1=${p.sha256.slice(0, 40).toUpperCase()},MD5=${p.sha256.slice(24, 56).toUpperCase()},SHA256=${p.sha256.toUpperCase()},IMPHASH=${p.sha256.slice(8, 40).toUpperCase()}`;
}

const dash = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);

/** The Windows events a record produces on its host (none for other platforms' records). */
export function windowsEvents(r: SimRecord, h: SimHost, s: WinHostState): WinEvent[] {
  switch (r.k) {
    case 'proc': {
      const p = r.proc;
      const parent = p.parent;
      const m = p.meta ?? {};
      return [
        sysmon(s, 1, r.t, [
          ['RuleName', '-'],
          ['UtcTime', sysmonUtc(r.t)],
          ['ProcessGuid', p.guid],
          ['ProcessId', String(p.pid)],
          ['Image', p.image],
          ['FileVersion', dash(m.fileVersion)],
          ['Description', dash(m.description)],
          ['Product', dash(m.product)],
          ['Company', dash(m.company)],
          ['OriginalFileName', dash(m.originalFileName)],
          ['CommandLine', p.commandLine],
          ['CurrentDirectory', p.cwd],
          ['User', p.user],
          ['LogonGuid', `{${p.guid.slice(1, 9)}-0000-0000-0000-000000000000}`],
          ['LogonId', p.user.startsWith('NT AUTHORITY') ? '0x3e7' : s.logonId],
          ['TerminalSessionId', p.user.startsWith('NT AUTHORITY') ? '0' : '1'],
          ['IntegrityLevel', p.integrity],
          ['Hashes', hashes(p)],
          ['ParentProcessGuid', parent?.guid ?? '{00000000-0000-0000-0000-000000000000}'],
          ['ParentProcessId', String(parent?.pid ?? 0)],
          ['ParentImage', parent?.image ?? '-'],
          ['ParentCommandLine', parent?.commandLine ?? '-'],
        ]),
      ];
    }
    case 'end':
      return [
        sysmon(s, 5, r.t, [
          ['RuleName', '-'],
          ['UtcTime', sysmonUtc(r.t)],
          ['ProcessGuid', r.proc.guid],
          ['ProcessId', String(r.proc.pid)],
          ['Image', r.proc.image],
        ]),
      ];
    case 'conn': {
      if (r.flowOnly) return [];
      const p = r.proc;
      return [
        sysmon(s, 3, r.t, [
          ['RuleName', '-'],
          ['UtcTime', sysmonUtc(r.t)],
          ['ProcessGuid', p.guid],
          ['ProcessId', String(p.pid)],
          ['Image', p.image],
          ['User', p.user],
          ['Protocol', 'tcp'],
          ['Initiated', 'true'],
          ['SourceIsIpv6', 'false'],
          ['SourceIp', h.ip],
          ['SourceHostname', h.fqdn],
          ['SourcePort', String(r.srcPort)],
          ['SourcePortName', '-'],
          ['DestinationIsIpv6', 'false'],
          ['DestinationIp', r.dstIp],
          ['DestinationHostname', dash(r.dstName)],
          ['DestinationPort', String(r.dstPort)],
          ['DestinationPortName', r.dstPort === 443 ? 'https' : r.dstPort === 80 ? 'http' : '-'],
        ]),
      ];
    }
    case 'dns':
      return [
        sysmon(s, 22, r.t, [
          ['RuleName', '-'],
          ['UtcTime', sysmonUtc(r.t)],
          ['ProcessGuid', r.proc.guid],
          ['ProcessId', String(r.proc.pid)],
          ['QueryName', r.query],
          ['QueryStatus', '0'],
          ['QueryResults', `${r.answers.map((a) => `::ffff:${a};`).join('')}`],
          ['Image', r.proc.image],
        ]),
      ];
    case 'file':
      return [
        sysmon(s, 11, r.t, [
          ['RuleName', '-'],
          ['UtcTime', sysmonUtc(r.t)],
          ['ProcessGuid', r.proc.guid],
          ['ProcessId', String(r.proc.pid)],
          ['Image', r.proc.image],
          ['TargetFilename', r.path],
          ['CreationUtcTime', sysmonUtc(r.t)],
        ]),
      ];
    case 'reg':
      return [regSet(s, r.t, r.proc, r.key, r.data)];
    case 'service': {
      const [dom, name] = splitUser(r.actor.user);
      const svc: WinEvent = {
        channel: 'System',
        provider: SCM_PROVIDER,
        providerGuid: SCM_GUID,
        eventId: 7045,
        version: 0,
        task: 0,
        taskName: 'None',
        keywords: '0x8080000000000000',
        time: r.t,
        recordId: ++s.system,
        execPid: r.services.pid,
        threadId: r.services.pid + 96,
        userSid: r.actor.user.startsWith('NT AUTHORITY') ? 'S-1-5-18' : s.sid,
        data: [
          ['ServiceName', r.name],
          ['ImagePath', r.imagePath],
          ['ServiceType', 'user mode service'],
          ['StartType', r.startType],
          ['AccountName', r.account],
        ],
      };
      return [
        regSet(
          s,
          r.t - 5,
          r.services,
          `HKLM\\System\\CurrentControlSet\\Services\\${r.name}\\ImagePath`,
          r.imagePath,
        ),
        svc,
        security(s, 4697, 12289, 'Security System Extension', r.t, [
          ['SubjectUserSid', r.actor.user.startsWith('NT AUTHORITY') ? 'S-1-5-18' : s.sid],
          ['SubjectUserName', name],
          ['SubjectDomainName', dom],
          ['SubjectLogonId', s.logonId],
          ['ServiceName', r.name],
          ['ServiceFileName', r.imagePath],
          ['ServiceType', '0x10'],
          ['ServiceStartType', r.startType === 'auto start' ? '2' : '3'],
          ['ServiceAccount', r.account],
        ]),
      ];
    }
    case 'task': {
      const [dom, name] = splitUser(r.actor.user);
      const xml = `<?xml version="1.0" encoding="UTF-16"?>\r\n<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">\r\n  <Triggers>\r\n    <LogonTrigger>\r\n      <Enabled>true</Enabled>\r\n    </LogonTrigger>\r\n  </Triggers>\r\n  <Actions Context="Author">\r\n    <Exec>\r\n      <Command>${xmlText(r.command)}</Command>${r.args ? `\r\n      <Arguments>${xmlText(r.args)}</Arguments>` : ''}\r\n    </Exec>\r\n  </Actions>\r\n</Task>`;
      return [
        security(s, 4698, 12804, 'Other Object Access Events', r.t, [
          ['SubjectUserSid', s.sid],
          ['SubjectUserName', name],
          ['SubjectDomainName', dom],
          ['SubjectLogonId', s.logonId],
          ['TaskName', `\\${r.name}`],
          ['TaskContent', xml],
          ['ClientProcessStartKey', String(1688849860263936 + r.actor.pid)],
          ['ClientProcessId', String(r.actor.pid)],
          ['ParentProcessId', String(r.actor.parent?.pid ?? 0)],
          ['RpcCallClientLocality', '0'],
          ['FQDN', h.fqdn],
        ]),
      ];
    }
    default:
      return [];
  }
}

function regSet(s: WinHostState, t: number, p: SimProc, key: string, data: string): WinEvent {
  return sysmon(s, 13, t, [
    ['RuleName', '-'],
    ['EventType', 'SetValue'],
    ['UtcTime', sysmonUtc(t)],
    ['ProcessGuid', p.guid],
    ['ProcessId', String(p.pid)],
    ['Image', p.image],
    ['TargetObject', key],
    ['Details', data],
  ]);
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
