// Property: whatever the writer writes (random shapes, typed and array values, UserData,
// plain records, many chunks), the reader gives back exactly, however the bytes are split.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeEvtx } from '../../../../src/simulate/evtx/binary-writer.ts';
import { expectedRecord, randomEvents, rng } from './random-events.ts';
import { readEvtx } from './read-evtx.ts';

test('random files made by the writer read back record for record', () => {
  for (let seed = 1; seed <= 25; seed++) {
    const r = rng(seed);
    const events = randomEvents(r, 1 + Math.floor(r() * 400));
    const file = writeEvtx(events);
    const got = readEvtx(file, () => 1 + Math.floor(r() * 100_000));
    assert.deepEqual(got.problems, [], `seed ${seed}`);
    assert.equal(got.records.length, events.length, `seed ${seed}`);
    for (let i = 0; i < events.length; i++)
      assert.deepEqual(got.records[i], expectedRecord(events[i]), `seed ${seed} record ${i + 1}`);
  }
});

test('a file of many chunks reads in order, each record at its own file offset', () => {
  const events = randomEvents(rng(99), 3000);
  const file = writeEvtx(events);
  assert.ok(file.length > 4096 + 3 * 65536, 'several chunks');
  const got = readEvtx(file, 4096);
  assert.deepEqual(got.problems, []);
  assert.deepEqual(
    got.records.map((x) => x.recordId),
    events.map((e) => String(e.recordId)),
  );
  for (const off of got.offsets) assert.equal(file.readUInt32LE(off), 0x2a2a, `record signature at ${off}`);
});

test('a record written without a template reads like one with', () => {
  const base = {
    recordId: 7,
    time: Date.UTC(2024, 4, 1, 12),
    eventId: 7045,
    provider: 'Service Control Manager',
    channel: 'System',
    computer: 'WS1',
    userSid: 'S-1-5-18',
    data: [['ServiceName', 'updater'] as [string, string], ['ImagePath', 'C:\\x.exe'] as [string, string]],
  };
  const a = readEvtx(writeEvtx([{ ...base, plain: true }]));
  const b = readEvtx(writeEvtx([base]));
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.records, b.records);
  assert.equal(a.records[0].data.ImagePath, 'C:\\x.exe');
});
