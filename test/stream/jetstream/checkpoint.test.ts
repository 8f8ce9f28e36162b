// Where a restarted worker must replay from: the first message after which every earlier event
// is older than the retention the engine needs; never a message whose event may still matter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplayLow } from '../../../src/stream/jetstream/checkpoint.ts';

const MIN = 60_000;

describe('ReplayLow', () => {
  it('stays at the start while everything is within the retention', () => {
    const r = new ReplayLow(0, 60 * MIN, MIN);
    for (let seq = 1; seq <= 50; seq++) r.see(seq, seq * MIN);
    assert.equal(r.value(), 1);
  });

  it('moves forward once event time is a retention past earlier events, and never past a live one', () => {
    const r = new ReplayLow(0, 60 * MIN, MIN);
    // One event per minute, seq = minute.
    for (let seq = 1; seq <= 180; seq++) r.see(seq, seq * MIN);
    const low = r.value();
    // Events before `low` are older than the horizon (newest - 60 min)...
    assert.ok(low - 1 < 180 - 60, `low ${low} keeps an event inside the retention`);
    // ...and it is not much further back than needed (marks every minute).
    assert.ok(low >= 180 - 60 - 2, `low ${low} replays far more than needed`);
  });

  it('accounts for out-of-order events: an old event late in the stream holds low back', () => {
    const r = new ReplayLow(0, 10 * MIN, MIN);
    for (let seq = 1; seq <= 30; seq++) r.see(seq, seq * MIN);
    const before = r.value();
    r.see(31, 5 * MIN); // a straggler: older than the horizon, nothing to keep for it
    r.see(32, 31 * MIN);
    assert.ok(r.value() >= before, 'low never moves backwards');
  });

  it('starts from the checkpointed low after a restart', () => {
    const r = new ReplayLow(500, 60 * MIN, MIN);
    r.see(500, 10 * MIN);
    assert.equal(r.value(), 500);
  });
});
