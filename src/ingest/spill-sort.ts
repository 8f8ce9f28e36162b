// Sorts one input's events by time with bounded memory: events are gathered in runs of
// RUN_EVENTS, each run is sorted (stable) and, when more than one is needed, written to a
// temporary file as NDJSON; the runs are then merged back by (time, run), which keeps arrival
// order for equal times. The temporary directory is removed when the stream ends, is abandoned,
// or fails. This is what makes an offline hunt exact on an export that is not in time order.
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RatEvent } from '../model/event.ts';
import { mergeSorted } from './merge.ts';

/** Events sorted in memory at once; about 100 MB of events at the most. */
export const RUN_EVENTS = 100_000;

export interface SpillStats {
  runs: number;
  bytes: number;
}

const byTime = (a: RatEvent, b: RatEvent) => a.time - b.time;

async function* readRun(path: string): AsyncGenerator<RatEvent[]> {
  let carry = '';
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() ?? '';
    yield lines.map((l) => JSON.parse(l) as RatEvent);
  }
  if (carry) yield [JSON.parse(carry) as RatEvent];
}

function writeRun(path: string, run: RatEvent[], stats: SpillStats): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < run.length; i += 1024) {
      let text = '';
      for (let j = i; j < Math.min(run.length, i + 1024); j++) text += `${JSON.stringify(run[j])}\n`;
      const b = Buffer.from(text);
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off);
      stats.bytes += b.length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Yields the events of `source` in stable time order. */
export async function* sortOnDisk(
  source: AsyncIterable<RatEvent[]>,
  stats: SpillStats,
  runEvents = RUN_EVENTS,
): AsyncGenerator<RatEvent[]> {
  let dir: string | undefined;
  const files: string[] = [];
  let run: RatEvent[] = [];
  try {
    for await (const batch of source) {
      for (let i = 0; i < batch.length; i++) run.push(batch[i]);
      if (run.length >= runEvents) {
        run.sort(byTime);
        dir ??= mkdtempSync(join(tmpdir(), 'ratchain-sort-'));
        const path = join(dir, `run-${files.length}.ndjson`);
        writeRun(path, run, stats);
        files.push(path);
        stats.runs++;
        run = [];
      }
    }
    run.sort(byTime);
    if (files.length === 0) {
      for (let i = 0; i < run.length; i += 4096) yield run.slice(i, i + 4096);
      return;
    }
    stats.runs++;
    const last = run;
    run = [];
    const tail = (async function* () {
      for (let i = 0; i < last.length; i += 4096) yield last.slice(i, i + 4096);
    })();
    yield* mergeSorted([...files.map(readRun), tail]);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
