// Every input format ratchain reads, registered once. Adding a format: write its module under
// ingest/<platform>/ and add it to this list. Order breaks sniffing ties (earlier wins).
import { auditd } from './linux/auditd.ts';
import { journald } from './linux/journald.ts';
import { linuxSyslogJson } from './linux/syslog-json.ts';
import { sysmonLinux } from './linux/sysmon-linux.ts';
import { elasticEndpoint } from './macos/elastic-endpoint.ts';
import { eslogger } from './macos/eslogger.ts';
import { osquery } from './macos/osquery.ts';
import { vmConnection } from './network/vmconnection.ts';
import { zeek } from './network/zeek.ts';
import type { Format } from './reader.ts';
import { eventXml } from './windows/event-xml.ts';
import { evtx } from './windows/evtx/decoder.ts';
import { windowsJson } from './windows/windows-json.ts';

export const FORMATS: Format[] = [
  evtx,
  windowsJson,
  eventXml,
  auditd,
  journald,
  linuxSyslogJson,
  sysmonLinux,
  zeek,
  vmConnection,
  eslogger,
  elasticEndpoint,
  osquery,
];

/** Ids formats were known by before, still accepted by `--format`. */
const FORMER_IDS: Record<string, string> = { 'zeek-conn': 'zeek' };

export function formatById(id: string): Format | undefined {
  const current = FORMER_IDS[id] ?? id;
  return FORMATS.find((f) => f.id === current);
}
