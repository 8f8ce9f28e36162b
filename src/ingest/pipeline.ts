// The one offline pipeline: expand inputs → read (sniff, decode, frame once) → time stages →
// future quarantine → exact time-ordered merge → host stages → the consumer. `hunt` and
// `publish` call it; `watch` and `serve` use the same stages, quarantine and host fallback
// through `live-intake.ts`. So `--host`, `--format` and every stage mean the same everywhere.
//
// Stage hooks (for other engineers' work, e.g. clock skew and DHCP host binding):
//   phase 'time'  runs on each input's events as they are read, before the merge, so the merge
//                 orders by the corrected time. A stage may rewrite `ev.time`.
//   phase 'host'  runs after the merge, in time order (a binding learned at 10:00 applies to
//                 events after 10:00). A stage may set or rewrite `ev.host`. After every host
//                 stage, events still without a host get `--host` or their file name's hint.
// Stages are made by a factory, called once per pass, because a pass may start over.
//
// Order is exact: an input out of order beyond its reorder window is sorted on disk and the pass
// starts over (`onDisorder: 'sort'`, what a hunt does; never dropped), or passed through and
// counted (`'pass'`, for a publisher feeding live workers that apply lateness themselves).
import type { RatEvent } from '../model/event.ts';
import { HostHints, type HostNote } from './host-hint.ts';
import { createLineSource } from './line-source.ts';
import { createLineSplitter } from './line-splitter.ts';
import { Disorder, mergeSorted, type OrderStats, orderInput, windowFor } from './merge.ts';
import { type ExpandResult, expandInputs, type Input, readOnce } from './open.ts';
import type { Problem } from './reader.ts';
import { chunkSizeFor, MAX_LINE_BYTES, newStats, readSource, type SourceStats } from './source.ts';
import { type SpillStats, sortOnDisk } from './spill-sort.ts';

export interface EventStage {
  /** Shown in messages. */
  name: string;
  phase: 'time' | 'host';
  /** May rewrite ev.time ('time') or ev.host ('host'); must not throw on odd events. */
  apply(ev: RatEvent): void;
}

/**
 * Events dated further than this ahead of the machine's clock are quarantined: reported,
 * counted, never used, so one wrong clock cannot move time for everything else. A day covers
 * sensors that write local time as UTC in any time zone (up to +14 h).
 */
export const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

export interface PipelineOptions {
  /** Paths, directories, globs or "-". */
  paths?: string[];
  /** Already expanded inputs (tests). */
  inputs?: Input[];
  /** Format id forced by the user; sniffed per input when absent. */
  format?: string;
  /** Host for events whose sensor names none and whose file name gives none (--host). */
  defaultHost?: string;
  /** Event time an input may lag its own newest event and still be put back in order cheaply. */
  lateness: number;
  onDisorder: 'sort' | 'pass';
  /** Makes the extra stages of one pass. */
  stages?: () => EventStage[];
  /** The wall clock for the future check (tests fix it). */
  now?: number;
  onProblem(p: Problem): void;
  onBytes?(n: number): void;
}

export interface PipelineSummary {
  inputs: SourceStats[];
  /** Problems of the input list itself (missing files, empty globs, FIFOs inside a directory). */
  inputProblems: Array<{ file: string; message: string }>;
  /** Symbolic links followed inside directories (each target read once). */
  linksFollowed: number;
  problems: number;
  events: number;
  /** Events quarantined for being dated in the future. */
  future: number;
  /** Inputs that were out of order and were sorted on disk. */
  sorted: string[];
  /** Events passed through out of order (onDisorder 'pass'). */
  outOfOrder: number;
  /** Passes made (more than 1 when an input had to be sorted). */
  passes: number;
  spill: SpillStats;
  /** Most events one reorder window held. */
  maxHeld: number;
  /** Inputs whose records named no host: which host they were given and why, or why none. */
  hosts: HostNote[];
  /** Time range of the events used. */
  minTime?: number;
  maxTime?: number;
}

