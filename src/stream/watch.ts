// `watch`: follows files (appends, rotation, truncation) and stdin, decodes their lines with the
// registered readers through the shared live intake (src/ingest/pipeline.ts), and runs the
// live engine, one lane per host. Event time drives the engine; a short reorder
// window puts the inputs back in order, and when every input has gone quiet for `idleFlushMs`
// the held events are released so findings do not wait for traffic. Stops on the abort signal:
// inputs are closed, held events released, every chain closed, final states emitted.
import { statSync } from 'node:fs';
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import type { HostNote } from '../ingest/host-hint.ts';
import { expandInputs } from '../ingest/open.ts';
import { createLiveIntake, type EventStage, type LiveFeed } from '../ingest/pipeline.ts';
import type { Problem } from '../ingest/reader.ts';
import type { Finding } from '../model/finding.ts';
import { follow } from './follow.ts';
import { createRouter } from './jetstream/partition.ts';
import { createLiveEngine, type FindingKind, type LiveStats } from './live-engine.ts';

export interface WatchOptions {
  /** Files (may not exist yet), directories and globs (expanded once, at start), or "-". */
  inputs: string[];
  config: Config;
  catalog: Catalog;
  format?: string;
  /** Host for events whose sensor names none (--host). */
  defaultHost?: string;
  /** Extra pipeline stages (src/ingest/pipeline.ts). */
  stages?: () => EventStage[];
  /** Event-time reorder window, ms. */
  reorderMs: number;
  /** Release held events after this much wall time without new input, ms. */
  idleFlushMs: number;
  pollMs: number;
  fromEnd?: boolean;
  /** Most events held for reordering. */
  capacity?: number;
  onFinding(f: Finding, kind: FindingKind): void;
  onProblem(p: Problem): void;
  /** An input's records name no host: the host they were given and why, or why none. */
  onHost?(note: HostNote): void;
  /** Aborting stops the watch (SIGINT/SIGTERM in the CLI). */
  signal: AbortSignal;
  /** What "-" reads (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Test hook: called after each batch of input bytes was processed. */
  onProgress?(stats: LiveStats): void;
}

export interface WatchSummary extends LiveStats {
  inputs: Array<{ name: string; format?: string; events: number; problems: number }>;
  problems: number;
  /** Inputs whose records named no host: which host they were given and why, or why none. */
  hosts: HostNote[];
}

interface Feed {
  name: string;
  feed: LiveFeed;
  /** Ended already (a rotated file read to its end). */
  closed?: boolean;
}

