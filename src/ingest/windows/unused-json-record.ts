// Rules a one-line Windows JSON record out from its raw bytes, before it is decoded or parsed:
// most of a Windows log is event ids the analytic never uses (the OTRF files: nine bytes in ten).
// The test is exact: it says "unused" only when JSON.parse and the Windows readers would reach
// an event id outside MAPPED_EVENT_IDS, whatever the spacing, field order or escapes.
//
// Why it is exact. Every key a reader takes the id from (flat JSON `EventID`/`EventId`, evtx_dump
// `Event.System.EventID`, Winlogbeat `winlog.event_id` and, without it, `event.code`) is written
// in the line as its name between quotes, unless an escape spells it (`"Event\u0049D"`): a line
// with any `\u00` (the only escapes that spell ASCII, so the only ones that can spell those names
// or an id's digits) is never ruled out. Every place such a name stands as a key (for `code`: as a
// member of any object keyed `event`) must hold a plain id outside the mapped set, so duplicates,
// nesting and flavour do not matter: whichever occurrence JSON.parse keeps and whichever one a
// reader reads, it is unused. A value Number() might read otherwise (`"0x1"`, `1e0`, `12.99…`,
// objects) leaves the line to the parser.
//
// Each search is a pass over the read buffer, so there are two: `u00` (a hit after a backslash is
// an escape), and `vent`, the part all the names share (EventID, EventId, event_id, event); each
// hit is then told apart by its bytes. The escape pass looks for `u00`, not `\u`: a search starts
// at every byte equal to the needle's first, and Windows paths are full of backslashes (on the
// OTRF file the `\u` pass took 53 ms, the `u00` pass 26).
import { BACKSLASH, CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ, QUOTE } from '../json-chars.ts';
import type { UnusedRecord } from '../json-documents.ts';
import { MAPPED_EVENT_IDS } from './events.ts';

const ESCAPE_TAIL = Buffer.from('u00', 'latin1');
const VENT = Buffer.from('vent', 'latin1');
/** Event ids have at most 5 digits; longer runs are left to the parser. */
const MAX_ID_DIGITS = 6;
/** Containers inside `event` deeper than this leave the line to the parser. */
const MAX_SKIP_DEPTH = 16;

/** A verdict on one key or object: it is not what we look for, it holds an unused id, or else. */
const NOT_KEY = 0;
const UNUSED = 1;
const OTHER = 2;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end && isSpace(buf[i])) i++;
  return i;
}

/**
 * What follows a quoted name ending before `i`: NOT_KEY (it is a value), UNUSED (a key holding a
 * plain id the mapper ignores) or OTHER (a mapped id, or anything Number() could read otherwise).
 */
function idAfter(buf: Buffer, i: number, end: number): number {
  i = skipSpace(buf, i, end);
  if (i >= end || buf[i] !== COLON) return NOT_KEY;
  i = skipSpace(buf, i + 1, end);
  const quoted = buf[i] === QUOTE;
  if (quoted) i++;
  const first = i;
  let id = 0;
  for (let c = buf[i]; i < end && c >= 48 && c <= 57; c = buf[++i]) id = id * 10 + (c - 48);
  const digits = i - first;
  if (digits === 0 || digits > MAX_ID_DIGITS || i >= end) return OTHER;
  const c = buf[i];
  const ends = quoted
    ? c === QUOTE
    : !(digits > 1 && buf[first] === 48) && (c === COMMA || c === CLOSE_OBJ || isSpace(c));
  return ends && !MAPPED_EVENT_IDS.has(id) ? UNUSED : OTHER;
}

