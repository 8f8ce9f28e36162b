// Damaged files are normal in forensics. Each kind of damage is reported with where it is (file
// offset, chunk, record) and skipped, and everything undamaged is still read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rechecksum, type WriterEvent, writeEvtx } from '../../../../src/simulate/evtx/binary-writer.ts';
import { randomEvents, rng } from './random-events.ts';
import { readEvtx } from './read-evtx.ts';

const HEADER = 4096;
const CHUNK = 65536;

/** A file of exactly three chunks, and how many records each chunk holds. */
function threeChunks(): { file: Buffer; events: WriterEvent[]; perChunk: number[] } {
  const events = randomEvents(rng(5), 2000);
  let file = writeEvtx(events);
  const perChunk: number[] = [];
  for (let c = 0; HEADER + (c + 1) * CHUNK <= file.length; c++) {
    const o = HEADER + c * CHUNK;
    perChunk.push(Number(file.readBigUInt64LE(o + 32) - file.readBigUInt64LE(o + 24)) + 1);
  }
  assert.ok(perChunk.length >= 3, 'fixture spans three chunks');
  const keep = perChunk[0] + perChunk[1] + perChunk[2];
  file = writeEvtx(events.slice(0, keep));
  return { file, events: events.slice(0, keep), perChunk: perChunk.slice(0, 3) };
}

const ids = (r: ReturnType<typeof readEvtx>) => r.records.map((x) => Number(x.recordId));

test('a chunk whose record data fails its checksum is reported and skipped; the others are read', () => {
  const { file, events, perChunk } = threeChunks();
  file[HEADER + CHUNK + 700] ^= 0xff;
  const got = readEvtx(file);
  assert.equal(got.records.length, events.length - perChunk[1]);
  assert.equal(got.problems.length, 1);
  assert.match(got.problems[0].message, /chunk 1: record data checksum mismatch; chunk skipped/);
  assert.equal(got.problems[0].offset, HEADER + CHUNK);
});

test('a chunk whose header fails its checksum is reported and skipped', () => {
  const { file, events, perChunk } = threeChunks();
  file[HEADER + 2 * CHUNK + 200] ^= 0x01; // inside the string offset table
  const got = readEvtx(file);
  assert.equal(got.records.length, events.length - perChunk[2]);
  assert.match(got.problems[0].message, /chunk 2: chunk header checksum mismatch/);
});

test('a truncated file: whole records of the last, partial chunk are still read', () => {
  const { file, events, perChunk } = threeChunks();
  const cut = file.subarray(0, HEADER + 2 * CHUNK + 30000);
  const got = readEvtx(cut);
  const inPartial = got.records.length - perChunk[0] - perChunk[1];
  assert.ok(
    inPartial > 0 && inPartial < perChunk[2],
    `read ${inPartial} of ${perChunk[2]} records of the partial chunk`,
  );
  assert.deepEqual(
    ids(got),
    events.slice(0, got.records.length).map((e) => e.recordId),
  );
  assert.ok(got.problems.some((p) => /truncated inside chunk 2/.test(p.message)));
});

test('a file cut inside its header is reported, not read', () => {
  const got = readEvtx(threeChunks().file.subarray(0, 100));
  assert.equal(got.records.length, 0);
  assert.match(got.problems[0].message, /file header truncated/);
});

test('a dirty file whose header undercounts its chunks is read whole, and says so', () => {
  const events = threeChunks().events;
  const got = readEvtx(writeEvtx(events, { headerChunkCount: 1, dirty: true }));
  assert.equal(got.records.length, events.length);
  assert.equal(got.problems.length, 1);
  assert.match(got.problems[0].message, /header counts 1 chunks but the file holds 3 \(dirty file\)/);
});

test('a record whose two size fields disagree is reported by id and skipped', () => {
  const events = randomEvents(rng(11), 20);
  const file = writeEvtx(events);
  // Find record 5 and break the copy of its size at its end.
  let p = HEADER + 512;
  for (let i = 1; i < 5; i++) p += file.readUInt32LE(p + 4);
  const size = file.readUInt32LE(p + 4);
  file.writeUInt32LE(size + 8, p + size - 4);
  rechecksum(file);
  const got = readEvtx(file);
  assert.deepEqual(ids(got), [1, 2, 3, 4, ...Array.from({ length: 15 }, (_, i) => i + 6)]);
  assert.equal(got.problems.length, 1);
  assert.match(got.problems[0].message, /chunk 0 record 5: size fields disagree/);
  assert.equal(got.problems[0].offset, p);
  assert.equal(got.problems[0].where, 'chunk 0 record 5');
});

