// The raw records behind evidence, re-read from the source files when a report is written, so a
// responder sees what the sensor wrote next to what ratchain made of it. A line-oriented input
// gives the line (an auditd event's sibling records with the same serial, an event XML element
// up to its closing tag); an EVTX file gives the record at its offset, decoded by the EVTX reader.
// Everything is bounded: characters per record, bytes in all, the lines searched around one, and
// a compressed input is re-read only when it inflates to a bounded size. What cannot be re-read says why.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { SourceRef } from '../model/event.ts';
import { readChunk } from './windows/evtx/chunk.ts';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './windows/evtx/header.ts';

export interface RawRecord {
  text: string;
  /** Set when the record was cut at the per-record bound. */
  truncated?: boolean;
  /** Why there is no text (stdin, a missing file, a compressed file too large, the budget spent). */
  note?: string;
}

export interface RawLimits {
  /** Characters kept of one record. */
  perRecord: number;
  /** Characters kept in all, over every record. */
  total: number;
}

/** Enough for a Sysmon event or an auditd event's records; a report stays a few megabytes. */
export const RAW_LIMITS: RawLimits = { perRecord: 4096, total: 4_000_000 };
/** A compressed input is decompressed whole, so only one this large, once inflated, is re-read. */
export const MAX_GUNZIPPED_BYTES = 64 * 1024 * 1024;
/** How far from the record's line its sibling lines (auditd) or closing tag (XML) are looked for. */
const SIBLING_LINES = 40;
/** Bytes read at a time while counting lines. */
const READ_BLOCK = 1 << 20;
/** Bytes of one line kept while reading (a record is cut far below this anyway). */
const MAX_LINE_BYTES = 64 * 1024;

export function rawKey(src: Pick<SourceRef, 'file' | 'line' | 'offset'>): string {
  return `${src.file}\n${src.line !== undefined ? src.line : `@${src.offset ?? ''}`}`;
}

/** The wanted lines (1-based) of a file, read block by block up to the last of them. */
function readLines(path: string, wanted: Set<number>): Map<number, string> {
  const to = Math.max(...wanted);
  const out = new Map<number, string>();
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BLOCK);
    let line = 1;
    let current: Buffer[] = [];
    let kept = 0;
    const keep = (b: Buffer) => {
      if (kept >= MAX_LINE_BYTES) return;
      const part = b.subarray(0, MAX_LINE_BYTES - kept);
      current.push(Buffer.from(part));
      kept += part.length;
    };
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, READ_BLOCK, pos);
      if (n === 0) break;
      pos += n;
      let start = 0;
      for (let i = 0; i < n; i++) {
        if (buf[i] !== 0x0a) continue;
        if (wanted.has(line)) keep(buf.subarray(start, i));
        if (current.length) out.set(line, Buffer.concat(current).toString('utf8').replace(/\r$/, ''));
        current = [];
        kept = 0;
        line++;
        start = i + 1;
        if (line > to) return out;
      }
      if (wanted.has(line)) keep(buf.subarray(start, n));
    }
    if (current.length) out.set(line, Buffer.concat(current).toString('utf8'));
    return out;
  } finally {
    closeSync(fd);
  }
}

function linesOfText(text: string, wanted: Set<number>): Map<number, string> {
  const out = new Map<number, string>();
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 10) continue;
    if (wanted.has(line)) out.set(line, text.slice(start, i).replace(/\r$/, ''));
    line++;
    start = i + 1;
  }
  return out;
}

const AUDIT_ID = /msg=audit\(([\d.]+:\d+)\)/;

/** The record's own lines: auditd siblings of one event, or an XML element to its closing tag. */
function recordLines(at: number, lines: Map<number, string>): string {
  const first = lines.get(at) ?? '';
  const id = AUDIT_ID.exec(first)?.[1];
  if (id) {
    const same: string[] = [];
    for (let l = at - SIBLING_LINES; l <= at + SIBLING_LINES; l++) {
      const t = lines.get(l);
      if (t !== undefined && AUDIT_ID.exec(t)?.[1] === id) same.push(t);
    }
    return same.join('\n');
  }
  if (/<Event[\s>]/.test(first) && !/<\/Event>/.test(first)) {
    const out = [first];
    for (let l = at + 1; l <= at + SIBLING_LINES; l++) {
      const t = lines.get(l);
      if (t === undefined) break;
      out.push(t);
      if (t.includes('</Event>')) break;
    }
    return out.join('\n');
  }
  return first;
}

