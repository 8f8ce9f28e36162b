// A bounded min-heap of events by event time (ties keep arrival order), used to put events from
// several live inputs back in time order before the engine sees them.
import type { RatEvent } from '../model/event.ts';

interface Entry {
  ev: RatEvent;
  n: number;
}

export interface ReorderHeap {
  push(ev: RatEvent): void;
  /** Time of the oldest held event, or +Infinity when empty. */
  peekTime(): number;
  pop(): RatEvent | undefined;
  size(): number;
}

export function createReorderHeap(): ReorderHeap {
  const heap: Entry[] = [];
  let counter = 0;
  const less = (a: Entry, b: Entry) => a.ev.time < b.ev.time || (a.ev.time === b.ev.time && a.n < b.n);
  return {
    push(ev) {
      heap.push({ ev, n: counter++ });
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    },
    peekTime: () => (heap.length ? heap[0].ev.time : Number.POSITIVE_INFINITY),
    pop() {
      if (heap.length === 0) return undefined;
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l], heap[m])) m = l;
          if (r < heap.length && less(heap[r], heap[m])) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      return top.ev;
    },
    size: () => heap.length,
  };
}
