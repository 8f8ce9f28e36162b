// The engine as a live stream needs it. Events are put in *lanes* (one per host in watch and
// serve; one per partition in a worker), each with its own engine, reorder window and lateness,
// so a sender that is hours behind another loses nothing: there is no global watermark. Inside a
// lane, events are held for a short reorder window (event time) so inputs that interleave
// slightly out of order reach the engine in order; events within the configured Lateness of the
// lane's newest event *from the same clock* are still used (the engine keeps state that long);
// older ones are counted as late and dropped. Clocks differ: a host minutes ahead of the flow
// sensor sends its events minutes "ahead" of the flows of the same connections, and in a
// worker's partition one host ahead would make every other host look late. So lateness is
// measured per clock: the network sensor's, and each host's; the engine joins across them
// (engine/clock-skew.ts). Findings go out when a chain first reaches alert level and on every change
// (same id, higher revision), and once more at close when the final state was never sent. The
// wall clock is read only when the caller gives one (`now`, serve): then no event is held longer
// than the caller asks (`releaseHeld`), even in a lane whose host sends nothing later. Without
// it (workers, which replay), the same input gives the same output. A caller that knows who sent
// each event and when a batch is whole (serve: a request body) hands over whole batches with
// their source (`deliver`, with `bySource`): then a lane releases at once what every source
// feeding it has already passed in order (stream/source-order.ts), so one in-order sender's
// findings do not wait out the hold; out-of-order or disagreeing sources still wait for it.
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import { createEngine, type Engine, type EngineStats } from '../engine/engine.ts';
import type { RatEvent } from '../model/event.ts';
import type { Finding } from '../model/finding.ts';
import { createReorderHeap, type ReorderHeap } from './reorder.ts';
import { noteDelivery, passedByAll, type SourceMarks } from './source-order.ts';

export type FindingKind = 'update' | 'final';

/**
 * Lanes held at once. A lane is an engine (about 20 KB empty, 1 ms to create); past this many,
 * the lane used longest ago is closed (its chains end, final states are sent).
 */
export const MAX_LANES = 4096;

export interface LiveEngineOptions {
  config: Config;
  catalog: Catalog;
  /** Event-time reorder window in ms (0: no reordering beyond arrival order). */
  reorderMs: number;
  /** Most events held for reordering over all lanes; beyond it a lane's oldest are released early. */
  capacity: number;
  /** The lane of an event (its host key); one lane for all when absent. */
  laneOf?(ev: RatEvent): string;
  onFinding(f: Finding, kind: FindingKind): void;
  /** Sees each event dropped as too late. */
  onLate?(ev: RatEvent): void;
  /** Wall clock (ms), for `releaseHeld`; without it nothing is released by wall time. */
  now?(): number;
  /**
   * Findings changed by pushed events go out at `emitChanges()` (the caller's batch of events),
   * not after each event; every other call sends them at its end. Off where output must not
   * depend on how input was cut into batches (workers replay).
   */
  batchChanges?: boolean;
  /**
   * Each lane tracks how far each source has delivered in order (batches given to `deliver`;
   * events given to `push` count as one unnamed source), and a delivered batch releases what
   * every source feeding its lane has passed.
   */
  bySource?: boolean;
  /** With `deliver`: changed findings go out at least every this many events of a batch. */
  emitEvery?: number;
}

export interface LiveStats {
  eventsIn: number;
  late: number;
  buffered: number;
  /** Newest event time seen (ms), or undefined before the first event. */
  maxTime?: number;
  /** Event time up to which every lane has passed everything to its engine (the slowest lane). */
  watermark?: number;
  lanes: number;
  findingsEmitted: number;
  openFindings: number;
  engine: EngineStats;
}

export interface LiveEngine {
  /** Offers one event; returns what happened to it. */
  push(ev: RatEvent): 'held' | 'direct' | 'late';
  /**
   * Offers one whole batch from `source` (serve: an accepted request body) lane by lane: a
   * lane's events, then (bySource) what every source feeding the lane has passed in order is
   * released. Returns how many were late. The findings they changed go out at the caller's
   * `emitChanges()`, so that serve can answer the sender before building them; in a batch of
   * more than `emitEvery` events, those of the lanes taken so far go out every `emitEvery`
   * events, so no finding waits for the rest of a large batch.
   */
  deliver(events: RatEvent[], source: string): number;
  /** Releases every held event (inputs went quiet). */
  flush(): void;
  /**
   * Releases, lane by lane, every event that had arrived by wall time `arrivedBy` (and whatever
   * is older in event time): a host that goes quiet does not keep its last events, and the
   * findings they complete, waiting while other hosts keep sending. Needs `now`.
   */
  releaseHeld(arrivedBy: number): void;
  /** Events held for reordering, over all lanes. */
  buffered(): number;
  /** With batchChanges: sends the findings the events pushed since the last call changed. */
  emitChanges(): void;
  /** A watermark for every lane: nothing older than `time` will come; releases and expires up to it. */
  advance(time: number): void;
  /** Ends the stream: flushes, closes every chain, sends final states. */
  finish(): void;
  stats(): LiveStats;
}

