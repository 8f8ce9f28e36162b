// Winlogbeat 8 / Elastic Agent documents, one per line: ECS fields at the top, the Windows
// record under `winlog` with its EventData in `winlog.event_data`.
import type { SimHost, SimRecord } from '../model.ts';
import { isoMs, LineSink } from './sink.ts';
import { type WinEvent, type WinHostState, windowsEvents, winHostState } from './windows-events.ts';

export function winlogbeatDoc(e: WinEvent, h: SimHost): Record<string, unknown> {
  const data: Record<string, string> = {};
  for (const [k, v] of e.data) data[k] = v;
  const system = e.userSid === 'S-1-5-18';
  return {
    '@timestamp': isoMs(e.time),
    agent: {
      type: 'winlogbeat',
      version: '8.15.3',
      name: h.name,
      hostname: h.name,
      id: `${h.index.toString(16).padStart(8, '0')}-5f2e-4c0e-9d61-3b0a7c1e2d4f`,
    },
    ecs: { version: '8.0.0' },
    host: {
      name: h.fqdn.toLowerCase(),
      hostname: h.name.toLowerCase(),
      os: { family: 'windows', platform: 'windows', type: 'windows' },
    },
    log: { level: e.channel === 'Security' ? 'information' : 'information' },
    event: {
      code: String(e.eventId),
      kind: 'event',
      provider: e.provider,
      created: isoMs(e.time + 900),
      action: e.taskName,
      module: e.channel === 'Microsoft-Windows-Sysmon/Operational' ? 'sysmon' : 'security',
    },
    winlog: {
      api: 'wineventlog',
      channel: e.channel,
      computer_name: h.fqdn,
      event_id: String(e.eventId),
      provider_name: e.provider,
      provider_guid: e.providerGuid,
      record_id: e.recordId,
      opcode: 'Info',
      task: e.taskName,
      version: e.version,
      process: { pid: e.execPid, thread: { id: e.threadId } },
      ...(e.userSid
        ? {
            user: system
              ? { identifier: 'S-1-5-18', domain: 'NT AUTHORITY', name: 'SYSTEM', type: 'User' }
              : { identifier: e.userSid, type: 'User' },
          }
        : {}),
      event_data: data,
    },
  };
}

export class WinlogbeatJsonWriter {
  readonly id = 'winlogbeat-json';
  private readonly sink: LineSink;
  private readonly state = new Map<number, WinHostState>();

  constructor(path: string) {
    this.sink = new LineSink(path, this.id);
  }

  write(r: SimRecord, h: SimHost): number {
    let s = this.state.get(h.index);
    if (!s) this.state.set(h.index, (s = winHostState(h)));
    const evs = windowsEvents(r, h, s);
    for (const e of evs) this.sink.line(JSON.stringify(winlogbeatDoc(e, h)));
    return evs.length;
  }

  close() {
    this.sink.close();
    return [this.sink.stat];
  }
}
