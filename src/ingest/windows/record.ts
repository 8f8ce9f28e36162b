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
