// What a lane may release without waiting for the hold: the least of what its sources have
// delivered in order; nothing while one of them is out of order or while more sources feed it
// than are tracked; a source silent for SOURCE_GONE_MS no longer counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_SOURCES_PER_LANE,
  noteDelivery,
  passedByAll,
  SOURCE_GONE_MS,
  type SourceMarks,
} from '../../src/stream/source-order.ts';

test('the least of the in-order marks; nothing before any delivery', () => {
  const marks: SourceMarks = new Map();
  assert.equal(passedByAll(marks, 0), Number.NEGATIVE_INFINITY);
  noteDelivery(marks, 'a', 100, 0);
  noteDelivery(marks, 'a', 300, 0);
  noteDelivery(marks, 'b', 200, 0);
  assert.equal(passedByAll(marks, 0), 200);
  noteDelivery(marks, 'b', 200, 0);
  assert.equal(passedByAll(marks, 0), 200, 'the same time again is still in order');
});

test('one event older than its source sent before: nothing, while that source is remembered', () => {
  const marks: SourceMarks = new Map();
  noteDelivery(marks, 'a', 300, 0);
  noteDelivery(marks, 'b', 200, 0);
  noteDelivery(marks, 'b', 150, 10);
  noteDelivery(marks, 'b', 400, 20);
  assert.equal(passedByAll(marks, 20), Number.NEGATIVE_INFINITY);
  noteDelivery(marks, 'a', 500, SOURCE_GONE_MS + 20);
  assert.equal(passedByAll(marks, SOURCE_GONE_MS + 20), 500, 'b went silent and was forgotten');
});

test('more sources than tracked: the lane waits for the hold', () => {
  const marks: SourceMarks = new Map();
  for (let i = 0; i < MAX_SOURCES_PER_LANE; i++) noteDelivery(marks, `s${i}`, 100, 0);
  assert.equal(passedByAll(marks, 0), 100);
  noteDelivery(marks, 'one too many', 100, 0);
  assert.equal(marks.size, MAX_SOURCES_PER_LANE + 1, 'newcomers share one entry');
  noteDelivery(marks, 'and another', 100, 0);
  assert.equal(marks.size, MAX_SOURCES_PER_LANE + 1);
  assert.equal(passedByAll(marks, 0), Number.NEGATIVE_INFINITY);
});
