// JSON renderings of EVTX records as evtx_dump and similar tools write them:
// {"Event":{"System":{...,"TimeCreated":{"#attributes":{"SystemTime":...}}},"EventData":{...}}}
import { parseWinTime, type WinRecord } from './record.ts';

type Obj = Record<string, unknown>;

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') {
    const o = v as Obj;
    if ('#text' in o) return text(o['#text']);
    return JSON.stringify(v);
  }
  return String(v);
}

function attr(v: unknown, name: string): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const a = (v as Obj)['#attributes'] as Obj | undefined;
  return a ? text(a[name]) : text((v as Obj)[name]);
}

export function isEvtxJson(o: Obj): boolean {
  const e = o.Event as Obj | undefined;
  return !!e && typeof e === 'object' && typeof e.System === 'object';
}

export function fromEvtxJson(o: Obj): WinRecord | string {
  const e = o.Event as Obj;
  const sys = e.System as Obj;
  const id = Number(text(sys.EventID));
  if (!Number.isInteger(id)) return 'System.EventID is not a number';
  const time = parseWinTime(attr(sys.TimeCreated, 'SystemTime') ?? '');
  if (!Number.isFinite(time)) return 'no readable System.TimeCreated.SystemTime';
  const computer = text(sys.Computer);
  if (!computer) return 'no System.Computer';
  const data: Record<string, string> = {};
  for (const part of [e.EventData, e.UserData]) {
    if (!part || typeof part !== 'object') continue;
    let fields = part as Obj;
    // UserData wraps its fields in one element named after the event.
    if (part === e.UserData) {
      const inner = Object.values(fields).find((v) => v && typeof v === 'object');
      if (inner) fields = inner as Obj;
    }
    for (const [k, v] of Object.entries(fields)) {
      if (k === '#attributes') continue;
      const t = text(v);
      if (t !== undefined) data[k] = t;
    }
  }
  return {
    channel: text(sys.Channel) ?? '',
    provider: attr(sys.Provider, 'Name'),
    eventId: id,
    recordId: text(sys.EventRecordID),
    time,
    computer,
    data,
    userSid: attr(sys.Security, 'UserID'),
  };
}