/** Receives the events of one pass, in time order. */
export type EventConsumer = (batch: RatEvent[]) => void | Promise<void>;

/**
 * The host fallback every mode shares (ingest/host-hint.ts): a record that names no host gets
 * `--host`, else its file name's host, else the one host its sibling inputs name.
 */
export function fallbackHost(hints: HostHints): EventStage {
  return {
    name: 'host-fallback',
    phase: 'host',
    apply(ev) {
      if (!ev.host) ev.host = hints.hostFor(ev.src.file);
    },
  };
}

/** The quarantine every mode shares; returns true when the event may be used. */
export function futureCheck(now: number, onFuture: (ev: RatEvent) => void): (ev: RatEvent) => boolean {
  const limit = now + FUTURE_TOLERANCE_MS;
  return (ev) => {
    if (!(ev.time > limit)) return true;
    onFuture(ev);
    return false;
  };
}

export function futureMessage(ev: RatEvent): string {
  return `event dated ${new Date(ev.time).toISOString()}, more than a day ahead of this machine's clock; quarantined (not used)`;
}

/** Time stages, quarantine and order for one input. */
function ordered(
  raw: AsyncIterable<RatEvent[]>,
  timeStages: EventStage[],
  keep: (ev: RatEvent) => boolean,
  order: { input: number; lateness: number; window: number; mode: 'strict' | 'pass' | 'disk' },
  orderStats: OrderStats,
  spill: SpillStats,
): AsyncIterable<RatEvent[]> {
  const checked = (async function* () {
    for await (const batch of raw) {
      let kept: RatEvent[] | undefined;
      for (let i = 0; i < batch.length; i++) {
        const ev = batch[i];
        for (const s of timeStages) s.apply(ev);
        if (!keep(ev)) kept ??= batch.slice(0, i);
        else if (kept) kept.push(ev);
      }
      yield kept ?? batch;
    }
  })();
  if (order.mode === 'disk') return sortOnDisk(checked, spill);
  return orderInput(checked, {
    input: order.input,
    lateness: order.lateness,
    window: order.window,
    onDisorder: order.mode === 'strict' ? 'strict' : 'pass',
    stats: orderStats,
  });
}

