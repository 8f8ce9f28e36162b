// The `evtx` format as the hunt uses it: sniffed by its magic, fed arbitrary pieces, emitting
// normalized events through the shared Windows semantics with the record's file position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeContext, Position } from '../../../../src/ingest/reader.ts';
import { sniffFormat } from '../../../../src/ingest/source.ts';
import { evtx } from '../../../../src/ingest/windows/evtx/decoder.ts';
import type { RatEvent } from '../../../../src/model/event.ts';
import { type WriterEvent, writeEvtx } from '../../../../src/simulate/evtx/binary-writer.ts';

const sysmon1: WriterEvent = {
  recordId: 41,
  time: Date.UTC(2024, 2, 3, 4, 5, 6, 789),
  eventId: 1,
  provider: 'Microsoft-Windows-Sysmon',
  channel: 'Microsoft-Windows-Sysmon/Operational',
  computer: 'WS-7',
  userSid: 'S-1-5-18',
  data: [
    ['UtcTime', '2024-03-03 04:05:06.789'],
    ['ProcessGuid', { type: 'guid', value: '{365ABB72-2586-5CC9-0000-0010DC530000}' }],
    ['ProcessId', { type: 'u32', value: 4242 }],
    ['Image', 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe'],
    ['CommandLine', '"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --service'],
    ['User', 'NT AUTHORITY\\SYSTEM'],
    ['ParentProcessGuid', { type: 'guid', value: '{365ABB72-2586-5CC9-0000-0010DC530001}' }],
    ['ParentProcessId', { type: 'u32', value: 600 }],
    ['ParentImage', 'C:\\Windows\\System32\\services.exe'],
  ],
};

function run(
  bytes: Buffer,
  piece: number,
): { events: RatEvent[]; problems: Array<{ message: string } & Position> } {
  const events: RatEvent[] = [];
  const problems: Array<{ message: string } & Position> = [];
  const ctx: DecodeContext = {
    file: 'case/Sysmon.evtx',
    problem: (message, pos) => problems.push({ message, ...pos }),
    emit: (e) => events.push(e),
    ignored: () => {},
  };
  const d = evtx.decoder(ctx);
  assert.equal(d.mode, 'chunks');
  if (d.mode !== 'chunks') return { events, problems };
  for (let p = 0; p < bytes.length; p += piece) d.write(bytes.subarray(p, p + piece));
  d.end();
  return { events, problems };
}

test('EVTX is recognised by its file magic, and only by it', () => {
  const file = writeEvtx([sysmon1]);
  assert.equal(evtx.sniff(file.subarray(0, 65536), ''), 1);
  assert.equal(sniffFormat(file.subarray(0, 65536)).format?.id, 'evtx');
  assert.equal(
    evtx.sniff(Buffer.from('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">'), ''),
    0,
  );
  assert.equal(evtx.sniff(Buffer.from('ElfChnk\0'), ''), 0);
});

test('a Sysmon process creation in EVTX becomes a process event pointing at its record', () => {
  const file = writeEvtx([sysmon1]);
  const { events, problems } = run(file, 1000);
  assert.deepEqual(problems, []);
  assert.equal(events.length, 1);
  const ev = events[0];
  assert.equal(ev.kind, 'process');
  assert.equal(ev.host, 'WS-7');
  assert.equal(ev.time, sysmon1.time);
  assert.deepEqual(ev.src, {
    file: 'case/Sysmon.evtx',
    format: 'evtx',
    offset: 4096 + 512,
    record: '41',
    eventId: '1',
  });
  if (ev.kind === 'process') {
    assert.equal(ev.proc.image, 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe');
    assert.equal(ev.proc.pid, 4242);
    assert.equal(ev.parent?.image, 'C:\\Windows\\System32\\services.exe');
  }
});

test('problems reach the hunt with their position', () => {
  const file = writeEvtx([sysmon1]);
  file[4096 + 600] ^= 0xff; // record data: chunk checksum no longer matches
  const { events, problems } = run(file, 65536);
  assert.equal(events.length, 0);
  assert.equal(problems.length, 1);
  assert.deepEqual(
    { offset: problems[0].offset, where: problems[0].where },
    { offset: 4096, where: 'chunk 0' },
  );
});
