// With one lane per host, a host that goes quiet must not keep its last events (and the finding
// they complete) held for reordering while other hosts keep sending: given a wall clock, no event
// is held longer than the caller asks. Without one (workers), nothing is released by wall time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { decodeFleet, liveLanes } from './live-harness.ts';

/** A live engine with one lane per host; `now` is its wall clock (serve gives one, workers do not). */
function liveWithClock(now?: () => number) {
  const found: Finding[] = [];
  const live = liveLanes({ now, onFinding: (f) => found.push(f) });
  return { live, found };
}

test('a quiet host gets its finding once its events have been held long enough, while another host keeps sending', () => {
  // Host 1's chain ends with a shell (a new revision of its finding); host 2 sends on, later in event time.
  const quiet = decodeFleet(fleetLines({ hosts: 1 }));
  const busy = decodeFleet(fleetLines({ hosts: 1, first: 2, offsetMs: 3_600_000 }));
  let wall = 1_000;
  const { live, found } = liveWithClock(() => wall);
  for (const ev of quiet) live.push(ev);
  const last = Math.max(...quiet.map((ev) => ev.time));
  const full = () => found.some((f) => f.host.startsWith('WS-0001') && f.lastSeen === last);
  assert.ok(!full(), 'the last shell is held: nothing later of its host has come');

  wall += 100;
  for (const ev of busy) live.push(ev);
  live.releaseHeld(wall - 200);
  assert.ok(!full(), 'held less than asked: still held');

  wall += 150;
  live.releaseHeld(wall - 200);
  assert.ok(full(), 'held 250 ms of wall time: released, the finding it changes is out');
  assert.ok(live.buffered() > 0, "the busy host's events that arrived 150 ms ago are still held");
});

test('without a clock nothing is released by wall time', () => {
  const { live, found } = liveWithClock();
  for (const ev of decodeFleet(fleetLines({ hosts: 1 }))) live.push(ev);
  const held = live.buffered();
  assert.ok(held > 0);
  live.releaseHeld(Number.POSITIVE_INFINITY);
  assert.equal(live.buffered(), held);
  live.finish();
  assert.ok(
    found.some((f) => f.stepCount === 4),
    'the chain is complete at the end',
  );
});