export async function runPipeline(o: PipelineOptions, open: () => EventConsumer): Promise<PipelineSummary> {
  const expanded: ExpandResult = o.inputs
    ? { inputs: o.inputs, problems: [], linksFollowed: 0 }
    : expandInputs(o.paths ?? []);
  const inputs = expanded.inputs;
  const toSort = new Set<number>();
  // Inputs whose reader cannot start over (stdin, FIFOs) are sorted on disk from the start.
  inputs.forEach((input, i) => {
    if (o.onDisorder === 'sort' && readOnce(input)) toSort.add(i);
  });
  const reported = inputs.map(() => ({ problems: 0, bytes: 0 }));
  const summary: PipelineSummary = {
    inputs: [],
    inputProblems: expanded.problems,
    linksFollowed: expanded.linksFollowed,
    problems: expanded.problems.length,
    events: 0,
    future: 0,
    sorted: [],
    outOfOrder: 0,
    passes: 0,
    spill: { runs: 0, bytes: 0 },
    maxHeld: 0,
    hosts: [],
  };
  const chunkSize = chunkSizeFor(inputs.length);
  const window = windowFor(inputs.length);
  const now = o.now ?? Date.now();

  for (;;) {
    summary.passes++;
    const stats = inputs.map((i) => newStats(i.name));
    const seen = inputs.map(() => ({ problems: 0, bytes: 0 }));
    const hints = new HostHints(o.defaultHost);
    const stages = [...(o.stages?.() ?? []), fallbackHost(hints)];
    const timeStages = stages.filter((s) => s.phase === 'time');
    const hostStages = stages.filter((s) => s.phase === 'host');
    const orderStats: OrderStats = { maxHeld: 0, outOfOrder: 0 };
    let future = 0;
    let minTime: number | undefined;
    let maxTime: number | undefined;
    const consume = open();
    const sources = inputs.map((input, i) => {
      // A pass that starts over reads the same problems again: each is reported once.
      const onProblem = (p: Problem) => {
        if (++seen[i].problems <= reported[i].problems) return;
        reported[i].problems = seen[i].problems;
        summary.problems++;
        o.onProblem(p);
      };
      const onBytes = (n: number) => {
        const before = seen[i].bytes;
        seen[i].bytes += n;
        const fresh = seen[i].bytes - Math.max(before, reported[i].bytes);
        if (fresh > 0) {
          reported[i].bytes = seen[i].bytes;
          o.onBytes?.(fresh);
        }
      };
      const keep = futureCheck(now, (ev) => {
        future++;
        onProblem({
          file: ev.src.file,
          format: ev.src.format,
          line: ev.src.line,
          offset: ev.src.offset,
          message: futureMessage(ev),
        });
      });
      const mode = toSort.has(i) ? 'disk' : o.onDisorder === 'sort' ? 'strict' : 'pass';
      // Hosts are noted as read, before the merge, so a sibling is known when a hostless record needs it.
      const raw = hints.watch(
        readSource(input, { format: o.format, onProblem, onBytes, chunkSize }, stats[i]),
      );
      return ordered(
        raw,
        timeStages,
        keep,
        { input: i, lateness: o.lateness, window, mode },
        orderStats,
        summary.spill,
      );
    });
    try {
      for await (const batch of mergeSorted(sources)) {
        for (let i = 0; i < batch.length; i++) {
          const ev = batch[i];
          for (const s of hostStages) s.apply(ev);
          if (Number.isFinite(ev.time)) {
            if (minTime === undefined || ev.time < minTime) minTime = ev.time;
            if (maxTime === undefined || ev.time > maxTime) maxTime = ev.time;
          }
        }
        await consume(batch);
      }
    } catch (e) {
      if (!(e instanceof Disorder)) throw e;
      const name = inputs[e.input].name;
      summary.problems++;
      o.onProblem({
        file: name,
        format: e.event.src.format,
        line: e.event.src.line,
        offset: e.event.src.offset,
        message: `not in time order (${e.message}); sorting it on disk and reading the inputs again, nothing is dropped`,
      });
      toSort.add(e.input);
      summary.sorted.push(name);
      // A second input out of order: sort every input rather than start over once per input.
      if (summary.sorted.length >= 2) for (let i = 0; i < inputs.length; i++) toSort.add(i);
      continue;
    }
    summary.inputs = stats;
    summary.events = stats.reduce((n, s) => n + s.events, 0);
    summary.future = future;
    summary.outOfOrder = orderStats.outOfOrder;
    summary.maxHeld = orderStats.maxHeld;
    summary.hosts = hints.notes();
    summary.minTime = minTime;
    summary.maxTime = maxTime;
    return summary;
  }
}

// ---- the live side: watch and serve ------------------------------------------------------

export interface LiveIntakeOptions {
  format?: string;
  defaultHost?: string;
  stages?: () => EventStage[];
  /** The wall clock for the future check (tests fix it). */
  now?: () => number;
  /**
   * Every event that passed the stages and the quarantine, in arrival order (a hostless record
   * waiting for a sibling to name its host comes when that is known).
   */
  onEvent(ev: RatEvent): void;
  onProblem(p: Problem): void;
  /** An input's hostless records were given a host, or none, and why (at the first such record). */
  onHost?(note: HostNote): void;
}

/** One live byte stream (a followed file, stdin, one request body) through the shared stages. */
export interface LiveFeed {
  write(chunk: Buffer): void;
  /**
   * The stream ended. `lastLineComplete`: its unfinished last line is a complete line (stdin, a
   * request body); otherwise it is left unread (a followed file may still be writing it).
   */
  end(lastLineComplete: boolean): void;
  /**
   * The bytes start over (a rotated file's successor, a truncated file). The unfinished last line
   * is read as complete when the old file ended cleanly (rotation), else forgotten.
   */
  restart(lastLineComplete: boolean): void;
  /** Bytes of the unfinished last line. */
  pending(): number;
  format(): string | undefined;
  failed(): string | undefined;
  counts(): { events: number; problems: number; ignored: number; future: number };
}

