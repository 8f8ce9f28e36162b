// Rules a one-line Windows JSON record out from its raw bytes, before it is decoded or parsed:
// most of a Windows log is event ids the analytic never uses (the OTRF files: nine bytes in ten).
// The test is exact: it says "unused" only when JSON.parse and the Windows readers would reach
// an event id outside MAPPED_EVENT_IDS, whatever the spacing, field order or escapes.
//
// Why it is exact. Every key a reader takes the id from (flat JSON `EventID`/`EventId`, Winlogbeat
// `winlog.event_id` and, without it, `event.code`, evtx_dump `Event.System.EventID`) is written in
// the line as its name between quotes, unless an escape spells it (`"Event\u0049D"`): a line with
// any `\u` is never ruled out. Every place the name stands as a key (a `:` follows) must hold a
// plain id outside the mapped set, so duplicates, nesting and flavour do not matter: whichever
// occurrence JSON.parse keeps and whichever a reader reads, it is unused. A value that Number()
// might read otherwise (`"0x1"`, `1e0`, `12.99…`, objects) leaves the line to the parser.
import type { UnusedRecord } from '../json-documents.ts';
import { MAPPED_EVENT_IDS } from './events.ts';

const ID_KEYS = ['"EventID"', '"EventId"', '"event_id"'];
/** Winlogbeat reads event.code when winlog has no event_id; only lines naming winlog need it. */
const WINLOG = '"winlog"';
const CODE = '"code"';
/** A \u escape can spell any key; such lines are parsed. */
const ESCAPE = '\\u';
/** Event ids have at most 5 digits; longer runs are left to the parser. */
const MAX_ID_DIGITS = 6;

const NOT_KEY = 0;
const UNUSED = 1;
const OTHER = 2;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * What follows a quoted name ending before `i`: NOT_KEY (it is a value), UNUSED (a key holding a
 * plain id the mapper ignores) or OTHER (a mapped id, or anything Number() could read otherwise).
 */
function idAfter(at: (i: number) => number, i: number, end: number): number {
  while (i < end && isSpace(at(i))) i++;
  if (i >= end || at(i) !== 58) return NOT_KEY;
  i++;
  while (i < end && isSpace(at(i))) i++;
  const quoted = at(i) === 34;
  if (quoted) i++;
  const first = i;
  let id = 0;
  for (let c = at(i); i < end && c >= 48 && c <= 57; c = at(++i)) id = id * 10 + (c - 48);
  const digits = i - first;
  if (digits === 0 || digits > MAX_ID_DIGITS || i >= end) return OTHER;
  const c = at(i);
  if (quoted ? c !== 34 : (digits > 1 && at(first) === 48) || !(c === 44 || c === 125 || isSpace(c)))
    return OTHER;
  return MAPPED_EVENT_IDS.has(id) ? OTHER : UNUSED;
}

/** Occurrences of a needle in a buffer, remembered so each one is searched for once per buffer. */
class Needle {
  readonly bytes: Buffer;
  private buf: Buffer | undefined;
  private pos = -1;
  private from = 0;
  constructor(text: string) {
    this.bytes = Buffer.from(text, 'latin1');
  }
  /** First occurrence at or after `from` (which only moves forward within one buffer), or -1. */
  next(buf: Buffer, from: number): number {
    if (buf !== this.buf || from < this.from) {
      this.buf = buf;
      this.pos = buf.indexOf(this.bytes, from);
    } else if (this.pos >= 0 && this.pos < from) this.pos = buf.indexOf(this.bytes, from);
    this.from = from;
    return this.pos;
  }
}

/** The test on raw UTF-8 bytes [start, end) of one line; the caller has checked it is `{...}`. */
function unusedBytes(): UnusedRecord['bytes'] {
  const ids = ID_KEYS.map((k) => new Needle(k));
  const withCode = [...ids, new Needle(CODE)];
  const winlog = new Needle(WINLOG);
  const escapes = new Needle(ESCAPE);
  let line: Buffer = Buffer.alloc(0);
  const at = (i: number) => line[i];
  return (buf, start, end) => {
    const e = escapes.next(buf, start);
    if (e >= 0 && e < end) return false;
    line = buf;
    let unused = false;
    const w = winlog.next(buf, start);
    const keys = w >= 0 && w < end ? withCode : ids;
    for (const k of keys) {
      for (let p = k.next(buf, start); p >= 0 && p < end; p = k.next(buf, p + 1)) {
        const v = idAfter(at, p + k.bytes.length, end);
        if (v === OTHER) return false;
        if (v === UNUSED) unused = true;
      }
    }
    return unused;
  };
}

/** The same test for both framings: the text form encodes the line (UTF-16 input only). */
export function unusedWindowsRecord(): UnusedRecord {
  const bytes = unusedBytes();
  return {
    bytes,
    text(line) {
      const b = Buffer.from(line, 'utf8');
      return bytes(b, 0, b.length);
    },
  };
}
