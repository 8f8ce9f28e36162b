// Zeek logs: TSV with its own header (#separator, #set_separator, #empty_field, #unset_field,
// #path, #fields, #types; several header blocks may follow each other in one file) or NDJSON
// with dotted (`id.orig_h`) or underscored (`id_orig_h`) names. NSM pipelines mix log types in
// one file and say which in `_path` or `@stream`. The log type decides the reader: conn (flows),
// dhcp (leases: which host holds which address), dns (names for addresses). Every other log is
// skipped without parsing and summed up in one note per file.
import type { RatEvent } from '../../model/event.ts';
import { detachEvent } from '../detached-string.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { connLog } from './zeek-conn.ts';
import { dhcpLog } from './zeek-dhcp.ts';
import { dnsLog } from './zeek-dns.ts';
import { jsonField, type Row, type ZeekLog } from './zeek-fields.ts';

export const ZEEK_FORMAT = 'zeek';

/** The logs read, in the order a JSON record without a path is tried against their shapes. */
const LOGS: ReadonlyArray<ZeekLog<RatEvent>> = [connLog, dnsLog, dhcpLog];
const BY_PATH = new Map(LOGS.map((l) => [l.path, l]));

/** How a TSV block's columns map onto a log reader's slots. */
interface Binding {
  log: ZeekLog<RatEvent>;
  /** Column index -> slot (-1 for columns not read). */
  columns: number[];
  /** Slots holding sets/vectors, split by the set separator. */
  listSlots: boolean[];
  /** Number of columns up to the last wanted one. */
  needed: number;
  /** The values of the line being read, reused line after line. */
  row: Row;
}

interface TsvHeader {
  sep: string;
  setSep: string;
  empty: string;
  unset: string;
  path?: string;
  fields?: string[];
  /** Undefined while no #fields was seen; null when this block's log is not one ratchain reads. */
  binding?: Binding | null;
}

/** Records of logs ratchain does not read, by log name, for the note at the end of the file. */
type Skipped = Map<string, number>;

