// Flattened Windows events as Logstash/NXLog ship them (the OTRF/Mordor datasets): EventID and
// Channel (in any case) at top level, event data fields beside them.
import { parseWinTime, type WinRecord } from './record.ts';

const HEADER = new Set([
  'EventID',
  'EventId',
  'Channel',
  'channel',
  'Hostname',
  'hostname',
  'Computer',
  'computer_name',
  '@timestamp',
  'TimeCreated',
  'EventTime',
  'EventReceivedTime',
  'SourceName',
  'ProviderGuid',
  'RecordNumber',
  'EventRecordID',
  'Message',
  'Keywords',
  'Level',
  'Task',
  'Opcode',
  'Version',
  'Severity',
  'SeverityValue',
  'SourceModuleName',
  'SourceModuleType',
  '@version',
  'tags',
  'host',
  'port',
  'Category',
  'EventType',
  'ExecutionProcessID',
  'ThreadID',
  'AccountName_',
  'UserID',
]);

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
  const data: Record<string, string> = {};
  for (const k in o) {
    if (HEADER.has(k)) continue;
    const v = o[k];
    if (v === null || v === undefined) continue;
    data[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  // 'EventType' is header-ish in NXLog but Sysmon 12 uses it as data (CreateKey/DeleteKey).
  if (typeof o.EventType === 'string' && /key$/i.test(o.EventType)) data.EventType = o.EventType;
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
