// Substitution values: the typed payloads a template instance carries, rendered as text the way
// `evtxexport -f xml` renders them (our oracle), so a value reads the same whichever tool made it.
// Every reader here is bounded by the value's own size; bad sizes render as "" rather than throw.

export const T_NULL = 0x00;
export const T_STRING = 0x01;
export const T_ANSI = 0x02;
export const T_INT8 = 0x03;
export const T_UINT8 = 0x04;
export const T_INT16 = 0x05;
export const T_UINT16 = 0x06;
export const T_INT32 = 0x07;
export const T_UINT32 = 0x08;
export const T_INT64 = 0x09;
export const T_UINT64 = 0x0a;
export const T_REAL32 = 0x0b;
export const T_REAL64 = 0x0c;
export const T_BOOL = 0x0d;
export const T_BINARY = 0x0e;
export const T_GUID = 0x0f;
export const T_SIZET = 0x10;
export const T_FILETIME = 0x11;
export const T_SYSTEMTIME = 0x12;
export const T_SID = 0x13;
export const T_HEX32 = 0x14;
export const T_HEX64 = 0x15;
export const T_BINXML = 0x21;
export const T_ARRAY = 0x80;

type Ucs2 = Buffer & { ucs2Slice(start: number, end: number): string };
type Latin1 = Buffer & { latin1Slice(start: number, end: number): string };

/** 100 ns intervals between 1601-01-01 and 1970-01-01, in ms. */
const EPOCH_DIFF_MS = 11644473600000;
/** Largest |ms| a JS Date accepts. */
const MAX_DATE_MS = 8.64e15;

const HEX_UP: string[] = [];
const HEX_LO: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX_UP.push(i.toString(16).padStart(2, '0').toUpperCase());
  HEX_LO.push(i.toString(16).padStart(2, '0'));
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/**
 * UTF-16LE text from [start, end), without the NUL terminators values and names may carry.
 * Calls the native slice directly: Buffer#toString's argument handling costs more than the
 * decoding for the short strings event logs are made of.
 */
export function utf16(b: Buffer, start: number, end: number): string {
  let e = start + ((end - start) & ~1);
  while (e > start && b[e - 1] === 0 && b[e - 2] === 0) e -= 2;
  if (e === start) return '';
  // Text after an embedded NUL (multi-string values) is kept: it is evidence too.
  return (b as Ucs2).ucs2Slice(start, e);
}

/** FILETIME (two 32-bit halves) to ms since the Unix epoch, exactly (no 2^53 rounding). */
export function filetimeMs(lo: number, hi: number): number {
  // hi * 2^32 / 10^4 = hi * 429496 + hi * 7296 / 10^4; the second product stays exact.
  return hi * 429496 + Math.floor((hi * 7296 + lo) / 10000) - EPOCH_DIFF_MS;
}

export function filetimeAt(b: Uint8Array, o: number): number {
  return filetimeMs(u32(b, o), u32(b, o + 4));
}

/** FILETIME as ISO 8601 with 9 fractional digits (100 ns precision, as evtxexport writes it). */
function filetimeIso(lo: number, hi: number): string {
  const ms = filetimeMs(lo, hi);
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return '';
  const rest = (hi * 7296 + lo) % 10000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(rest).padStart(4, '0')}00Z`;
}

function systemtimeIso(b: Uint8Array, o: number): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${String(u16(b, o)).padStart(4, '0')}-${p2(u16(b, o + 2))}-${p2(u16(b, o + 6))}T${p2(u16(b, o + 8))}:${p2(u16(b, o + 10))}:${p2(u16(b, o + 12))}.${String(u16(b, o + 14)).padStart(3, '0')}000000Z`;
}

/** "{00000000-0000-0000-0000-000000000000}": the braces and dashes stay, the digits are written per GUID. */
const GUID_TEXT = Buffer.from('{00000000-0000-0000-0000-000000000000}', 'latin1') as Latin1;
const HEX_DIGITS = Buffer.from('0123456789ABCDEF', 'latin1');
/** Byte of the GUID written at each pair of digits: the first three groups are little-endian. */
const GUID_BYTE = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const GUID_DIGIT_AT = [1, 3, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27, 29, 31, 33, 35];

/**
 * A GUID as evtxexport writes it, upper-case in braces. Written into one scratch buffer and read
 * as one string: built by concatenation it was a chain of partial strings that every Map
 * lookup by process guid had to flatten first.
 */
function guid(b: Uint8Array, o: number): string {
  const out = GUID_TEXT;
  for (let i = 0; i < 16; i++) {
    const v = b[o + GUID_BYTE[i]];
    const at = GUID_DIGIT_AT[i];
    out[at] = HEX_DIGITS[v >> 4];
    out[at + 1] = HEX_DIGITS[v & 15];
  }
  return out.latin1Slice(0, out.length);
}

/** NT security identifier; "" when the declared sub-authority count overruns the value. */
function sid(b: Uint8Array, o: number, size: number): string {
  if (size < 8) return '';
  const count = b[o + 1];
  if (8 + count * 4 > size) return '';
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + b[o + i];
  let s = `S-${b[o]}-${auth}`;
  for (let i = 0; i < count; i++) s += `-${u32(b, o + 8 + i * 4)}`;
  return s;
}

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