interface Lane {
  engine: Engine;
  held: ReorderHeap;
  maxTime: number;
  released: number;
  /** Newest event time per clock (the network sensor's, each host's): lateness is measured there. */
  clocks: Map<string, number>;
  /** With `now`: the lane's newest event time as of each arrival time, oldest first. */
  arrivals: Arrival[];
  /** With bySource: how far each source feeding the lane has delivered in order. */
  sources?: SourceMarks;
}

interface Arrival {
  at: number;
  upTo: number;
}

/** Arrivals this close in wall time share one entry: the list stays short whatever the event rate. */
const ARRIVAL_GRAIN_MS = 5;
/**
 * A batch's findings go out at least every this many of its events. Events take 0.1 ms each in
 * serve (10,000 a second on the benchmark's machine), so a finding waits for at most about
 * 100 ms of the rest of its batch, within serve's latency goal (p99 < 250 ms), while a body of
 * up to this many events is answered before its findings are built (the sender then prepares
 * its next body meanwhile: a median 0.944× the time with 500-line bodies, 32 pairs).
 */
const EMIT_EVERY_EVENTS = 1_000;

/** Clocks tracked per lane (a worker's partition holds many hosts); the oldest is forgotten first. */
const MAX_CLOCKS_PER_LANE = 4096;

/** Whose clock stamped an event: the network sensor's for flows, leases and lookups, else its host's. */
function clockOf(ev: RatEvent): string {
  return ev.platform === 'network' ? '\0network' : (ev.host ?? '');
}

/** Whether `t` is more than `lateness` behind the newest event of its clock; advances that clock. */
function lateOnItsClock(lane: Lane, clock: string, t: number, lateness: number): boolean {
  const newest = lane.clocks.get(clock);
  if (newest === undefined) {
    if (lane.clocks.size >= MAX_CLOCKS_PER_LANE) lane.clocks.delete(lane.clocks.keys().next().value!);
    lane.clocks.set(clock, t);
    return false;
  }
  if (t > newest) lane.clocks.set(clock, t);
  return t < newest - lateness;
}

/** Sums engine statistics over lanes (counts add up; lists, such as clock offsets, are joined). */
function addStats(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (Array.isArray(v)) into[k] = [...((into[k] as unknown[] | undefined) ?? []), ...v];
    else if (v && typeof v === 'object') {
      if (!into[k]) into[k] = {};
      addStats(into[k] as Record<string, unknown>, v as Record<string, unknown>);
    }
  }
}

function zeroed(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o))
    out[k] =
      typeof v === 'number'
        ? 0
        : Array.isArray(v)
          ? []
          : v && typeof v === 'object'
            ? zeroed(v as Record<string, unknown>)
            : v;
  return out;
}

/** Every lane's clock offsets, largest first, as one engine lists them. */
function sortedOffsets(engine: EngineStats): EngineStats {
  engine.clockOffsets?.sort(
    (a, b) => Math.abs(b.offsetMs) - Math.abs(a.offsetMs) || a.host.localeCompare(b.host),
  );
  return engine;
}

