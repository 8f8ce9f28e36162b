// When the live engine knows who sent each event and when a batch is whole (serve: a request
// body), a lane releases at once what every source feeding it has already passed in order: one
// in-order sender's finding goes out with its batch, before any hold check. Sources that are
// out of order, or behind one another, still get their events put back in order. The wall clock
// here is a variable that only the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { createLiveIntake } from '../../src/ingest/pipeline.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import { createRouter } from '../../src/stream/jetstream/partition.ts';
import { createLiveEngine } from '../../src/stream/live-engine.ts';
import { SOURCE_GONE_MS } from '../../src/stream/source-order.ts';
import { verdict } from '../abuse/compare.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { defaultConfig } from './watch-harness.ts';

/** One host's chain (4 steps) with benign noise, in time order. */
function hostEvents(): RatEvent[] {
  const out: RatEvent[] = [];
  const intake = createLiveIntake({
    onEvent: (ev) => out.push(ev),
    onProblem: (p) => assert.fail(p.message),
  });
  const feed = intake.open('fleet.xml');
  feed.write(Buffer.from(`${fleetLines({ hosts: 1, noise: 10 }).join('\n')}\n`));
  feed.end(true);
  intake.settle();
  return out;
}

/** A live engine as serve builds it (one lane per host, sources named), on a wall clock the test sets. */
function liveBySource(bySource = true) {
  const config = defaultConfig();
  const clock = { wall: 1_000 };
  const latest = new Map<string, Finding>();
  const live = createLiveEngine({
    config,
    catalog: builtinCatalog(),
    reorderMs: 5_000,
    capacity: 10_000,
    laneOf: createRouter(config, 1).hostKey,
    now: () => clock.wall,
    batchChanges: true,
    bySource,
    onFinding: (f) => latest.set(f.id, f),
  });
  return { live, latest, clock };
}

const events = hostEvents();
const last = events[events.length - 1].time;
/** Whether the host's finding includes its last event (the last shell of the chain). */
const complete = (latest: Map<string, Finding>) =>
  [...latest.values()].some((f) => f.stepCount === 4 && f.lastSeen === last);

test('one in-order sender: its finding goes out when its batch is delivered, with no hold check', () => {
  const { live, latest } = liveBySource();
  for (const ev of events) live.push(ev, 'collector');
  assert.ok(!complete(latest), 'pushed but not delivered: the last events are held for reordering');
  live.releaseDelivered();
  assert.ok(complete(latest), 'the sender has passed its last event: nothing of it is held');
  assert.equal(live.buffered(), 0);
});

test('two senders of one host, one behind: held events wait for the slower one, and all of its are reordered', () => {
  const reference = liveBySource();
  for (const ev of events) reference.live.push(ev, 'one');
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
  const outcomes = new Set<string>();
  for (const [source, ev] of batches) {
    const outcome = live.push(ev, source);
    if (source === 'b') outcomes.add(outcome);
    live.releaseDelivered();
  }
  assert.deepEqual(outcomes, new Set(['held']), "every one of b's events was still held: reordered");
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
  for (const ev of [...events.slice(0, n - 2), events[n - 1], events[n - 2]]) live.push(ev, 'swapped');
  live.releaseDelivered();
  assert.ok(!complete(latest), 'its marks promise nothing: held');

  clock.wall += 250;
  live.releaseHeld(clock.wall - 200);
  assert.ok(complete(latest), 'released by the hold, as without sources');
  assert.equal(live.buffered(), 0);
});

test('a sender silent on a host for SOURCE_GONE_MS is no longer waited for', () => {
  const { live, latest, clock } = liveBySource();
  live.push(events[0], 'gone');
  const half = Math.floor(events.length / 2);
  for (const ev of events.slice(1, half)) live.push(ev, 'stays');
  live.releaseDelivered();
  assert.ok(live.buffered() > 0, "held for 'gone', which may still send what comes between");

  clock.wall += SOURCE_GONE_MS;
  for (const ev of events.slice(half)) live.push(ev, 'stays');
  live.releaseDelivered();
  assert.ok(complete(latest), "'gone' is forgotten: the one sender left has passed everything");
  assert.equal(live.buffered(), 0);
});

test('the limit: a sender first seen after a host released meets the engine directly with older events', () => {
  const { live } = liveBySource();
  const n = events.length;
  for (const ev of [...events.slice(0, n - 2), events[n - 1]]) live.push(ev, 'first');
  live.releaseDelivered();
  assert.equal(
    live.push(events[n - 2], 'newcomer'),
    'direct',
    'nothing told the lane to wait for it; within Lateness the engine still uses it',
  );
});

test('without bySource a delivered batch releases nothing: watch and workers are as before', () => {
  const { live, latest } = liveBySource(false);
  for (const ev of events) live.push(ev, 'ignored');
  live.releaseDelivered();
  assert.ok(!complete(latest));
  assert.ok(live.buffered() > 0);
});