function evtxRecord(path: string, offset: number): string | undefined {
  const chunk = Math.floor((offset - FILE_HEADER_SIZE) / CHUNK_SIZE);
  if (chunk < 0) return undefined;
  const start = FILE_HEADER_SIZE + chunk * CHUNK_SIZE;
  const buf = Buffer.alloc(CHUNK_SIZE);
  const fd = openSync(path, 'r');
  let len: number;
  try {
    len = readSync(fd, buf, 0, CHUNK_SIZE, start);
  } finally {
    closeSync(fd);
  }
  let found: string | undefined;
  readChunk(buf, len, chunk, start, {
    record(rec, at) {
      if (at === offset) found = JSON.stringify(rec, null, 2);
    },
    problem() {},
  });
  return found;
}

function cap(text: string, limits: RawLimits): RawRecord {
  return text.length > limits.perRecord
    ? { text: text.slice(0, limits.perRecord), truncated: true }
    : { text };
}

/** The lines each ref needs read: its own and the window where its siblings may be. */
function wantedLines(refs: SourceRef[]): Set<number> {
  const wanted = new Set<number>();
  for (const r of refs)
    for (let l = Math.max(1, r.line! - SIBLING_LINES); l <= r.line! + SIBLING_LINES; l++) wanted.add(l);
  return wanted;
}

/** Known by its magic bytes, as the readers know it, whatever the file is called. */
function isGzip(file: string): boolean {
  const head = Buffer.alloc(2);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The inflated text, or undefined past MAX_GUNZIPPED_BYTES (zlib stops there: a bomb costs nothing). */
function gunzipBounded(file: string): string | undefined {
  try {
    return gunzipSync(readFileSync(file), { maxOutputLength: MAX_GUNZIPPED_BYTES }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw e;
  }
}

function readFileRecords(file: string, refs: SourceRef[], limits: RawLimits): Map<string, RawRecord> {
  const out = new Map<string, RawRecord>();
  const byLine = refs.filter((r) => r.line !== undefined);
  const byOffset = refs.filter((r) => r.line === undefined && r.offset !== undefined);
  if (byLine.length) {
    const wanted = wantedLines(byLine);
    let lines: Map<number, string>;
    if (isGzip(file)) {
      const text = gunzipBounded(file);
      if (text === undefined) {
        for (const r of byLine)
          out.set(rawKey(r), { text: '', note: 'compressed input expands too far to re-read' });
        return out;
      }
      lines = linesOfText(text, wanted);
    } else lines = readLines(file, wanted);
    for (const r of byLine) out.set(rawKey(r), cap(recordLines(r.line!, lines), limits));
  }
  for (const r of byOffset) {
    const text = /\.evtx$/i.test(file) || r.format === 'evtx' ? evtxRecord(file, r.offset!) : undefined;
    out.set(
      rawKey(r),
      text === undefined ? { text: '', note: 'no record at this offset' } : cap(text, limits),
    );
  }
  return out;
}

/** The raw record behind every ref, within the limits; refs that cannot be re-read say why. */
export function readRawRecords(
  refs: readonly SourceRef[],
  limits: RawLimits = RAW_LIMITS,
): Map<string, RawRecord> {
  const out = new Map<string, RawRecord>();
  const byFile = new Map<string, SourceRef[]>();
  for (const r of refs) {
    if (out.has(rawKey(r))) continue;
    if (r.file === '-') {
      out.set(rawKey(r), { text: '', note: 'read from stdin: not re-readable' });
      continue;
    }
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file)!.push(r);
  }
  let used = 0;
  for (const [file, list] of byFile) {
    let records: Map<string, RawRecord>;
    try {
      records = readFileRecords(file, list, limits);
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file no longer there' : (e as Error).message;
      for (const r of list) out.set(rawKey(r), { text: '', note: why });
      continue;
    }
    for (const [k, v] of records) {
      if (used + v.text.length > limits.total) {
        out.set(k, { text: '', note: 'report budget for raw records spent' });
        continue;
      }
      used += v.text.length;
      out.set(k, v);
    }
  }
  return out;
}
