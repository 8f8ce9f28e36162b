// The engine as a live stream needs it: events are held for a short reorder window (event time)
// so inputs that interleave slightly out of order reach the engine in order; events within the
// configured Lateness of the newest event are still used (the engine keeps state that long);
// older ones are counted as late and dropped. Findings go out when a chain first reaches alert
// level and on every change (same id, higher revision), and once more at close when the final
// state was never sent. No wall clock is read here, so the same input gives the same output.
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import { createEngine, type EngineStats } from '../engine/engine.ts';
import type { RatEvent } from '../model/event.ts';
import type { Finding } from '../model/finding.ts';
import { createReorderHeap } from './reorder.ts';

export type FindingKind = 'update' | 'final';

export interface LiveEngineOptions {
  config: Config;
  catalog: Catalog;
  /** Event-time reorder window in ms (0: no reordering beyond arrival order). */
  reorderMs: number;
  /** Most events held for reordering; beyond it the oldest are released early. */
  capacity: number;
  onFinding(f: Finding, kind: FindingKind): void;
  /** Sees each event dropped as too late. */
  onLate?(ev: RatEvent): void;
}

export interface LiveStats {
  eventsIn: number;
  late: number;
  buffered: number;
  /** Newest event time seen (ms), or undefined before the first event. */
  maxTime?: number;
  /** Event time up to which everything has reached the engine. */
  watermark?: number;
  findingsEmitted: number;
  openFindings: number;
  engine: EngineStats;
}

export interface LiveEngine {
  /** Offers one event; returns what happened to it. */
  push(ev: RatEvent): 'held' | 'direct' | 'late';
  /** Releases every held event (inputs went quiet). */
  flush(): void;
  /** A watermark: nothing older than `time` will come; releases and expires up to it. */
  advance(time: number): void;
  /** Ends the stream: flushes, closes every chain, sends final states. */
  finish(): void;
  stats(): LiveStats;
}

export function createLiveEngine(o: LiveEngineOptions): LiveEngine {
  const lateness = o.config.Lateness;
  const held = createReorderHeap();
  const emitted = new Map<string, number>();
  let eventsIn = 0;
  let late = 0;
  let findingsEmitted = 0;
  let maxTime = Number.NEGATIVE_INFINITY;
  let released = Number.NEGATIVE_INFINITY;

  const engine = createEngine(o.config, o.catalog, {
    collect: false,
    onFinding(f) {
      emitted.set(f.id, f.revision);
      findingsEmitted++;
      o.onFinding(f, 'update');
    },
    onClose(f) {
      const sent = emitted.get(f.id);
      emitted.delete(f.id);
      if (sent === f.revision) return;
      findingsEmitted++;
      o.onFinding(f, 'final');
    },
  });

  const releaseUpTo = (t: number) => {
    while (held.size() && held.peekTime() <= t) {
      const ev = held.pop()!;
      if (ev.time > released) released = ev.time;
      engine.push(ev);
    }
  };

  return {
    push(ev) {
      eventsIn++;
      const t = ev.time;
      if (!Number.isFinite(t)) {
        engine.push(ev); // the engine counts and ignores it
        return 'direct';
      }
      if (t > maxTime) maxTime = t;
      if (t < maxTime - lateness) {
        late++;
        o.onLate?.(ev);
        return 'late';
      }
      if (t < released) {
        // Behind what was already released but inside Lateness: the engine keeps state for it.
        engine.push(ev);
        return 'direct';
      }
      held.push(ev);
      releaseUpTo(maxTime - o.reorderMs);
      while (held.size() > o.capacity) releaseUpTo(held.peekTime());
      return 'held';
    },
    flush() {
      releaseUpTo(Number.POSITIVE_INFINITY);
    },
    advance(time) {
      releaseUpTo(time);
      if (time > maxTime) maxTime = time;
      if (time > released) released = time;
      engine.advance(time);
    },
    finish() {
      releaseUpTo(Number.POSITIVE_INFINITY);
      engine.finish();
    },
    stats() {
      return {
        eventsIn,
        late,
        buffered: held.size(),
        maxTime: Number.isFinite(maxTime) ? maxTime : undefined,
        watermark: Number.isFinite(released) ? released : undefined,
        findingsEmitted,
        openFindings: emitted.size,
        engine: engine.stats(),
      };
    },
  };
}
