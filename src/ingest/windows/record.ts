// One Windows event as every Windows format carries it, before it means anything: the System
// header plus the flat EventData/UserData name-value pairs. Each Windows reader (EVTX, event
// XML, Winlogbeat, flattened JSON, evtx_dump JSON) produces WinRecords; events.ts turns them
// into normalized events, so the Sysmon/Security/System semantics live in one place.

export interface WinRecord {
  /** Channel, e.g. "Microsoft-Windows-Sysmon/Operational", "Security", "System". Any case. */
  channel: string;
  provider?: string;
  eventId: number;
  /** EventRecordID. */
  recordId?: string;
  /** SystemTime, ms since epoch. */
  time: number;
  computer: string;
  /** EventData / UserData fields by name. Values are strings as the sensor rendered them. */
  data: Record<string, string>;
  /** System/Security/@UserID. */
  userSid?: string;
}

/**
 * Parses the timestamp spellings Windows exports use: ISO 8601 with or without "Z" and with up
 * to 9 fractional digits, and "YYYY-MM-DD HH:MM:SS.fff" (Sysmon UtcTime). Times without a zone
 * are UTC. Returns NaN when it cannot.
 */
export function parseWinTime(s: string): number {
  if (!s) return Number.NaN;
  const fast = parseUtcFast(s);
  if (!Number.isNaN(fast)) return fast;
  let t = s.trim();
  if (t.length >= 19 && t[10] === ' ') t = `${t.slice(0, 10)}T${t.slice(11)}`;
  // Trim fractional digits beyond milliseconds: Date.parse rejects some longer forms.
  const dot = t.indexOf('.', 19);
  let zone = '';
  if (dot > 0) {
    let end = dot + 1;
    while (end < t.length && t.charCodeAt(end) >= 48 && t.charCodeAt(end) <= 57) end++;
    zone = t.slice(end);
    t = t.slice(0, Math.min(end, dot + 4)) + zone;
  } else {
    zone = t.slice(19);
  }
  if (!zone) t += 'Z';
  return Date.parse(t);
}

/** Digit at position i of s, or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The common shapes without Date.parse: "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z]" in UTC. Anything
 * else (offsets, odd widths) returns NaN and takes the general path.
 */
function parseUtcFast(s: string): number {
  const n = s.length;
  if (
    n < 19 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return Number.NaN;
  const y = num(s, 0, 4);
  const mo = num(s, 5, 2);
  const d = num(s, 8, 2);
  const h = num(s, 11, 2);
  const mi = num(s, 14, 2);
  const sec = num(s, 17, 2);
  if (
    y < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 60
  ) {
    return Number.NaN;
  }
  let i = 19;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    while (i < n) {
      const dg = digit(s, i);
      if (dg < 0) break;
      ms += dg * scale;
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  if (i < n && s.charCodeAt(i) === 90) i++;
  if (i !== n) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}