/** `\x09` -> tab: Zeek escapes the separator in its own header line. */
function unescapeZeek(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** The dotted spelling of a field name (some exporters write id_orig_h in TSV too). */
function dotted(name: string): string {
  return name.replace(/^id_(orig|resp)_/, 'id.$1_');
}

/** A block without #path: the log whose identifying fields its #fields holds. */
function guessLog(fields: string[]): ZeekLog<RatEvent> | undefined {
  const has = (f: string) => fields.includes(f);
  if (has('conn_state') || has('history') || (has('id.orig_h') && has('duration') && has('orig_bytes')))
    return connLog;
  if (has('query') && (has('qtype') || has('answers'))) return dnsLog;
  if (has('msg_types') || has('assigned_addr')) return dhcpLog;
  return undefined;
}

function bind(h: TsvHeader, lineNo: number, ctx: DecodeContext, report = true): void {
  const fields = h.fields!;
  const log = h.path !== undefined ? BY_PATH.get(h.path) : guessLog(fields);
  if (!log) {
    h.binding = null;
    return;
  }
  const missing = log.required.filter((f) => !fields.includes(f));
  if (missing.length) {
    if (report)
      ctx.problem(`Zeek ${log.path} log: #fields has no ${missing.join(', ')}; its lines are skipped`, {
        line: lineNo,
      });
    h.binding = null;
    return;
  }
  const columns = fields.map((n) => log.fields.indexOf(n));
  let needed = 0;
  columns.forEach((c, i) => {
    if (c >= 0) needed = i + 1;
  });
  const listSlots = log.fields.map((f) => log.lists?.includes(f) ?? false);
  h.binding = { log, columns, listSlots, needed, row: new Array(log.fields.length) };
}

function tsvHeader(h: TsvHeader, text: string, lineNo: number, ctx: DecodeContext): void {
  if (text.startsWith('#separator')) {
    // "#separator \x09": the only header line separated by a space.
    const v = unescapeZeek(text.slice(10).trim());
    if (!v || v.includes('\\x'))
      ctx.problem(
        `#separator ${JSON.stringify(text.slice(10).trim().slice(0, 20))} is not a separator; keeping the previous one`,
        { line: lineNo },
      );
    else h.sep = v;
    return;
  }
  const cut = text.indexOf(h.sep);
  const key = cut < 0 ? text : text.slice(0, cut);
  const value = cut < 0 ? '' : text.slice(cut + h.sep.length);
  switch (key) {
    case '#set_separator':
      h.setSep = value || ',';
      break;
    case '#empty_field':
      h.empty = value;
      break;
    case '#unset_field':
      h.unset = value;
      break;
    case '#path':
      // Zeek writes #path before #fields: the old fields rebind quietly, the new #fields reports.
      h.path = value;
      if (h.fields) bind(h, lineNo, ctx, false);
      break;
    case '#fields':
      h.fields = value.split(h.sep).map(dotted);
      bind(h, lineNo, ctx);
      break;
    default:
      // #open, #close, #types: nothing the reader needs.
      break;
  }
}

function tsvLine(h: TsvHeader, text: string, lineNo: number, ctx: DecodeContext, skipped: Skipped): void {
  const b = h.binding;
  if (b === undefined) {
    ctx.problem('Zeek data line before any #fields header; skipped', { line: lineNo });
    return;
  }
  if (b === null) {
    const name = h.path ?? 'unnamed';
    skipped.set(name, (skipped.get(name) ?? 0) + 1);
    ctx.ignored();
    return;
  }
  const { row, columns: cols, listSlots } = b;
  row.fill(undefined);
  let start = 0;
  let col = 0;
  const sep = h.sep;
  // Slice only the wanted columns: a conn line has ~20, the reader needs 12.
  while (col < b.needed) {
    let end = text.indexOf(sep, start);
    if (end < 0) end = text.length;
    const slot = cols[col];
    if (slot >= 0) {
      const v = text.slice(start, end);
      if (v === h.unset) row[slot] = null;
      else if (v === h.empty) row[slot] = listSlots[slot] ? [] : '';
      else row[slot] = listSlots[slot] ? v.split(h.setSep) : v;
    }
    col++;
    if (end === text.length) break;
    start = end + sep.length;
  }
  if (col < b.needed) {
    ctx.problem(`Zeek line has ${col} columns, #fields names ${cols.length}; skipped`, { line: lineNo });
    return;
  }
  emit(b.log.read(row, ctx, lineNo), ctx, lineNo, true);
}

function emit(r: RatEvent | string | undefined, ctx: DecodeContext, line: number, detach: boolean): void {
  if (r === undefined) ctx.ignored();
  else if (typeof r === 'string') ctx.problem(`${r}; skipped`, { line });
  else ctx.emit(detach ? detachEvent(r) : r); // TSV values are slices of the line
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

function jsonLine(text: string, lineNo: number, ctx: DecodeContext, skipped: Skipped): void {
  const stream = streamOf(text);
  let log = stream === undefined ? undefined : BY_PATH.get(stream);
  if (stream !== undefined && !log) {
    skipped.set(stream, (skipped.get(stream) ?? 0) + 1);
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
  log ??= LOGS.find((l) => l.looksLike(rec));
  if (!log) {
    skipped.set('unnamed', (skipped.get('unnamed') ?? 0) + 1);
    ctx.ignored();
    return;
  }
  const row: Row = log.fields.map((f) => jsonField(rec, f));
  emit(log.read(row, ctx, lineNo), ctx, lineNo, false);
}

/** "skipped 2880 loaded_scripts, 686 ssl, ... records": the logs this file held that no reader uses. */
function skippedNote(skipped: Skipped): string {
  const parts = [...skipped].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${n} ${p}`);
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  return `skipped ${total} records of Zeek logs ratchain does not read (${parts.join(', ')}); read: ${LOGS.map((l) => l.path).join(', ')}`;
}

function decoder(ctx: DecodeContext): LineDecoder {
  const h: TsvHeader = { sep: '\t', setSep: ',', empty: '(empty)', unset: '-' };
  const skipped: Skipped = new Map();
  return {
    mode: 'lines',
    line(text, lineNo) {
      const c = text.charCodeAt(0);
      if (c === 123) jsonLine(text, lineNo, ctx, skipped);
      else if (c === 35) tsvHeader(h, text, lineNo, ctx);
      else if (text.length === 0 || !text.trim()) return;
      else tsvLine(h, text, lineNo, ctx, skipped);
    },
    end() {
      if (skipped.size) ctx.note?.(skippedNote(skipped));
    },
  };
}

function firstLine(text: string): string {
  let i = 0;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ')) i++;
  const e = text.indexOf('\n', i);
  return text.slice(i, e < 0 ? text.length : e);
}

function sniffJson(first: string): number {
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
  if (dhcpLog.looksLike(o) && (o.uids !== undefined || o.mac !== undefined)) return 0.9;
  return 0;
}

export const zeek: Format = {
  id: ZEEK_FORMAT,
  description:
    'Zeek logs, TSV with header or NDJSON (id.orig_h / id_orig_h; NSM pipelines with _path/@stream): conn, dhcp and dns read, others skipped',
  sniff(_head, text) {
    const first = firstLine(text);
    if (first.startsWith('#separator') || first.startsWith('#fields')) {
      const head = text.slice(0, 8192);
      if (/^#path\t(conn|dhcp|dns)\s*$/m.test(head)) return 0.97;
      if (/^#fields\t.*\bid\.orig_h\b.*\bconn_state\b/m.test(head)) return 0.95;
      return 0.6; // another Zeek log: read, and its records summed up as skipped
    }
    if (first.charCodeAt(0) !== 123) return 0;
    return sniffJson(first);
  },
  decoder,
};
