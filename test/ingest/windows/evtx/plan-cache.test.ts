// Plans are shared across chunks only for provably identical template definitions: a template
// GUID reused for a different template (hostile, or a careless writer) must not borrow a plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileHeader, type WriterEvent, writeEvtx } from '../../../../src/simulate/evtx/binary-writer.ts';
import { readEvtx } from './read-evtx.ts';

const GUID = '11111111222233334444555555555555';
const ev = (recordId: number, names: string[], templateGuid?: string): WriterEvent => ({
  recordId,
  time: Date.UTC(2024, 0, 1, 0, 0, recordId),
  eventId: 1,
  provider: 'P',
  channel: 'C',
  computer: 'H',
  data: names.map((n) => [n, `value of ${n}`]),
  templateGuid,
});

/** One file whose chunks are the single chunks of each given event list. */
function chunksOf(...lists: WriterEvent[][]): Buffer {
  const chunks = lists.map((l) => writeEvtx(l).subarray(4096));
  return Buffer.concat([fileHeader(chunks.length, 100), ...chunks]);
}

test('same GUID, same size, different inline name: the second chunk compiles its own plan', () => {
  const got = readEvtx(chunksOf([ev(1, ['Alpha'], GUID)], [ev(2, ['Bravo'], GUID)]));
  assert.deepEqual(got.problems, []);
  assert.deepEqual(
    got.records.map((r) => r.data),
    [{ Alpha: 'value of Alpha' }, { Bravo: 'value of Bravo' }],
  );
});

test('same GUID and bytes, different name met earlier in the chunk: not shared either', () => {
  // UserData leaves are element names. In each chunk a first template defines the names inline;
  // the colliding one (same GUID, byte for byte the same) refers back to them by offset.
  const ud = (recordId: number, leaf: string, templateGuid?: string): WriterEvent => ({
    ...ev(recordId, []),
    data: undefined,
    userData: { wrapper: 'Wrap', fields: [[leaf, 'x']], templateGuid },
  });
  const got = readEvtx(
    chunksOf([ud(1, 'Alpha'), ud(2, 'Alpha', GUID)], [ud(3, 'Bravo'), ud(4, 'Bravo', GUID)]),
  );
  assert.deepEqual(got.problems, []);
  assert.deepEqual(
    got.records.map((r) => Object.keys(r.data)[0]),
    ['Alpha', 'Alpha', 'Bravo', 'Bravo'],
  );
});

test('the same template in many chunks reads the same everywhere', () => {
  const events = Array.from({ length: 1500 }, (_, i) => ev(i + 1, ['Image', 'CommandLine', 'User']));
  const file = writeEvtx(events);
  assert.ok(file.length > 4096 + 2 * 65536);
  const got = readEvtx(file);
  assert.deepEqual(got.problems, []);
  assert.equal(got.records.length, 1500);
  assert.ok(got.records.every((r) => r.data.CommandLine === 'value of CommandLine'));
});
