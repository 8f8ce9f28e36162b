// Merges many event streams into one stream ordered by event time. Each source may be out of
// order by up to `lateness` (sensors batch and reorder); a per-source buffer holds events until
// the source has moved `lateness` past them. Events older than what was already released are
// too late: they are counted and dropped, never silently reordered into the past.
import type { RatEvent } from '../model/event.ts';

export interface MergeStats {
  late: number;
  /** Largest number of events held in reorder buffers at once (memory is bounded by this). */
  maxBuffered: number;
}

interface Cursor {
  it: AsyncIterator<RatEvent[]>;
  pending: RatEvent[];
  sorted: boolean;
  ready: RatEvent[];
  readyAt: number;
  maxTime: number;
  released: number;
  done: boolean;
}

const byTime = (a: RatEvent, b: RatEvent) => a.time - b.time;

async function pull(
  c: Cursor,
  lateness: number,
  stats: MergeStats,
  onLate: (e: RatEvent) => void,
): Promise<void> {
  while (c.readyAt >= c.ready.length && !c.done) {
    const r = await c.it.next();
    if (r.done) {
      c.done = true;
    } else {
      for (const e of r.value) {
        if (e.time < c.released) {
          stats.late++;
          onLate(e);
          continue;
        }
        if (c.pending.length && e.time < c.pending[c.pending.length - 1].time) c.sorted = false;
        c.pending.push(e);
        if (e.time > c.maxTime) c.maxTime = e.time;
      }
    }
    if (!c.sorted) {
      c.pending.sort(byTime);
      c.sorted = true;
    }
    const limit = c.done ? Number.POSITIVE_INFINITY : c.maxTime - lateness;
    let n = 0;
    while (n < c.pending.length && c.pending[n].time <= limit) n++;
    if (n > 0) {
      c.ready = n === c.pending.length ? c.pending : c.pending.slice(0, n);
      c.pending = n === c.pending.length ? [] : c.pending.slice(n);
      c.readyAt = 0;
      c.released = c.ready[c.ready.length - 1].time;
    }
    if (c.pending.length > stats.maxBuffered) stats.maxBuffered = c.pending.length;
  }
}

/**
 * Yields batches of events in non-decreasing time order across all sources.
 * `onLate` sees each dropped event (for reporting).
 */
export async function* mergeByTime(
  sources: Array<AsyncIterable<RatEvent[]>>,
  lateness: number,
  stats: MergeStats,
  onLate: (e: RatEvent) => void = () => {},
  batchSize = 4096,
): AsyncGenerator<RatEvent[]> {
  const cursors: Cursor[] = sources.map((s) => ({
    it: s[Symbol.asyncIterator](),
    pending: [],
    sorted: true,
    ready: [],
    readyAt: 0,
    maxTime: Number.NEGATIVE_INFINITY,
    released: Number.NEGATIVE_INFINITY,
    done: false,
  }));
  let live = cursors.slice();
  for (const c of live) await pull(c, lateness, stats, onLate);
  live = live.filter((c) => c.readyAt < c.ready.length);

  let out: RatEvent[] = [];
  while (live.length > 0) {
    if (live.length === 1) {
      // One source: pass its ready batches through.
      const c = live[0];
      out.push(...(c.readyAt === 0 ? c.ready : c.ready.slice(c.readyAt)));
      c.readyAt = c.ready.length;
    } else {
      // Take from the source with the earliest head until another source's head is earlier.
      let best = live[0];
      for (const c of live) if (c.ready[c.readyAt].time < best.ready[best.readyAt].time) best = c;
      let second = Number.POSITIVE_INFINITY;
      for (const c of live)
        if (c !== best && c.ready[c.readyAt].time < second) second = c.ready[c.readyAt].time;
      while (best.readyAt < best.ready.length && best.ready[best.readyAt].time <= second)
        out.push(best.ready[best.readyAt++]);
    }
    if (out.length >= batchSize) {
      yield out;
      out = [];
    }
    for (const c of live) if (c.readyAt >= c.ready.length) await pull(c, lateness, stats, onLate);
    live = live.filter((c) => c.readyAt < c.ready.length);
  }
  if (out.length) yield out;
}