/** Paths to follow: existing directories and globs expand to their files; other paths are followed as given. */
function resolveInputs(args: string[], onProblem: (p: Problem) => void): string[] {
  const out: string[] = [];
  for (const a of args) {
    let dir = false;
    try {
      dir = statSync(a).isDirectory();
    } catch {}
    if (a !== '-' && (dir || /[*?[]/.test(a))) {
      const r = expandInputs([a]);
      for (const p of r.problems) onProblem({ file: p.file, format: '?', message: p.message });
      out.push(...r.inputs.map((i) => i.name));
    } else out.push(a);
  }
  return out;
}

export async function watch(o: WatchOptions): Promise<WatchSummary> {
  let problems = 0;
  const onProblem = (p: Problem) => {
    problems++;
    o.onProblem(p);
  };
  const router = createRouter(o.config, 1);
  const live = createLiveEngine({
    config: o.config,
    catalog: o.catalog,
    reorderMs: o.reorderMs,
    laneOf: router.hostKey,
    capacity: o.capacity ?? 200_000,
    onFinding: o.onFinding,
    onLate: (e) =>
      onProblem({
        file: e.src.file,
        format: e.src.format,
        line: e.src.line,
        message: `event at ${new Date(e.time).toISOString()} is more than the allowed lateness behind newer events; dropped`,
      }),
  });

  const names = resolveInputs(o.inputs, onProblem);
  const intake = createLiveIntake({
    format: o.format,
    defaultHost: o.defaultHost,
    stages: o.stages,
    onEvent: (ev) => live.push(ev),
    onProblem,
    onHost: o.onHost,
  });
  const feeds: Feed[] = [];
  const newFeed = (name: string): Feed => {
    const feed = { name, feed: intake.open(name) };
    feeds.push(feed);
    return feed;
  };

  let lastInput = Date.now();
  const touched = () => {
    lastInput = Date.now();
    o.onProgress?.(live.stats());
  };

  // Stops followers when the caller aborts, or when stdin (the only input) ends.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  if (o.signal.aborted) stop.abort();

  const idle = setInterval(
    () => {
      if (Date.now() - lastInput < o.idleFlushMs) return;
      // Quiet inputs: a sibling that has said nothing yet will not name a waiting record's host.
      intake.settle();
      if (live.stats().buffered > 0) {
        live.flush();
        o.onProgress?.(live.stats());
      }
    },
    Math.max(10, Math.min(o.idleFlushMs, 250)),
  );

  const tasks: Array<Promise<void>> = [];
  // Every feed is opened before any is read, so a hostless input knows which siblings to wait for.
  for (const feed of names.map(newFeed)) {
    const name = feed.name;
    if (name === '-') {
      tasks.push(
        readStdin(o.stdin ?? process.stdin, feed, stop.signal, touched).then(() => {
          if (names.length === 1) stop.abort();
        }),
      );
      continue;
    }
    // One feed per file identity: a rotated file and its successor are separate byte streams
    // (the old one may still be written while the new one is read).
    const byFile = new Map<string, Feed>();
    let opened = 0;
    tasks.push(
      follow({
        path: name,
        pollMs: o.pollMs,
        fromEnd: o.fromEnd,
        signal: stop.signal,
        onOpen(file) {
          const f = opened++ === 0 ? feed : newFeed(file.name);
          byFile.set(file.id, f);
          if (opened > 1 && file.name === name)
            onProblem({
              file: name,
              format: f.feed.format() ?? '?',
              message: 'file rotated; reading the new one from its start',
            });
          else if (opened > 1)
            onProblem({
              file: file.name,
              format: '?',
              message: `rotated from ${name} since the last poll; reading it whole`,
            });
        },
        onData(file, chunk) {
          byFile.get(file.id)?.feed.write(chunk);
          touched();
        },
        onTruncate(file) {
          const f = byFile.get(file.id);
          f?.feed.restart(false);
          onProblem({
            file: file.name,
            format: f?.feed.format() ?? '?',
            message: 'file truncated; reading it from the start',
          });
        },
        onClose(file, why) {
          // A rotated file that went idle ended cleanly: its last line is complete.
          const f = byFile.get(file.id);
          byFile.delete(file.id);
          if (why === 'rotated' && f) {
            f.feed.end(true);
            f.closed = true;
          }
        },
        onError: (message) => onProblem({ file: name, format: '?', message }),
      }),
    );
  }

  await Promise.all(tasks);
  clearInterval(idle);
  o.signal.removeEventListener('abort', onAbort);
  // A followed file's unfinished last line may still be being written: it is left unread
  // (reported), never decoded half-way. Stdin has ended, so its last line is complete.
  for (const f of feeds) {
    if (f.closed) continue;
    if (f.name !== '-' && f.feed.pending() > 0)
      onProblem({
        file: f.name,
        format: f.feed.format() ?? '?',
        message: `unfinished last line (${f.feed.pending()} bytes) left unread`,
      });
    f.feed.end(f.name === '-');
  }
  intake.settle();
  live.finish();
  return {
    ...live.stats(),
    problems,
    inputs: feeds.map((f) => ({ name: f.name, format: f.feed.format(), ...f.feed.counts() })),
    hosts: intake.hosts(),
  };
}

async function readStdin(
  stdin: NodeJS.ReadableStream,
  feed: Feed,
  signal: AbortSignal,
  touched: () => void,
): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      signal.removeEventListener('abort', done);
      stdin.pause();
      resolve();
    };
    const onData = (c: Buffer | string) => {
      feed.feed.write(typeof c === 'string' ? Buffer.from(c) : c);
      touched();
    };
    const onEnd = () => done();
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    signal.addEventListener('abort', done, { once: true });
  });
}
