// The reorder window holds only what it has not released: an event it has handed on is the
// engine's to keep or drop. Held on, thousands of dead events outlived two scavenges, and V8
// promoted them to old space (the peak-RSS-at-16x bench row).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { orderInput } from '../../src/ingest/merge.ts';
import type { RatEvent } from '../../src/model/event.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function event(time: number): RatEvent {
  return {
    kind: 'process_end',
    time,
    host: 'ws1',
    platform: 'windows',
    src: { file: 'f', format: 'test' },
    proc: { pid: time },
  };
}

/** Batches of 100 events a second apart. */
async function* batches(n: number): AsyncGenerator<RatEvent[]> {
  for (let b = 0; b < n; b++) yield Array.from({ length: 100 }, (_, i) => event((b * 100 + i) * 1000));
}

test('an event the window has released is not kept alive by the window', async () => {
  const stats = { maxHeld: 0, outOfOrder: 0 };
  const ordered = orderInput(batches(10), {
    input: 0,
    lateness: 5000,
    window: 65_536,
    onDisorder: 'strict',
    stats,
  });
  const first = await ordered.next();
  assert.ok(!first.done && first.value.length > 0);
  const released = first.value.map((e) => new WeakRef(e));
  first.value.length = 0;
  // The window is still open (more batches follow); WeakRefs made in this job live to its end.
  assert.equal((await ordered.next()).done, false);
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(released.filter((r) => r.deref() !== undefined).length, 0);
  await ordered.return(undefined);
});
