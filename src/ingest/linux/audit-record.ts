// One auditd record as text: `[node=HOST ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): k=v k=v ...`
// (AUOMS writes `type=TYPE audit(...)` without `msg=`). The record header is parsed strictly, the
// key=value body leniently: values are bare, "double quoted", 'single quoted' (USER_* records),
// [arrays] (AUOMS) or {braces} (enriched SADDR). Hex-encoded values are decoded on demand by the
// caller, because only the caller knows which fields are strings.

export interface AuditRecord {
  type: string;
  /** Event time, ms since epoch. */
  time: number;
  /** The event serial: every record of one event shares it. */
  serial: string;
  /** `node=` prefix (auditd name_format), when present. */
  node?: string;
  /** Raw values by key, as written (quotes kept). The first occurrence of a key wins. */
  fields: Map<string, string>;
  /**
   * `ausearch -i` output: the stamp is a date, values are interpreted (names for numbers, plain
   * text instead of hex, `saddr={ saddr_fam=inet laddr=... lport=... }`).
   */
  interpreted?: boolean;
}

/** Why a line that looks like an audit record could not be read. */
export type RecordError = { error: string };

function isSpace(c: number): boolean {
  // Space, tab, and the GS (0x1d) that separates the enriched part of a record.
  return c === 32 || c === 9 || c === 0x1d;
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46
  );
}

/** True when position `i` of `s` starts `key=` (after optional blanks) or is the end of `s`. */
function atFieldBoundary(s: string, i: number): boolean {
  if (i >= s.length) return true;
  if (!isSpace(s.charCodeAt(i))) return false;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i >= s.length) return true;
  const start = i;
  while (i < s.length && isKeyChar(s.charCodeAt(i))) i++;
  return i > start && s.charCodeAt(i) === 61;
}

/** Index just past the closing `quote` of a value starting at `i` (the opening quote). */
function endOfQuoted(s: string, i: number, quote: string): number {
  let j = s.indexOf(quote, i + 1);
  // A closing quote ends the value only where the next field (or the line) begins: AUOMS writes
  // cmdline="bash -c "..."" with the inner quotes unescaped.
  while (j >= 0 && !atFieldBoundary(s, j + 1)) j = s.indexOf(quote, j + 1);
  return j < 0 ? -1 : j + 1;
}

function endOfBracketed(s: string, i: number, close: number): number {
  let inStr = false;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (inStr) {
      if (c === 92) j++;
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === close && atFieldBoundary(s, j + 1)) return j + 1;
  }
  return -1;
}

/**
 * Parses the key=value body of a record into `out` (first key wins). Returns an error message
 * for an unterminated quoted value (a cut line), else undefined.
 */
export function parseFields(
  s: string,
  start: number,
  out: Map<string, string>,
  keep?: (key: string) => boolean,
): string | undefined {
  let i = start;
  const n = s.length;
  // Most records separate fields with single spaces only: bare values then end at the next
  // space, found natively. Tabs or the enriched GS separator need the byte loop.
  const spacesOnly = s.indexOf('\t', start) < 0 && s.indexOf('\u001d', start) < 0;
  let eq = -1;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    if (spacesOnly) {
      // The key ends at '=', unless a space comes first (a bare word): both found natively.
      if (eq < i) eq = s.indexOf('=', i);
      if (eq < 0) break; // no key is left
      const sp = s.indexOf(' ', i);
      if (sp >= 0 && sp < eq) {
        i = sp;
        continue;
      }
      i = eq;
    } else while (i < n && s.charCodeAt(i) !== 61 && !isSpace(s.charCodeAt(i))) i++;
    if (i >= n || s.charCodeAt(i) !== 61) continue; // a bare word (e.g. "tty pid=..."): skip it
    const key = s.slice(keyStart, i);
    i++;
    let end: number;
    const c = s.charCodeAt(i);
    if (c === 34 || c === 39) {
      end = endOfQuoted(s, i, c === 34 ? '"' : "'");
      if (end < 0) return `unterminated quoted value of ${key.slice(0, 40)} (line cut?)`;
    } else if (c === 91 || c === 123) {
      end = endOfBracketed(s, i, c === 91 ? 93 : 125);
      if (end < 0) return `unterminated ${c === 91 ? '[array]' : '{group}'} value of ${key.slice(0, 40)}`;
    } else if (spacesOnly) {
      end = s.indexOf(' ', i);
      if (end < 0) end = n;
    } else {
      end = i;
      while (end < n && !isSpace(s.charCodeAt(end))) end++;
    }
    if ((keep === undefined || keep(key)) && !out.has(key)) out.set(key, s.slice(i, end));
    i = end;
  }
  return undefined;
}

