// Time order for offline inputs. Each input passes through a bounded reorder window (`orderInput`)
// that releases its events in exact (time, arrival) order as long as its disorder fits the window;
// an event earlier than one already released is *disorder*, never dropped: the caller decides
// (an offline hunt sorts that input on disk and starts again, a publisher passes it through).
// `mergeSorted` then merges the ordered inputs into one stream by (time, input index), so the
// output equals a stable sort of all events by time. No spread pushes: batches of any size.
import type { RatEvent } from '../model/event.ts';

/** Events held across all inputs' reorder windows. Bounds memory on dense or non-advancing time. */
export const MERGE_WINDOW_EVENTS = 65_536;
/** Each input may hold at least this many, however many inputs are open. */
const MIN_WINDOW_EVENTS = 256;
/** Events per yielded batch. */
const BATCH = 4096;

export function windowFor(inputs: number): number {
  return Math.max(MIN_WINDOW_EVENTS, Math.floor(MERGE_WINDOW_EVENTS / Math.max(1, inputs)));
}

export interface OrderStats {
  /** Most events one window held at once. */
  maxHeld: number;
  /** Events released behind later ones (pass-through mode only). */
  outOfOrder: number;
}

/** Thrown by `orderInput` in strict mode: the input is out of order beyond its window. */
export class Disorder extends Error {
  constructor(
    readonly input: number,
    readonly event: RatEvent,
    readonly after: number,
  ) {
    super(`event at ${iso(event.time)} comes after one at ${iso(after)}`);
  }
}

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

export interface OrderOptions {
  /** Index of the input (reported in Disorder). */
  input: number;
  /** Event time an event may lag the newest one and still be put back in order. */
  lateness: number;
  /** Most events held. */
  window: number;
  /** strict: throw Disorder; pass: release the late event at once and count it. */
  onDisorder: 'strict' | 'pass';
  stats: OrderStats;
}

/**
 * Yields the input's events in (time, arrival) order. An event waits until the input has moved
 * `lateness` past it or the window is full. Events without a finite time go straight through
 * (the engine counts and ignores them).
 */
export async function* orderInput(
  source: AsyncIterable<RatEvent[]>,
  o: OrderOptions,
): AsyncGenerator<RatEvent[]> {
  let held: RatEvent[] = [];
  let head = 0;
  let unsorted = false;
  let newest = Number.NEGATIVE_INFINITY;
  let released = Number.NEGATIVE_INFINITY;
  const byTime = (a: RatEvent, b: RatEvent) => a.time - b.time;

  const release = (all: boolean): RatEvent[] => {
    if (unsorted) {
      held = head > 0 ? held.slice(head) : held;
      head = 0;
      held.sort(byTime); // stable: equal times keep arrival order
      unsorted = false;
    }
    const limit = newest - o.lateness;
    let n = head;
    while (n < held.length && (all || held[n].time <= limit || held.length - n > o.window)) n++;
    if (n === head) return [];
    const out = held.slice(head, n);
    // Forget what is released: the slots before `head` live until the next compaction, and
    // thousands of dead events held that long outlive two scavenges and fill old space.
    (held as Array<RatEvent | undefined>).fill(undefined, head, n);
    head = n;
    released = out[out.length - 1].time;
    if (head > 4096 && head * 2 > held.length) {
      held = held.slice(head);
      head = 0;
    }
    return out;
  };

  for await (const batch of source) {
    const direct: RatEvent[] = [];
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i];
      const t = e.time;
      if (!Number.isFinite(t)) {
        direct.push(e);
        continue;
      }
      if (t < released) {
        if (o.onDisorder === 'strict') throw new Disorder(o.input, e, released);
        o.stats.outOfOrder++;
        direct.push(e);
        continue;
      }
      if (held.length > head && t < held[held.length - 1].time) unsorted = true;
      held.push(e);
      if (t > newest) newest = t;
    }
    if (held.length - head > o.stats.maxHeld) o.stats.maxHeld = held.length - head;
    if (direct.length) yield direct;
    const out = release(false);
    if (out.length) yield out;
  }
  const rest = release(true);
  if (rest.length) yield rest;
}

interface Cursor {
  it: AsyncIterator<RatEvent[]>;
  index: number;
  batch: RatEvent[];
  at: number;
}

/** Advances a cursor to a non-empty batch; false when its input is done. */
async function refill(c: Cursor): Promise<boolean> {
  while (c.at >= c.batch.length) {
    const r = await c.it.next();
    if (r.done) return false;
    c.batch = r.value;
    c.at = 0;
  }
  return true;
}

const before = (a: Cursor, b: Cursor) => {
  const ta = a.batch[a.at].time;
  const tb = b.batch[b.at].time;
  // Non-finite times sort first, so they never hold the others back.
  const fa = Number.isFinite(ta) ? ta : Number.NEGATIVE_INFINITY;
  const fb = Number.isFinite(tb) ? tb : Number.NEGATIVE_INFINITY;
  return fa < fb || (fa === fb && a.index < b.index);
};

/** A binary min-heap of cursors by (head time, input index). */
function siftDown(h: Cursor[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && before(h[l], h[m])) m = l;
    if (r < h.length && before(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}

/**
 * Merges inputs that are each in time order into one stream ordered by (time, input index).
 * On a throw from any input (Disorder), every input is closed before the error propagates.
 */
export async function* mergeSorted(inputs: Array<AsyncIterable<RatEvent[]>>): AsyncGenerator<RatEvent[]> {
  const all: Cursor[] = inputs.map((s, index) => ({
    it: s[Symbol.asyncIterator](),
    index,
    batch: [],
    at: 0,
  }));
  try {
    if (all.length === 1) {
      for (let r = await all[0].it.next(); !r.done; r = await all[0].it.next())
        if (r.value.length) yield r.value;
      return;
    }
    const heap: Cursor[] = [];
    for (const c of all) if (await refill(c)) heap.push(c);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    let out: RatEvent[] = [];
    while (heap.length > 0) {
      const c = heap[0];
      out.push(c.batch[c.at++]);
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
      if (c.at < c.batch.length || (await refill(c))) siftDown(heap, 0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, 0);
        }
      }
    }
    if (out.length) yield out;
  } finally {
    await Promise.allSettled(all.map((c) => c.it.return?.()));
  }
}
