// Zeek conn.log: TSV with its own header (#separator, #set_separator, #empty_field,
// #unset_field, #path, #fields, #types; several header blocks may follow each other in one
// file) or NDJSON with dotted (`id.orig_h`) or underscored (`id_orig_h`) names. NSM pipelines
// mix log types in one file and say which in `_path` or `@stream`: only conn records become
// events, the others are counted as ignored. Labelled exports add columns; they are not read.
import type { NetworkEvent } from '../../model/event.ts';
import { detachEvent } from '../detached-string.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';

export const ZEEK_CONN_FORMAT = 'zeek-conn';

/** The conn fields the reader uses, by their TSV/dotted name. */
const WANTED = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
] as const;
// Slots of the values array a record is read into (the order of WANTED).
const TS = 0;
const UID = 1;
const ORIG_H = 2;
const ORIG_P = 3;
const RESP_H = 4;
const RESP_P = 5;
const PROTO = 6;
const DURATION = 7;
const ORIG_BYTES = 8;
const RESP_BYTES = 9;
const CONN_STATE = 10;
const LOCAL_ORIG = 11;
/** One record's wanted values (strings from TSV, JSON values from JSON), by slot. */
type Row = unknown[];

/** Zeek `time`: epoch seconds with fraction, or ISO 8601 when JSON logs use it. */
function zeekTime(v: unknown): number {
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v !== 'string' || !v) return Number.NaN;
  const c = v.charCodeAt(0);
  if (c >= 48 && c <= 57 && !v.includes('-')) return Math.round(Number(v) * 1000);
  return Date.parse(v);
}

