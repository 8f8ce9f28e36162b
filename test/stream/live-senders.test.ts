// When the live engine knows who sent each event and when a batch is whole (serve: a request
// body), a lane releases at once what every source feeding it has already passed in order: one
// in-order sender's finding goes out with its batch, before any hold check. Sources that are
// out of order, or behind one another, still get their events put back in order. The wall clock
// here is a variable that only the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import { SOURCE_GONE_MS } from '../../src/stream/source-order.ts';
import { verdict } from '../abuse/compare.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { decodeFleet, liveLanes } from './live-harness.ts';

/** A live engine as serve builds it (one lane per host, sources named), on a wall clock the test sets. */
function liveBySource(bySource = true) {
  const clock = { wall: 1_000 };
  const latest = new Map<string, Finding>();
  const live = liveLanes({
    now: () => clock.wall,
    batchChanges: true,
    bySource,
    onFinding: (f) => latest.set(f.id, f),
  });
  return { live, latest, clock };
}

/** One host's chain (4 steps) with benign noise, in time order. */
const events = decodeFleet(fleetLines({ hosts: 1, noise: 10 }));
const last = events[events.length - 1].time;
/** Whether the host's finding includes its last event (the last shell of the chain). */
const complete = (latest: Map<string, Finding>) =>
  [...latest.values()].some((f) => f.stepCount === 4 && f.lastSeen === last);

test('one in-order sender: its finding goes out with its batch (at the emitChanges after deliver), with no hold check', () => {
  const pushed = liveBySource();
  for (const ev of events) pushed.live.push(ev);
  assert.ok(!complete(pushed.latest), 'pushed one by one, nothing says no earlier event is coming: held');

  const { live, latest } = liveBySource();
  assert.equal(live.deliver(events, 'collector'), 0, 'none late');
  assert.ok(!complete(latest), 'a small batch leaves its findings to the caller (serve answers first)');
  live.emitChanges();
  assert.ok(complete(latest), 'the sender has passed its last event: nothing of it is held');
  assert.equal(live.buffered(), 0);
});

test("a large batch of two hosts: the first host's findings go out before the second host's events are taken", () => {
  const second = decodeFleet(fleetLines({ hosts: 1, first: 2, noise: 10 }));
  const batch = [...events, ...second].sort((x, y) => x.time - y.time);
  let takenAtFirst: number | undefined;
  const live = liveLanes({
    now: () => 1_000,
    batchChanges: true,
    bySource: true,
    emitEvery: events.length, // the batch is large: findings go out every host's worth of events
    onFinding: (f) => {
      if (f.host.startsWith('WS-0001') && f.lastSeen === last) takenAtFirst = live.stats().eventsIn;
    },
  });
  live.deliver(batch, 'collector');
  assert.equal(takenAtFirst, events.length, "only the first host's events had been taken");
  assert.equal(live.stats().eventsIn, batch.length);
});

test('two senders of one host, one behind: held events wait for the slower one, and all of its are reordered', () => {
  const reference = liveBySource();
  reference.live.deliver(events, 'one');
  reference.live.finish();

  // a sends the even events, b the odd ones, each in order, but b one event behind a (within
  // Lateness): b's events arrive after a's newer ones and must still reach the engine before them.
  const batches: Array<[string, RatEvent]> = [
    ['a', events[0]],
    ['b', events[1]],
    ['a', events[2]],
  ];
  for (let i = 4; i < events.length; i += 2) batches.push(['a', events[i]], ['b', events[i - 1]]);
  const { live, latest, clock } = liveBySource();
  for (const [source, ev] of batches) {
    const before = live.stats().watermark ?? Number.NEGATIVE_INFINITY;
    assert.equal(live.deliver([ev], source), 0);
    if (source === 'a' || ev === events[1]) continue;
    assert.ok(before < ev.time, "b's event is newer than anything released: it was held, not passed on");
    assert.equal(live.stats().watermark, ev.time, 'both have passed it now: released up to it');
    assert.equal(live.buffered(), 1, "a's newer event waits for b");
  }
  assert.ok(!complete(latest), "a's last event is newer than anything b has passed: held for b");

  clock.wall += 250;
  live.releaseHeld(clock.wall - 200);
  assert.ok(complete(latest), 'b sent nothing more: the hold released it');
  live.finish();
  assert.deepEqual(
    [...latest.values()].map(verdict),
    [...reference.latest.values()].map(verdict),
    'the same finding as from one sender in order',
  );
});

test('a sender that delivers out of order waits for the hold', () => {
  const { live, latest, clock } = liveBySource();
  const n = events.length;
  live.deliver([...events.slice(0, n - 2), events[n - 1], events[n - 2]], 'swapped');
  assert.ok(!complete(latest), 'its marks promise nothing: held');

  clock.wall += 250;
  live.releaseHeld(clock.wall - 200);
  assert.ok(complete(latest), 'released by the hold, as without sources');
  assert.equal(live.buffered(), 0);
});

test('a sender silent on a host for SOURCE_GONE_MS is no longer waited for', () => {
  const { live, latest, clock } = liveBySource();
  const half = Math.floor(events.length / 2);
  live.deliver([events[0]], 'gone');
  live.deliver(events.slice(1, half), 'stays');
  assert.ok(live.buffered() > 0, "held for 'gone', which may still send what comes between");

  clock.wall += SOURCE_GONE_MS;
  live.deliver(events.slice(half), 'stays');
  live.emitChanges();
  assert.ok(complete(latest), "'gone' is forgotten: the one sender left has passed everything");
  assert.equal(live.buffered(), 0);
});

test('the limit: a sender first seen after a host released meets the engine directly with older events', () => {
  const { live } = liveBySource();
  const n = events.length;
  live.deliver([...events.slice(0, n - 2), events[n - 1]], 'first');
  assert.equal(
    live.push(events[n - 2]),
    'direct',
    'nothing told the lane to wait for it; within Lateness the engine still uses it',
  );
});

test('without bySource a delivered batch releases nothing: watch and workers are as before', () => {
  const { live, latest } = liveBySource(false);
  live.deliver(events, 'ignored');
  assert.ok(!complete(latest));
  assert.ok(live.buffered() > 0);
});
