// Reading Zeek field values: the same record arrives as TSV text (strings, "-" unset, "(empty)"
// empty, sets joined by the set separator) or as JSON values. The log readers (conn, dhcp, dns)
// read their slots through these helpers and never see which one it was.
import type { DecodeContext } from '../reader.ts';

/** One record's wanted values (strings from TSV, JSON values from JSON), by slot. */
export type Row = unknown[];

/** What a log reader makes of one record: an event, a reason to report, or nothing worth using. */
export type ReadResult<E> = E | string | undefined;

/** One Zeek log (conn, dhcp, dns) that ratchain uses. */
export interface ZeekLog<E> {
  /** The log's `#path` / `_path` / `@stream` name. */
  path: string;
  /** The fields read, by their TSV/dotted name, in slot order. */
  fields: readonly string[];
  /** Fields without which no record of this log can be read. */
  required: readonly string[];
  /** Fields that are Zeek sets or vectors (TSV joins them with #set_separator). */
  lists?: readonly string[];
  /** True when a JSON record without `_path`/`@stream` has this log's shape. */
  looksLike(o: Record<string, unknown>): boolean;
  read(row: Row, ctx: DecodeContext, line: number): ReadResult<E>;
}

/** Zeek `time`: epoch seconds with fraction, or ISO 8601 when JSON logs use it. */
export function zeekTime(v: unknown): number {
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v !== 'string' || !v) return Number.NaN;
  const c = v.charCodeAt(0);
  if (c >= 48 && c <= 57 && !v.includes('-')) return Math.round(Number(v) * 1000);
  return Date.parse(v);
}

export function count(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function port(v: unknown): number | undefined {
  const n = count(v);
  return n !== undefined && Number.isInteger(n) && n <= 65535 ? n : undefined;
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** A set or vector value: a JSON array, or (TSV) already split by the reader. */
export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  const s = str(v);
  return s === undefined ? [] : [s];
}

/** The value of a dotted name in a JSON record: `id.orig_h`, `id_orig_h` or nested `id: {orig_h}`. */
export function jsonField(o: Record<string, unknown>, name: string): unknown {
  const v = o[name];
  if (v !== undefined || !name.startsWith('id.')) return v;
  const k = name.slice(3);
  const alt = o[`id_${k}`];
  if (alt !== undefined) return alt;
  const id = o.id;
  return id && typeof id === 'object' ? (id as Record<string, unknown>)[k] : undefined;
}
