// Seeded random events for the writer/reader property tests, and the WinRecord the reader must
// make of each (rendered here independently of src/, so a rendering bug cannot agree with itself).

import type { WinRecord } from '../../../../src/ingest/windows/record.ts';
import type { WriterEvent, WriterValue } from '../../../../src/simulate/evtx/binary-writer.ts';

export type Rng = () => number;

/** Small deterministic PRNG (mulberry32): failures replay from the printed seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

const ALPHABET = ['a', 'Z', '0', ' ', '\\', '<', '>', '&', '"', "'", 'é', 'ß', '中', '😀', '\t', '%', '-'];

function text(r: Rng, max: number): string {
  let s = '';
  const n = int(r, max);
  for (let i = 0; i < n; i++) s += pick(r, ALPHABET);
  return s;
}

function ident(r: Rng): string {
  let s = pick(r, ['Image', 'Target', 'Process', 'Subject', 'Logon', 'x', 'Q']);
  const n = int(r, 6);
  for (let i = 0; i < n; i++) s += pick(r, ['a', 'B', '1', '_', 'Id', 'Name']);
  return s;
}

const hex = (r: Rng, bytes: number) =>
  Array.from({ length: bytes }, () => int(r, 256).toString(16).padStart(2, '0')).join('');

function value(r: Rng): WriterValue {
  switch (int(r, 16)) {
    case 0:
      return { type: 'null' };
    case 1:
      return { type: 'u8', value: int(r, 256) };
    case 2:
      return { type: 'u16', value: int(r, 65536) };
    case 3:
      return { type: 'u32', value: int(r, 2 ** 32) };
    case 4:
      return { type: 'i32', value: int(r, 2 ** 32) - 2 ** 31 };
    case 5:
      return { type: 'bool', value: int(r, 2) };
    case 6:
      return { type: 'u64', value: BigInt(`0x${hex(r, 8)}`) };
    case 7:
      return { type: 'hex32', value: BigInt(int(r, 2 ** 32)) };
    case 8:
      return { type: 'hex64', value: BigInt(`0x${hex(r, 8)}`) };
    case 9:
      return {
        type: 'guid',
        value: `{${hex(r, 4)}-${hex(r, 2)}-${hex(r, 2)}-${hex(r, 2)}-${hex(r, 6)}}`.toUpperCase(),
      };
    case 10:
      return {
        type: 'sid',
        value: `S-1-5-${Array.from({ length: int(r, 5) }, () => int(r, 2 ** 32)).join('-')}`.replace(
          /-$/,
          '',
        ),
      };
    case 11:
      return { type: 'filetime', value: Date.UTC(1990, 0, 1) + int(r, 50 * 365 * 86400_000) };
    case 12:
      return { type: 'binary', value: hex(r, int(r, 20)).toUpperCase() };
    case 13:
      return {
        type: 'strings',
        value: Array.from({ length: 1 + int(r, 3) }, () => text(r, 8).replace(/,/g, '') || 'x'),
      };
    case 14:
      return { type: 'u32s', value: Array.from({ length: int(r, 4) }, () => int(r, 1000)) };
    default:
      return text(r, 60);
  }
}

/** `n` random events, ids from `firstId` on, shapes repeating so templates are reused. */
export function randomEvents(r: Rng, n: number, firstId = 1): WriterEvent[] {
  const shapes = Array.from({ length: 1 + int(r, 6) }, () => ({
    provider: pick(r, [
      'Microsoft-Windows-Sysmon',
      'Microsoft-Windows-Security-Auditing',
      'Service Control Manager',
      text(r, 20) || 'P',
    ]),
    eventId: int(r, 65536),
    names: Array.from({ length: int(r, 12) }, () => (r() < 0.1 ? null : ident(r))),
    userData:
      r() < 0.2
        ? { wrapper: ident(r), names: Array.from({ length: 1 + int(r, 4) }, () => ident(r)) }
        : undefined,
    plain: r() < 0.1,
    embed: r() < 0.3,
  }));
  const out: WriterEvent[] = [];
  for (let i = 0; i < n; i++) {
    const s = pick(r, shapes);
    out.push({
      recordId: firstId + i,
      time: Date.UTC(2015, 0, 1) + int(r, 10 * 365 * 86400_000),
      eventId: s.eventId,
      provider: s.provider,
      channel: pick(r, ['Security', 'System', 'Microsoft-Windows-Sysmon/Operational']),
      computer: text(r, 15) || 'HOST',
      userSid: r() < 0.7 ? 'S-1-5-18' : undefined,
      // Plain records carry text only (their values are literal text tokens).
      data: s.names.length ? s.names.map((nm) => [nm, s.plain ? text(r, 30) : value(r)]) : undefined,
      userData:
        s.userData && !s.plain
          ? { wrapper: s.userData.wrapper, fields: s.userData.names.map((nm) => [nm, value(r)]) }
          : undefined,
      plain: s.plain,
      embedEventData: s.embed && !s.plain,
    });
  }
  return out;
}

/** How the reader renders a writer value. */
export function rendered(v: WriterValue): string {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'null':
      return '';
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i32':
      return String(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'u64':
    case 'i64':
      return v.value.toString();
    case 'hex32':
      return `0x${v.value.toString(16).padStart(8, '0')}`;
    case 'hex64':
      return `0x${v.value.toString(16).padStart(16, '0')}`;
    case 'guid':
    case 'sid':
    case 'ansi':
      return v.value;
    case 'binary':
      return v.value.toUpperCase();
    case 'filetime':
      return `${new Date(v.value).toISOString().slice(0, 23)}000000Z`;
    case 'strings':
    case 'u32s':
      return v.value.join(',');
  }
}

/** The WinRecord the reader must produce for a writer event. */
export function expectedRecord(e: WriterEvent): WinRecord {
  const data: Record<string, string> = {};
  let unnamed = 0;
  for (const [n, v] of e.data ?? []) {
    if (n === null && typeof v !== 'string' && (v.type === 'strings' || v.type === 'u32s')) {
      // An unnamed array is one unnamed Data per item, as Windows renders it.
      for (const item of v.value) data[unnamed++ === 0 ? 'Data' : `Data${unnamed - 1}`] = String(item);
      continue;
    }
    // The writer makes every substitution optional: a NULL value leaves the element out.
    if (typeof v !== 'string' && v.type === 'null' && !e.plain) continue;
    const name = n ?? (unnamed++ === 0 ? 'Data' : `Data${unnamed - 1}`);
    data[name] = rendered(v);
  }
  for (const [n, v] of e.userData?.fields ?? [])
    if (typeof v === 'string' || v.type !== 'null') data[n] = rendered(v);
  return {
    channel: e.channel,
    provider: e.provider,
    eventId: e.eventId,
    recordId: String(e.recordId),
    time: e.time,
    computer: e.computer,
    data,
    userSid: e.userSid,
  };
}