const HEX64_TEXT = Buffer.from('0x0000000000000000', 'latin1') as Latin1;
const HEX_LOWER = Buffer.from('0123456789abcdef', 'latin1');

/** A 64-bit value as 0x and 16 lower-case digits, written like a GUID (one flat string). */
function hex64(b: Uint8Array, o: number): string {
  const out = HEX64_TEXT;
  for (let i = 0; i < 8; i++) {
    const v = b[o + 7 - i];
    out[2 + 2 * i] = HEX_LOWER[v >> 4];
    out[3 + 2 * i] = HEX_LOWER[v & 15];
  }
  return out.latin1Slice(0, out.length);
}

function uint64(b: Uint8Array, o: number): string {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function int64(b: Uint8Array, o: number): string {
  const hi = u32(b, o + 4);
  if (hi < 0x80000000) return uint64(b, o);
  return (((BigInt(hi) << 32n) | BigInt(u32(b, o))) - (1n << 64n)).toString();
}

function binaryHex(b: Uint8Array, o: number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += HEX_UP[b[o + i]];
  return s;
}

/** Size of one element of a fixed-size type, 0 for variable-size types. */
function fixedSize(type: number, size: number): number {
  switch (type) {
    case T_INT8:
    case T_UINT8:
      return 1;
    case T_INT16:
    case T_UINT16:
      return 2;
    case T_INT32:
    case T_UINT32:
    case T_REAL32:
    case T_BOOL:
    case T_HEX32:
      return 4;
    case T_INT64:
    case T_UINT64:
    case T_REAL64:
    case T_FILETIME:
    case T_HEX64:
      return 8;
    case T_SIZET:
      return size === 4 ? 4 : 8;
    case T_GUID:
    case T_SYSTEMTIME:
      return 16;
    default:
      return 0;
  }
}

/** One scalar value of `type` at [o, o + size). */
function scalar(b: Buffer, o: number, size: number, type: number): string {
  const need = fixedSize(type, size);
  if (need > 0 && size < need) return '';
  switch (type) {
    case T_NULL:
      return '';
    case T_STRING:
      return utf16(b, o, o + size);
    case T_ANSI: {
      let e = o;
      while (e < o + size && b[e] !== 0) e++;
      return b.toString('latin1', o, e);
    }
    case T_INT8:
      return String((b[o] << 24) >> 24);
    case T_UINT8:
      return String(b[o]);
    case T_INT16:
      return String((u16(b, o) << 16) >> 16);
    case T_UINT16:
      return String(u16(b, o));
    case T_INT32:
      return String(u32(b, o) | 0);
    case T_UINT32:
      return String(u32(b, o));
    case T_INT64:
      return int64(b, o);
    case T_UINT64:
      return uint64(b, o);
    case T_REAL32:
      return String(b.readFloatLE(o));
    case T_REAL64:
      return String(b.readDoubleLE(o));
    case T_BOOL:
      return u32(b, o) !== 0 ? 'true' : 'false';
    case T_BINARY:
      return binaryHex(b, o, size);
    case T_GUID:
      return guid(b, o);
    case T_SIZET:
      return size === 4 ? hex32(u32(b, o)) : hex64(b, o);
    case T_FILETIME:
      return filetimeIso(u32(b, o), u32(b, o + 4));
    case T_SYSTEMTIME:
      return systemtimeIso(b, o);
    case T_SID:
      return sid(b, o, size);
    case T_HEX32:
      return hex32(u32(b, o));
    case T_HEX64:
      return hex64(b, o);
    default:
      // Unknown or unrendered types (EvtHandle, EvtXml): their bytes, so nothing is lost.
      return binaryHex(b, o, Math.min(size, 4096));
  }
}

/**
 * The items of an array value: NUL-separated strings, or a run of fixed-size elements. Windows
 * renders an array in element content as one element per item.
 */
export function arrayItems(b: Buffer, o: number, size: number, type: number): string[] {
  const t = type & 0x7f;
  const end = o + size;
  const items: string[] = [];
  if (t === T_STRING) {
    let s = o;
    for (let i = o; i + 1 < end; i += 2) {
      if ((b[i] | b[i + 1]) === 0) {
        items.push(b.toString('utf16le', s, i));
        s = i + 2;
      }
    }
    if (s + 1 < end) items.push(b.toString('utf16le', s, end - ((end - s) & 1)));
    return items;
  }
  if (t === T_ANSI) {
    let s = o;
    for (let i = o; i < end; i++) {
      if (b[i] === 0) {
        items.push(b.toString('latin1', s, i));
        s = i + 1;
      }
    }
    if (s < end) items.push(b.toString('latin1', s, end));
    return items;
  }
  const step = t === T_SIZET ? 8 : fixedSize(t, size);
  if (step === 0) return [binaryHex(b, o, Math.min(size, 4096))];
  for (let p = o; p + step <= end; p += step) items.push(scalar(b, p, step, t));
  return items;
}

/** Renders the value of `type` stored at [o, o + size) of `b` (the caller bounds-checks). */
export function renderValue(b: Buffer, o: number, size: number, type: number): string {
  // One field holds the whole array: its items joined by ",".
  if (type & T_ARRAY) return arrayItems(b, o, size, type).join(',');
  return scalar(b, o, size, type);
}