/** Digits in `s` from `from` to `to` as a number; NaN unless there are 1 to `max` of them and only digits. */
function digits(s: string, from: number, to: number, max: number): number {
  if (to <= from || to - from > max) return Number.NaN;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** `1481077231.371` (from `from` to `to` of `s`) -> ms since epoch; NaN when it is not that shape. */
function stampTime(s: string, from: number, to: number): number {
  const dot = s.indexOf('.', from);
  const secEnd = dot < 0 || dot >= to ? to : dot;
  const sec = digits(s, from, secEnd, 12);
  if (secEnd === to) return sec * 1000;
  // Milliseconds are the first three fraction digits (fewer are padded: .5 is 500 ms).
  const frac = digits(s, secEnd + 1, to, 9);
  const n = to - secEnd - 1;
  const ms = n >= 3 ? Math.floor(frac / 10 ** (n - 3)) : frac * 10 ** (3 - n);
  return sec * 1000 + ms;
}

/**
 * `ausearch -i` dates: `MM/DD/YYYY HH:MM:SS.mmm` (or a two-digit year) in the local time of the
 * machine that ran ausearch, which the output does not name; read as UTC.
 */
function dateTime(s: string): number {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return Number.NaN;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  return Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

/**
 * Which fields of a record type to keep: `null` for none (the body is not even scanned),
 * undefined for all, or a predicate on names. Readers pass this to skip what they never read.
 */
export type FieldPlan = (type: string) => ((key: string) => boolean) | null | undefined;

const NO_FIELDS: Map<string, string> = new Map();

/**
 * Parses one record starting at `start` of `line` (where `type=` or `node=` begins). Returns
 * undefined for records that carry no stamp at all (`type=UNKNOWN[1329] msg=?`).
 */
export function parseAuditRecord(
  line: string,
  start = 0,
  plan?: FieldPlan,
): AuditRecord | RecordError | undefined {
  let i = start;
  let node: string | undefined;
  if (line.startsWith('node=', i)) {
    const sp = line.indexOf(' ', i);
    if (sp < 0) return { error: 'record is only a node= prefix' };
    node = line.slice(i + 5, sp);
    i = sp + 1;
    while (line.charCodeAt(i) === 32) i++;
  }
  if (!line.startsWith('type=', i)) return { error: 'record does not start with type=' };
  const typeEnd = line.indexOf(' ', i + 5);
  if (typeEnd < 0) return { error: 'record has a type but no audit(...) stamp (line cut?)' };
  const type = line.slice(i + 5, typeEnd);
  i = typeEnd + 1;
  while (line.charCodeAt(i) === 32) i++;
  if (line.startsWith('msg=', i)) i += 4;
  if (!line.startsWith('audit(', i)) {
    if (line.charCodeAt(i) === 63) return undefined; // msg=? : auditd could not stamp it
    return { error: `${type} record without an audit(...) stamp` };
  }
  const open = i + 6;
  const close = line.indexOf(')', open);
  if (close < 0) return { error: `${type} record: audit( stamp not closed (line cut?)` };
  // ausearch -i writes a date (`11/14/2023 22:13:20.100:1001`): the serial is after the last colon.
  const slash = line.indexOf('/', open);
  const interpreted = slash >= 0 && slash < close;
  const colon = interpreted ? line.lastIndexOf(':', close) : line.indexOf(':', open);
  if (colon < open || colon > close)
    return { error: `${type} record: audit(${line.slice(open, close).slice(0, 30)}) has no serial` };
  const serial = line.slice(colon + 1, close);
  if (Number.isNaN(digits(line, colon + 1, close, 20)))
    return { error: `${type} record: bad serial "${serial.slice(0, 30)}"` };
  const time = interpreted ? dateTime(line.slice(open, colon)) : stampTime(line, open, colon);
  if (!Number.isFinite(time))
    return { error: `${type} record: bad time "${line.slice(open, colon).slice(0, 30)}"` };
  i = close + 1;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) === 58) i++;
  const keep = plan?.(type);
  // A type nobody reads the fields of (EOE): one shared empty map, never written.
  if (keep === null) return { type, time, serial, node, fields: NO_FIELDS, interpreted };
  const fields = new Map<string, string>();
  const err = parseFields(line, i, fields, keep);
  if (err) return { error: `${type} record: ${err}` };
  return { type, time, serial, node, fields, interpreted };
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/** Outcome of decoding a string field: the text, absent, or a reason it cannot be decoded. */
export type Decoded = string | undefined | { bad: string };

/**
 * Decodes a string field as auditd writes it: "quoted" literal, bare hex (used when the value
 * has spaces, quotes or control characters), or (null)/? for none. `hexAllowed` is false for
 * AUOMS, which writes plain text unquoted.
 */
export function decodeValue(raw: string | undefined, hexAllowed = true): Decoded {
  if (raw === undefined || raw === '' || raw === '(null)' || raw === '?' || raw === '(none)')
    return undefined;
  const c = raw.charCodeAt(0);
  if (c === 34 || c === 39) return raw.length >= 2 ? raw.slice(1, -1) : '';
  if (!hexAllowed) return raw;
  if (raw.length % 2 === 1) return { bad: `odd-length hex "${raw.slice(0, 40)}"` };
  if (!HEX.test(raw)) return { bad: `value is neither quoted nor hex: "${raw.slice(0, 40)}"` };
  return Buffer.from(raw, 'hex').toString('utf8');
}

/** AUOMS `["a","b"]` arrays -> strings (lenient: unquoted items are taken as they are). */
export function parseArray(raw: string | undefined): string[] {
  if (raw?.charCodeAt(0) !== 91) return [];
  const out: string[] = [];
  let i = 1;
  const n = raw.length - 1;
  while (i < n) {
    if (raw.charCodeAt(i) === 34) {
      let s = '';
      let j = i + 1;
      for (; j < n && raw.charCodeAt(j) !== 34; j++) {
        if (raw.charCodeAt(j) === 92 && j + 1 < n) j++;
        s += raw[j];
      }
      out.push(s);
      i = j + 1;
    } else {
      let j = raw.indexOf(',', i);
      if (j < 0) j = n;
      out.push(raw.slice(i, j));
      i = j;
    }
    if (raw.charCodeAt(i) === 44) i++;
  }
  return out;
}
