// Flattened Windows events as Logstash/NXLog ship them (the OTRF/Mordor datasets): EventID and
// Channel (in any case) at top level, event data fields beside them.
import { parseWinTime, type WinRecord } from './record.ts';

export function isFlatWindows(o: Record<string, unknown>): boolean {
  return (
    (o.EventID !== undefined || o.EventId !== undefined) &&
    (o.Channel !== undefined || o.channel !== undefined || o.SourceName !== undefined)
  );
}

export function fromFlatJson(o: Record<string, unknown>): WinRecord | string {
  const id = Number(o.EventID ?? o.EventId);
  if (!Number.isInteger(id)) return 'EventID is not a number';
  const time = parseWinTime(
    String(o['@timestamp'] ?? o.TimeCreated ?? o.EventTime ?? o.EventReceivedTime ?? ''),
  );
  if (!Number.isFinite(time)) return 'no readable timestamp (@timestamp, TimeCreated, EventTime)';
  const computer = String(o.Hostname ?? o.hostname ?? o.Computer ?? o.computer_name ?? '');
  if (!computer) return 'no host name (Hostname, Computer)';
  // Event data sits beside the header fields; the record is used as it is (no copy), since
  // events.ts looks fields up by name and turns non-string values into strings.
  const data = o as Record<string, string>;
  return {
    channel: String(o.Channel ?? o.channel ?? ''),
    provider: o.SourceName === undefined ? undefined : String(o.SourceName),
    eventId: id,
    recordId: o.RecordNumber === undefined ? undefined : String(o.RecordNumber),
    time,
    computer,
    data,
  };
}