test('a record pointing its template at an impossible offset is reported and skipped', () => {
  const base = {
    time: Date.UTC(2024, 0, 1),
    eventId: 1,
    provider: 'P',
    channel: 'C',
    computer: 'H',
    data: [['A', 'x'] as [string, string]],
  };
  const file = writeEvtx([1, 2, 3].map((recordId) => ({ ...base, recordId })));
  let p = HEADER + 512;
  p += file.readUInt32LE(p + 4); // record 2 reuses record 1's template by offset
  assert.equal(file[p + 24 + 4], 0x0c, 'template instance token');
  file.writeUInt32LE(0xfff0, p + 24 + 4 + 6);
  rechecksum(file);
  const got = readEvtx(file);
  assert.deepEqual(ids(got), [1, 3]);
  assert.match(
    got.problems[0].message,
    /record 2: template (offset 65520 outside the chunk|at 65520 runs past the chunk)/,
  );
});

test('deeply nested elements are reported and skipped, not followed', () => {
  const base = {
    time: Date.UTC(2024, 0, 1),
    eventId: 1,
    provider: 'P',
    channel: 'C',
    computer: 'H',
    plain: true,
  };
  const got = readEvtx(
    writeEvtx([
      { ...base, recordId: 1 },
      { ...base, recordId: 2, nest: 500 },
      { ...base, recordId: 3 },
    ]),
  );
  assert.deepEqual(ids(got), [1, 3]);
  assert.match(got.problems[0].message, /record 2: elements nested deeper than 64/);
});

test('input that is not EVTX stops at the header with one report', () => {
  const got = readEvtx(Buffer.alloc(300_000, 0x41));
  assert.equal(got.records.length, 0);
  assert.deepEqual(
    got.problems.map((p) => p.message),
    ['EVTX: no "ElfFile" signature: not an EVTX file'],
  );
});

test('chunks of garbage after a valid header are each reported; blank chunks are silent', () => {
  const events = randomEvents(rng(2), 50);
  const good = writeEvtx(events, { headerChunkCount: 2 });
  const junk = Buffer.alloc(CHUNK, 0x5a);
  junk.write('ElfChnk\0', 0, 'latin1');
  const got = readEvtx(Buffer.concat([good, junk, Buffer.alloc(CHUNK)]));
  assert.equal(got.records.length, 50);
  assert.equal(got.problems.length, 1);
  assert.match(got.problems[0].message, /chunk 1: chunk header checksum mismatch/);
});

test('a template that names one large value hundreds of times hits the rendering budget', {
  timeout: 120_000,
}, () => {
  const fields: Array<[string, string]> = [['Big', 'x'.repeat(20_000)]];
  for (let i = 0; i < 300; i++) fields.push([`F${i}`, 'y']);
  const base = { time: Date.UTC(2024, 0, 1), eventId: 1, provider: 'P', channel: 'C', computer: 'H' };
  const file = writeEvtx([{ ...base, recordId: 1, data: fields }]);
  // Point every string substitution of the inline template at value 9 ("Big").
  const rec = HEADER + 512;
  const defOff = HEADER + file.readUInt32LE(rec + 24 + 4 + 6);
  const bodyEnd = defOff + 24 + file.readUInt32LE(defOff + 20);
  let patched = 0;
  for (let p = defOff + 24; p + 4 <= bodyEnd; p++) {
    if (file[p] === 0x0e && file[p + 2] === 0 && file[p + 3] === 0x01 && file[p + 1] > 9) {
      file[p + 1] = 9;
      patched++;
    }
  }
  assert.ok(patched >= 200, `patched ${patched} substitutions`);
  rechecksum(file);
  const got = readEvtx(file);
  assert.equal(got.records.length, 0);
  assert.match(got.problems[0].message, /record 1: chunk exceeds its value rendering budget/);
});