/** Index just past the string whose opening quote is at `i`, or -1 when it does not end. */
function stringEnd(buf: Buffer, i: number, end: number): number {
  for (let q = buf.indexOf(QUOTE, i + 1); q >= 0 && q < end; q = buf.indexOf(QUOTE, q + 1)) {
    let slashes = 0;
    while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at `i` (containers skipped whole), or -1. */
function valueEnd(buf: Buffer, i: number, end: number, depth: number): number {
  const c = buf[i];
  if (c === QUOTE) return stringEnd(buf, i, end);
  if (c === OPEN_OBJ || c === OPEN_ARR) {
    if (depth >= MAX_SKIP_DEPTH) return -1;
    const close = c === OPEN_OBJ ? CLOSE_OBJ : CLOSE_ARR;
    let j = skipSpace(buf, i + 1, end);
    if (buf[j] === close) return j + 1;
    for (;;) {
      if (c === OPEN_OBJ) {
        if (buf[j] !== QUOTE) return -1;
        j = skipSpace(buf, stringEnd(buf, j, end), end);
        if (j < 0 || buf[j] !== COLON) return -1;
        j = skipSpace(buf, j + 1, end);
      }
      j = valueEnd(buf, j, end, depth + 1);
      if (j < 0) return -1;
      j = skipSpace(buf, j, end);
      if (buf[j] === close) return j + 1;
      if (buf[j] !== COMMA) return -1;
      j = skipSpace(buf, j + 1, end);
    }
  }
  while (i < end && !(buf[i] === COMMA || buf[i] === CLOSE_OBJ || buf[i] === CLOSE_ARR || isSpace(buf[i])))
    i++;
  return i < end ? i : -1;
}

/** Whether the key string [from, to) (quotes included) is `"code"`. Byte by byte: Buffer.compare
 * with offsets validates them and calls into C++, a sixth of the Winlogbeat skip test. */
function isCode(buf: Buffer, from: number, to: number): boolean {
  return (
    to - from === 6 &&
    buf[from + 1] === 99 /* c */ &&
    buf[from + 2] === 111 /* o */ &&
    buf[from + 3] === 100 /* d */ &&
    buf[from + 4] === 101 /* e */
  );
}

/**
 * The members named `code` of the `event` object opening at `i`: UNUSED when there are some and
 * every one holds an unused plain id, NOT_KEY when there is none, OTHER when one holds anything
 * else or the object cannot be walked.
 */
function eventCodes(buf: Buffer, i: number, end: number): number {
  let verdict = NOT_KEY;
  let j = skipSpace(buf, i + 1, end);
  if (buf[j] === CLOSE_OBJ) return verdict;
  for (;;) {
    if (buf[j] !== QUOTE) return OTHER;
    const keyEnd = stringEnd(buf, j, end);
    if (keyEnd < 0) return OTHER;
    if (isCode(buf, j, keyEnd)) {
      if (idAfter(buf, keyEnd, end) !== UNUSED) return OTHER;
      verdict = UNUSED;
    }
    j = skipSpace(buf, keyEnd, end);
    if (buf[j] !== COLON) return OTHER;
    j = valueEnd(buf, skipSpace(buf, j + 1, end), end, 0);
    if (j < 0) return OTHER;
    j = skipSpace(buf, j, end);
    if (buf[j] === CLOSE_OBJ) return verdict;
    if (buf[j] !== COMMA) return OTHER;
    j = skipSpace(buf, j + 1, end);
  }
}

/** The verdict on the `vent` found at `p`: which name it is part of, and what that key holds. */
function ventAt(buf: Buffer, p: number, end: number): number {
  if (buf[p - 2] !== QUOTE) return NOT_KEY;
  const e = buf[p - 1];
  const a = buf[p + 4];
  const b = buf[p + 5];
  if (e === 69 /* E */) {
    // "EventID", "EventId"
    if (a === 73 /* I */ && (b === 68 || b === 100) && buf[p + 6] === QUOTE) return idAfter(buf, p + 7, end);
    return NOT_KEY;
  }
  if (e !== 101 /* e */) return NOT_KEY;
  // "event_id"
  if (a === 95 && b === 105 && buf[p + 6] === 100 && buf[p + 7] === QUOTE) return idAfter(buf, p + 8, end);
  if (a !== QUOTE) return NOT_KEY;
  // "event": its code members (Winlogbeat reads event.code when winlog has no event_id).
  const colon = skipSpace(buf, p + 5, end);
  if (buf[colon] !== COLON) return NOT_KEY;
  const value = skipSpace(buf, colon + 1, end);
  return buf[value] === OPEN_OBJ ? eventCodes(buf, value, end) : NOT_KEY;
}

/** Occurrences of a needle in a buffer, remembered so each one is searched for once per buffer. */
class Needle {
  private buf: Buffer | undefined;
  private pos = -1;
  private from = 0;
  constructor(readonly bytes: Buffer) {}
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
  const escapes = new Needle(ESCAPE_TAIL);
  const vent = new Needle(VENT);
  // The names first: a kept line (a mapped id) usually ends that pass early and is never searched
  // for escapes, which only matter to a line the names would rule out.
  return (buf, start, end) => {
    let unused = false;
    for (let p = vent.next(buf, start); p >= 0 && p < end; p = vent.next(buf, p + 1)) {
      const v = ventAt(buf, p, end);
      if (v === OTHER) return false;
      if (v === UNUSED) unused = true;
    }
    if (!unused) return false;
    // `\\u00` (an escaped backslash) is taken for an escape too: it only leaves a line to the parser.
    for (let e = escapes.next(buf, start); e >= 0 && e < end; e = escapes.next(buf, e + 1))
      if (e > start && buf[e - 1] === BACKSLASH) return false;
    return true;
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
