// Winlogbeat / Elastic Agent documents (ECS): the Windows record lives under `winlog`; after
// Elastic's ingest pipelines part of it lives in ECS fields instead (ecs-fields.ts).
import { withEcsEventData } from './ecs-fields.ts';
import { channelKind } from './events.ts';
import { parseWinTime, type WinRecord } from './record.ts';

type Obj = Record<string, unknown>;

function flatten(src: unknown, out: Record<string, string>): void {
  if (!src || typeof src !== 'object') return;
  for (const [k, v] of Object.entries(src as Obj)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

export function isWinlogbeat(o: Obj): boolean {
  const w = o.winlog as Obj | undefined;
  return !!w && typeof w === 'object' && (w.event_id !== undefined || w.channel !== undefined);
}

export function fromWinlogbeat(o: Obj): WinRecord | string {
  const w = o.winlog as Obj;
  const event = (o.event ?? {}) as Obj;
  const id = Number(w.event_id ?? event.code);
  if (!Number.isInteger(id)) return 'winlog.event_id is not a number';
  const time = parseWinTime(String(o['@timestamp'] ?? event.created ?? ''));
  if (!Number.isFinite(time)) return 'no readable @timestamp';
  const host = (o.host ?? {}) as Obj;
  const computer = String(w.computer_name ?? host.hostname ?? host.name ?? '');
  if (!computer) return 'no host name (winlog.computer_name, host.name)';
  // event_data is used as it is (no copy): readers of WinRecord.data go through events.ts, which
  // turns non-string values into strings.
  let data = (w.event_data && typeof w.event_data === 'object' ? w.event_data : {}) as Record<string, string>;
  if (w.user_data && typeof w.user_data === 'object') {
    data = { ...data };
    flatten(w.user_data, data);
  }
  const user = (w.user ?? {}) as Obj;
  const rec: WinRecord = {
    channel: String(w.channel ?? ''),
    provider: w.provider_name === undefined ? undefined : String(w.provider_name),
    eventId: id,
    recordId: w.record_id === undefined ? undefined : String(w.record_id),
    time,
    computer,
    data,
    userSid: user.identifier === undefined ? undefined : String(user.identifier),
  };
  rec.data = withEcsEventData(o, rec, channelKind(rec));
  return rec;
}
