// Winlogbeat 8 / Elastic Agent documents, one per line: ECS fields at the top, the Windows
// record under `winlog` with its EventData in `winlog.event_data`.
import type { SimHost, SimRecord } from '../model.ts';
import { isoMs, LineSink } from './sink.ts';
import { type WinEvent, type WinHostState, windowsEvents, winHostState } from './windows-events.ts';

const q = JSON.stringify;

/** The fields that never change for a host, rendered once. */
function hostPart(h: SimHost): string {
  const agent = {
    type: 'winlogbeat',
    version: '8.15.3',
    name: h.name,
    hostname: h.name,
    id: `${h.index.toString(16).padStart(8, '0')}-5f2e-4c0e-9d61-3b0a7c1e2d4f`,
  };
  const host = {
    name: h.fqdn.toLowerCase(),
    hostname: h.name.toLowerCase(),
    os: { family: 'windows', platform: 'windows', type: 'windows' },
  };
  return `"agent":${q(agent)},"ecs":{"version":"8.0.0"},"host":${q(host)},"log":{"level":"information"}`;
}

const SYSTEM_USER = '{"identifier":"S-1-5-18","domain":"NT AUTHORITY","name":"SYSTEM","type":"User"}';

/**
 * One Winlogbeat document as a JSON line. Written as a string rather than through an object and
 * JSON.stringify: the generator's hot path, and the key order is then exactly Winlogbeat's.
 */
export function winlogbeatLine(e: WinEvent, h: SimHost, hostJson: string): string {
  let data = '';
  for (const [k, v] of e.data) data += `${data ? ',' : ''}"${k}":${q(v)}`;
  const module = e.channel === 'Security' ? 'security' : e.channel === 'System' ? 'system' : 'sysmon';
  const user = e.userSid
    ? `"user":${e.userSid === 'S-1-5-18' ? SYSTEM_USER : `{"identifier":"${e.userSid}","type":"User"}`},`
    : '';
  return (
    `{"@timestamp":"${isoMs(e.time)}",${hostJson},` +
    `"event":{"code":"${e.eventId}","kind":"event","provider":${q(e.provider)},"created":"${isoMs(e.time + 900)}","action":${q(e.taskName)},"module":"${module}"},` +
    `"winlog":{"api":"wineventlog","channel":${q(e.channel)},"computer_name":${q(h.fqdn)},"event_id":"${e.eventId}","provider_name":${q(e.provider)},` +
    `"provider_guid":"${e.providerGuid}","record_id":${e.recordId},"opcode":"Info","task":${q(e.taskName)},"version":${e.version},` +
    `"process":{"pid":${e.execPid},"thread":{"id":${e.threadId}}},${user}"event_data":{${data}}}}`
  );
}

export class WinlogbeatJsonWriter {
  readonly id = 'winlogbeat-json';
  private readonly sink: LineSink;
  private readonly state = new Map<number, WinHostState>();
  private readonly hostJson = new Map<number, string>();

  constructor(path: string) {
    this.sink = new LineSink(path, this.id);
  }

  write(r: SimRecord, h: SimHost): number {
    let s = this.state.get(h.index);
    if (!s) {
      s = winHostState(h);
      this.state.set(h.index, s);
    }
    const evs = windowsEvents(r, h, s);
    let hj = this.hostJson.get(h.index);
    if (!hj) {
      hj = hostPart(h);
      this.hostJson.set(h.index, hj);
    }
    for (const e of evs) this.sink.line(winlogbeatLine(e, h, hj));
    return evs.length;
  }

  close() {
    this.sink.close();
    return [this.sink.stat];
  }
}
