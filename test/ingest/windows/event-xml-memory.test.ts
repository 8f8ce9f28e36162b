// What a Windows event XML reader puts into an event outlives the event's text: the engine keeps
// a process's image, command line and GUID for as long as the process lives. Those strings must
// be copies, or each one keeps the whole <Event> (a long field it never reads included) alive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eventXml } from '../../../src/ingest/windows/event-xml.ts';
import type { RatEvent } from '../../../src/model/event.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const EVENTS = 400;
/** A field no reader keeps: about what a long Hashes or a script block adds to a real event. */
const UNREAD = 20_000;

/** A Sysmon process creation as wevtutil writes it, one <Event> per line. */
function sysmonProcessCreate(i: number): string {
  return [
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>",
    "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>",
    '<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task>',
    `<TimeCreated SystemTime='2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.000000000Z'/>`,
    `<EventRecordID>${100_000 + i}</EventRecordID>`,
    '<Channel>Microsoft-Windows-Sysmon/Operational</Channel>',
    `<Computer>ws${i}.corp.example.com</Computer><Security UserID='S-1-5-18'/></System>`,
    "<EventData><Data Name='UtcTime'>2024-05-01 10:00:00.000</Data>",
    `<Data Name='ProcessGuid'>{4d5f1a2b-0000-1111-2222-${String(i).padStart(12, '0')}}</Data>`,
    `<Data Name='ProcessId'>${4000 + i}</Data>`,
    `<Data Name='Image'>C:\\Program Files (x86)\\AnyDesk\\AnyDesk-${i}.exe</Data>`,
    `<Data Name='CommandLine'>"C:\\Program Files (x86)\\AnyDesk\\AnyDesk-${i}.exe" --control</Data>`,
    `<Data Name='Description'>${'x'.repeat(UNREAD)}</Data>`,
    "<Data Name='ParentImage'>C:\\Windows\\System32\\services.exe</Data></EventData></Event>",
  ].join('');
}

test('the fields a parsed event keeps do not keep the event text alive', () => {
  const kept: RatEvent[] = [];
  const decoder = eventXml.decoder({
    file: 'sysmon.xml',
    problem: (m) => assert.fail(m),
    emit: (ev) => kept.push(ev),
    ignored() {},
  });
  assert.equal(decoder.mode, 'lines');
  gc();
  const before = getHeapStatistics().used_heap_size;
  for (let i = 0; i < EVENTS; i++) decoder.line(sysmonProcessCreate(i), i + 1);
  // What the engine keeps of a process: its strings, not the event object.
  const strings = kept.flatMap((ev) =>
    ev.kind === 'process' ? [ev.proc.image, ev.proc.guid ?? '', ev.commandLine ?? '', ev.host] : [],
  );
  kept.length = 0;
  gc();
  const grown = getHeapStatistics().used_heap_size - before;
  assert.equal(strings.length, EVENTS * 4);
  // Pinned, the texts alone would be EVENTS × UNREAD = 8 MB; the kept strings are about 80 KB.
  assert.ok(grown < (EVENTS * UNREAD) / 10, `heap grew ${grown} bytes`);
});