function count(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function port(v: unknown): number | undefined {
  const n = count(v);
  return n !== undefined && Number.isInteger(n) && n <= 65535 ? n : undefined;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** One conn record (values as strings from TSV, or JSON values) -> an event or a reason. */
function toEvent(r: Row, ctx: DecodeContext, line: number): NetworkEvent | string {
  const time = zeekTime(r[TS]);
  if (!Number.isFinite(time)) return `conn record without a readable ts (${JSON.stringify(r[TS])})`;
  const src = str(r[ORIG_H]);
  const dst = str(r[RESP_H]);
  if (!src || !dst) return 'conn record without id.orig_h/id.resp_h';
  const lo = r[LOCAL_ORIG];
  return {
    kind: 'network',
    time,
    host: src,
    platform: 'network',
    src: { file: ctx.file, format: ZEEK_CONN_FORMAT, line, record: str(r[UID]), eventId: 'conn' },
    flow: true,
    direction: lo === 'T' || lo === true ? 'outbound' : 'unknown',
    protocol: str(r[PROTO]),
    srcIp: src,
    srcPort: port(r[ORIG_P]),
    dstIp: dst,
    dstPort: port(r[RESP_P]),
    durationSec: count(r[DURATION]),
    bytesOut: count(r[ORIG_BYTES]),
    bytesIn: count(r[RESP_BYTES]),
    state: str(r[CONN_STATE]),
  };
}

/** `\x09` -> tab: Zeek escapes the separator in its own header line. */
function unescapeZeek(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

interface TsvHeader {
  sep: string;
  empty: string;
  unset: string;
  path?: string;
  /** Column index -> slot in the values array (-1 for columns not read). */
  columns?: number[];
  /** The values of the line being read, reused line after line. */
  row: Row;
  /** Number of columns up to the last wanted one. */
  needed: number;
}

function tsvLine(h: TsvHeader, text: string, lineNo: number, ctx: DecodeContext): void {
  const cols = h.columns;
  if (!cols) {
    ctx.problem('Zeek data line before any #fields header; skipped', { line: lineNo });
    return;
  }
  if (h.path !== undefined && h.path !== 'conn') {
    ctx.ignored();
    return;
  }
  const row = h.row;
  row.fill(undefined);
  let start = 0;
  let col = 0;
  const sep = h.sep;
  // Slice only the wanted columns: a conn line has ~20, the reader needs 12.
  while (col < h.needed) {
    let end = text.indexOf(sep, start);
    if (end < 0) end = text.length;
    const slot = cols[col];
    if (slot >= 0) {
      const v = text.slice(start, end);
      row[slot] = v === h.unset ? null : v === h.empty ? '' : v;
    }
    col++;
    if (end === text.length) break;
    start = end + sep.length;
  }
  if (col < h.needed) {
    ctx.problem(`Zeek line has ${col} columns, #fields names ${cols.length}; skipped`, { line: lineNo });
    return;
  }
  const ev = toEvent(row, ctx, lineNo);
  if (typeof ev === 'string') ctx.problem(`${ev}; skipped`, { line: lineNo });
  else ctx.emit(detachEvent(ev)); // TSV values are slices of the line
}

function tsvHeader(h: TsvHeader, text: string, lineNo: number, ctx: DecodeContext): void {
  if (text.startsWith('#separator')) {
    // "#separator \x09": the only header line separated by a space.
    const v = unescapeZeek(text.slice(10).trim());
    if (!v || v.includes('\\x'))
      ctx.problem(
        `#separator ${JSON.stringify(text.slice(10).trim().slice(0, 20))} is not a separator; keeping the previous one`,
        {
          line: lineNo,
        },
      );
    else h.sep = v;
    return;
  }
  const cut = text.indexOf(h.sep);
  const key = cut < 0 ? text : text.slice(0, cut);
  const value = cut < 0 ? '' : text.slice(cut + h.sep.length);
  switch (key) {
    case '#empty_field':
      h.empty = value;
      break;
    case '#unset_field':
      h.unset = value;
      break;
    case '#path':
      h.path = value;
      break;
    case '#fields': {
      const names = value.split(h.sep);
      const cols = names.map((n) =>
        (WANTED as readonly string[]).indexOf(n.replace(/^id_(orig|resp)_/, 'id.$1_')),
      );
      for (const w of ['ts', 'id.orig_h', 'id.resp_h'] as const)
        if (!cols.includes(WANTED.indexOf(w)))
          ctx.problem(`#fields has no ${w}: not a conn log; its lines are skipped`, { line: lineNo });
      let needed = 0;
      cols.forEach((c, i) => {
        if (c >= 0) needed = i + 1;
      });
      h.columns = cols;
      h.needed = needed;
      break;
    }
    default:
      // #set_separator, #open, #close, #types: nothing the reader needs.
      break;
  }
}

/** JSON record -> Row, accepting `id.orig_h`, `id_orig_h` and nested `id: {orig_h}`. */
function jsonRow(o: Record<string, unknown>): Row {
  const id = o.id && typeof o.id === 'object' ? (o.id as Record<string, unknown>) : undefined;
  const pick = (k: 'orig_h' | 'orig_p' | 'resp_h' | 'resp_p') => o[`id.${k}`] ?? o[`id_${k}`] ?? id?.[k];
  return [
    o.ts,
    o.uid,
    pick('orig_h'),
    pick('orig_p'),
    pick('resp_h'),
    pick('resp_p'),
    o.proto,
    o.duration,
    o.orig_bytes,
    o.resp_bytes,
    o.conn_state,
    o.local_orig,
  ];
}

/** The log type an NSM pipeline wrote into the line, read without parsing the JSON. */
function streamOf(text: string): string | undefined {
  for (const key of ['"_path":"', '"@stream":"', '"_path": "', '"@stream": "']) {
    const i = text.indexOf(key);
    if (i >= 0) {
      const s = i + key.length;
      const e = text.indexOf('"', s);
      return e < 0 ? undefined : text.slice(s, e);
    }
  }
  return undefined;
}

function isConnRecord(o: Record<string, unknown>): boolean {
  const path = o._path ?? o['@stream'];
  if (typeof path === 'string') return path === 'conn';
  return o.conn_state !== undefined || o.history !== undefined || o.orig_ip_bytes !== undefined;
}

function jsonLine(text: string, lineNo: number, ctx: DecodeContext): void {
  const stream = streamOf(text);
  if (stream !== undefined && stream !== 'conn') {
    ctx.ignored();
    return;
  }
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    ctx.problem(`not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`, { line: lineNo });
    return;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) {
    ctx.problem('JSON value is not an object; skipped', { line: lineNo });
    return;
  }
  const rec = o as Record<string, unknown>;
  if (!isConnRecord(rec)) {
    ctx.ignored();
    return;
  }
  const ev = toEvent(jsonRow(rec), ctx, lineNo);
  if (typeof ev === 'string') ctx.problem(`${ev}; skipped`, { line: lineNo });
  else ctx.emit(ev);
}

function decoder(ctx: DecodeContext): LineDecoder {
  const h: TsvHeader = { sep: '\t', empty: '(empty)', unset: '-', needed: 0, row: new Array(WANTED.length) };
  return {
    mode: 'lines',
    line(text, lineNo) {
      const c = text.charCodeAt(0);
      if (c === 123) jsonLine(text, lineNo, ctx);
      else if (c === 35) tsvHeader(h, text, lineNo, ctx);
      else if (text.length === 0 || !text.trim()) return;
      else tsvLine(h, text, lineNo, ctx);
    },
    end() {},
  };
}

function firstLine(text: string): string {
  let i = 0;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ')) i++;
  const e = text.indexOf('\n', i);
  return text.slice(i, e < 0 ? text.length : e);
}

export const zeekConn: Format = {
  id: ZEEK_CONN_FORMAT,
  description:
    'Zeek conn.log: TSV with header, or NDJSON (id.orig_h / id_orig_h; NSM pipelines with _path/@stream)',
  sniff(_head, text) {
    const first = firstLine(text);
    if (first.startsWith('#separator') || first.startsWith('#fields')) {
      if (/^#path\tconn\s*$/m.test(text.slice(0, 4096))) return 0.97;
      if (/^#fields\t.*\bid\.orig_h\b.*\bconn_state\b/m.test(text.slice(0, 8192))) return 0.95;
      return 0.6; // another Zeek log: read, and every record counted as ignored
    }
    if (first.charCodeAt(0) !== 123) return 0;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(first) as Record<string, unknown>;
    } catch {
      return 0;
    }
    if (!o || typeof o !== 'object' || o.ts === undefined) return 0;
    if (o['id.orig_h'] !== undefined || o.id_orig_h !== undefined) return 0.95;
    if (typeof o._path === 'string' || (typeof o['@stream'] === 'string' && typeof o['@proc'] === 'string'))
      return 0.9;
    return 0;
  },
  decoder,
};
