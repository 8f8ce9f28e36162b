// Property: random corruption of a valid file (flipped bytes, overwritten fields, cuts), with or
// without checksums made consistent again, never crashes or hangs the reader, and whenever
// records go missing the reader has said so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rechecksum, writeEvtx } from '../../../../src/simulate/evtx/binary-writer.ts';
import { type Rng, randomEvents, rng } from './random-events.ts';
import { readEvtx } from './read-evtx.ts';

/** Seeds per run, kept to the suite's time budget: about 700 mutations, each kind hit over a hundred times. */
const SEEDS = 200;

const INTERESTING = [
  0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, 512, 4096, 65535, 65536,
];

function corrupt(r: Rng, file: Buffer): Buffer {
  let out = Buffer.from(file);
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    // Mostly inside chunks' record data, where the structure is richest.
    const at = r() < 0.9 ? 4096 + Math.floor(r() * (out.length - 4096)) : Math.floor(r() * 4096);
    switch (Math.floor(r() * 4)) {
      case 0:
        out[at] ^= 1 << Math.floor(r() * 8);
        break;
      case 1:
        out[at] = Math.floor(r() * 256);
        break;
      case 2:
        if (at + 4 <= out.length)
          out.writeUInt32LE(INTERESTING[Math.floor(r() * INTERESTING.length)] >>> 0, at);
        break;
      default:
        if (at + 2 <= out.length)
          out.writeUInt16LE(INTERESTING[Math.floor(r() * INTERESTING.length)] & 0xffff, at);
    }
  }
  if (r() < 0.6) rechecksum(out);
  if (r() < 0.15) out = out.subarray(0, Math.floor(r() * out.length));
  return out;
}

test('random corruption never crashes or hangs the reader, and losses are always reported', {
  timeout: 300_000,
}, () => {
  const base = randomEvents(rng(1234), 700);
  const file = writeEvtx(base);
  let damaged = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = rng(seed);
    const bad = corrupt(r, file);
    const got = readEvtx(bad, () => 1 + Math.floor(r() * 70_000));
    assert.ok(got.records.length <= base.length, `seed ${seed}: more records than written`);
    if (got.records.length < base.length) {
      damaged++;
      assert.ok(
        got.problems.length > 0,
        `seed ${seed}: ${base.length - got.records.length} records lost without a report`,
      );
    }
    for (const p of got.problems)
      assert.ok(
        p.offset !== undefined || p.where !== undefined,
        `seed ${seed}: problem without position: ${p.message}`,
      );
    for (const rec of got.records) {
      assert.ok(Number.isInteger(rec.eventId), `seed ${seed}: record without event id`);
      assert.equal(typeof rec.time, 'number');
    }
  }
  assert.ok(damaged > SEEDS / 4, `corruption reached the records (${damaged} of ${SEEDS} files lost some)`);
});
