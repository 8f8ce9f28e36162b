// Every input format ratchain reads, registered once. Adding a format: write its module under
// ingest/<platform>/ and add it to this list. Order breaks sniffing ties (earlier wins).
import type { Format } from './reader.ts';
import { eventXml } from './windows/event-xml.ts';
import { evtx } from './windows/evtx/decoder.ts';
import { windowsJson } from './windows/windows-json.ts';

export const FORMATS: Format[] = [evtx, windowsJson, eventXml];

export function formatById(id: string): Format | undefined {
  return FORMATS.find((f) => f.id === id);
}