export interface LiveIntake {
  open(name: string, format?: string): LiveFeed;
  /** Events quarantined for being dated in the future, over all feeds. */
  future(): number;
  /**
   * Stops waiting for silent siblings: hostless records held for one get their host now (call
   * it when the inputs go quiet and before the end).
   */
  settle(): void;
  /** Inputs whose records named no host: which host they were given and why, or why none. */
  hosts(): HostNote[];
}

/**
 * Hostless records held, over all feeds, while a sibling that may name their host has not been
 * read: a sibling that stays silent cannot make the intake hold without bound.
 */
export const MAX_WAITING_HOSTLESS = 10_000;

export function createLiveIntake(o: LiveIntakeOptions): LiveIntake {
  const hints = new HostHints(o.defaultHost, o.onHost);
  const stages = o.stages?.() ?? [];
  const fallback = fallbackHost(hints);
  const timeStages = stages.filter((s) => s.phase === 'time');
  const hostStages = stages.filter((s) => s.phase === 'host');
  const clock = o.now ?? Date.now;
  let future = 0;
  // Hostless records whose host may still come from a sibling not read yet, in arrival order.
  let waiting: RatEvent[] = [];
  const release = () => {
    const still: RatEvent[] = [];
    for (const ev of waiting) {
      if (!hints.canDecide(ev.src.file)) still.push(ev);
      else {
        fallback.apply(ev);
        o.onEvent(ev);
      }
    }
    waiting = still;
  };
  const deliver = (ev: RatEvent) => {
    for (const s of hostStages) s.apply(ev);
    if (!ev.host && !hints.canDecide(ev.src.file)) {
      waiting.push(ev);
      if (waiting.length > MAX_WAITING_HOSTLESS) {
        hints.settle();
        release();
      }
      return;
    }
    fallback.apply(ev);
    o.onEvent(ev);
  };
  return {
    future: () => future,
    settle() {
      hints.settle();
      release();
    },
    hosts: () => hints.notes(),
    open(name, format = o.format) {
      hints.expect(name);
      let mine = 0;
      // The clock is read once per chunk, not per event.
      let keep: (ev: RatEvent) => boolean = () => true;
      const onFuture = (ev: RatEvent) => {
        future++;
        mine++;
        o.onProblem({ file: name, format: ev.src.format, line: ev.src.line, message: futureMessage(ev) });
      };
      const source = createLineSource({
        name,
        format,
        onProblem: o.onProblem,
        onEvent(ev) {
          // A feed's first record, or a host new for it, may settle a sibling's waiting records.
          const first = hints.begun(name);
          const named = !!ev.host && ev.platform !== 'network' && hints.observe(name, ev.host);
          if (waiting.length && (first || named)) release();
          for (const s of timeStages) s.apply(ev);
          if (!keep(ev)) return;
          deliver(ev);
        },
      });
      let lineBase = 0;
      const splitter = createLineSplitter({
        maxLineBytes: MAX_LINE_BYTES,
        line: (text, n) => source.line(text, lineBase + n),
        skip: (bytes, start, end, n) => source.skip(bytes, start, end, lineBase + n),
        tooLong: (n) =>
          o.onProblem({
            file: name,
            format: source.format() ?? '?',
            line: lineBase + n,
            message: `line longer than ${MAX_LINE_BYTES} bytes; skipped`,
          }),
      });
      return {
        write(chunk) {
          keep = futureCheck(clock(), onFuture);
          splitter.write(chunk);
        },
        end(lastLineComplete) {
          if (lastLineComplete) splitter.end();
          source.end();
        },
        restart(lastLineComplete) {
          if (lastLineComplete) splitter.end();
          splitter.reset();
          lineBase = 0;
        },
        pending: () => splitter.pending(),
        format: () => source.format(),
        failed: () => source.failed(),
        counts: () => ({ ...source.counts(), future: mine }),
      };
    },
  };
}