export function createLiveEngine(o: LiveEngineOptions): LiveEngine {
  const lateness = o.config.Lateness;
  const lanes = new Map<string, Lane>();
  const emitted = new Map<string, number>();
  const closed: EngineStats[] = [];
  let eventsIn = 0;
  let late = 0;
  let held = 0;
  let findingsEmitted = 0;
  let zero: Record<string, unknown> | undefined;

  const newLane = (): Lane => ({
    engine: createEngine(o.config, o.catalog, {
      collect: false,
      batchChanges: o.batchChanges,
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
    }),
    held: createReorderHeap(),
    maxTime: Number.NEGATIVE_INFINITY,
    released: Number.NEGATIVE_INFINITY,
    clocks: new Map(),
    arrivals: [],
  });

  /** Lanes holding events that arrived with a wall time (`now`). */
  const waiting = new Set<Lane>();
  const noteArrival = (lane: Lane, at: number) => {
    const last = lane.arrivals[lane.arrivals.length - 1];
    if (last && at - last.at < ARRIVAL_GRAIN_MS) last.upTo = lane.maxTime;
    else lane.arrivals.push({ at, upTo: lane.maxTime });
    waiting.add(lane);
  };

  /** Lanes whose engines saw events since changes were last sent (batchChanges). */
  const touched = new Set<Lane>();
  const emitChanges = () => {
    for (const lane of touched) lane.engine.emitChanges();
    touched.clear();
  };
  const toEngine = (lane: Lane, ev: RatEvent) => {
    lane.engine.push(ev);
    if (o.batchChanges) touched.add(lane);
  };

  const releaseUpTo = (lane: Lane, t: number) => {
    while (lane.held.size() && lane.held.peekTime() <= t) {
      const ev = lane.held.pop()!;
      held--;
      if (ev.time > lane.released) lane.released = ev.time;
      toEngine(lane, ev);
    }
  };

  const releasePassed = (lane: Lane, at: number) => {
    if (!lane.sources) return;
    releaseUpTo(lane, passedByAll(lane.sources, at));
    if (lane.held.size() === 0) {
      lane.arrivals.length = 0;
      waiting.delete(lane);
    }
  };

  const closeLane = (key: string, lane: Lane) => {
    waiting.delete(lane);
    touched.delete(lane);
    releaseUpTo(lane, Number.POSITIVE_INFINITY);
    lane.engine.finish();
    closed.push(lane.engine.stats());
    lanes.delete(key);
  };

  const laneFor = (key: string): Lane => {
    let lane = lanes.get(key);
    if (lane) {
      // Most recently used last, so the first is the one to close when full.
      lanes.delete(key);
      lanes.set(key, lane);
      return lane;
    }
    if (lanes.size >= MAX_LANES) {
      const [oldKey, old] = lanes.entries().next().value!;
      closeLane(oldKey, old);
    }
    lane = newLane();
    lanes.set(key, lane);
    return lane;
  };

  /** One event into its lane, from `source`, arrived at wall time `at`. */
  const pushTo = (lane: Lane, ev: RatEvent, source: string, at: number): 'held' | 'direct' | 'late' => {
    eventsIn++;
    const t = ev.time;
    if (!Number.isFinite(t)) {
      toEngine(lane, ev); // the engine counts and ignores it
      return 'direct';
    }
    if (o.bySource) {
      lane.sources ??= new Map();
      noteDelivery(lane.sources, source, t, at);
    }
    if (t > lane.maxTime) lane.maxTime = t;
    if (lateOnItsClock(lane, clockOf(ev), t, lateness)) {
      late++;
      o.onLate?.(ev);
      return 'late';
    }
    if (t < lane.released) {
      // Behind what was already released but inside Lateness: the engine keeps state for it.
      toEngine(lane, ev);
      return 'direct';
    }
    lane.held.push(ev);
    held++;
    if (o.now) noteArrival(lane, at);
    releaseUpTo(lane, lane.maxTime - o.reorderMs);
    if (held > o.capacity) releaseUpTo(lane, lane.held.peekTime());
    return 'held';
  };

  return {
    push: (ev) => pushTo(laneFor(o.laneOf?.(ev) ?? ''), ev, '', o.now?.() ?? 0),
    deliver(events, source) {
      const byLane = new Map<string, RatEvent[]>();
      for (const ev of events) {
        const key = o.laneOf?.(ev) ?? '';
        const list = byLane.get(key);
        if (list) list.push(ev);
        else byLane.set(key, [ev]);
      }
      const at = o.now?.() ?? 0;
      const every = o.emitEvery ?? EMIT_EVERY_EVENTS;
      let lateHere = 0;
      let sinceEmit = 0;
      for (const [key, list] of byLane) {
        const lane = laneFor(key);
        for (const ev of list) if (pushTo(lane, ev, source, at) === 'late') lateHere++;
        releasePassed(lane, at);
        sinceEmit += list.length;
        if (sinceEmit >= every) {
          emitChanges();
          sinceEmit = 0;
        }
      }
      return lateHere;
    },
    flush() {
      for (const lane of lanes.values()) releaseUpTo(lane, Number.POSITIVE_INFINITY);
      emitChanges();
    },
    releaseHeld(arrivedBy) {
      for (const lane of waiting) {
        const a = lane.arrivals;
        let n = 0;
        while (n < a.length && a[n].at <= arrivedBy) n++;
        if (n > 0) {
          releaseUpTo(lane, a[n - 1].upTo);
          a.splice(0, n);
        }
        if (lane.held.size() === 0) {
          a.length = 0;
          waiting.delete(lane);
        }
      }
      emitChanges();
    },
    buffered: () => held,
    emitChanges,
    advance(time) {
      for (const lane of lanes.values()) {
        releaseUpTo(lane, time);
        if (time > lane.maxTime) lane.maxTime = time;
        if (time > lane.released) lane.released = time;
        lane.engine.advance(time);
      }
      emitChanges();
    },
    finish() {
      emitChanges();
      for (const [key, lane] of [...lanes]) closeLane(key, lane);
    },
    stats() {
      let maxTime = Number.NEGATIVE_INFINITY;
      let watermark = Number.POSITIVE_INFINITY;
      zero ??= zeroed(newLane().engine.stats() as unknown as Record<string, unknown>);
      const engine = structuredClone(zero);
      for (const s of closed) addStats(engine, s as unknown as Record<string, unknown>);
      for (const lane of lanes.values()) {
        if (lane.maxTime > maxTime) maxTime = lane.maxTime;
        if (lane.released < watermark) watermark = lane.released;
        addStats(engine, lane.engine.stats() as unknown as Record<string, unknown>);
      }
      return {
        eventsIn,
        late,
        buffered: held,
        maxTime: Number.isFinite(maxTime) ? maxTime : undefined,
        watermark: Number.isFinite(watermark) ? watermark : undefined,
        lanes: lanes.size,
        findingsEmitted,
        openFindings: emitted.size,
        engine: sortedOffsets(engine as unknown as EngineStats),
      };
    },
  };
}
