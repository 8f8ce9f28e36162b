// Reads one input end to end: sniffs its format from the first bytes (unless told), feeds its
// bytes or lines to the format's decoder, and yields the events in batches, one per chunk read.
// Problems are collected with file and position; a bad input ends as a problem, never a throw.
import type { EventKind, RatEvent } from '../model/event.ts';
import { FORMATS, formatById } from './formats.ts';
import { InputError } from './input-error.ts';
import { createLineSplitter } from './line-splitter.ts';
import { type Input, InputBound, openBytes } from './open.ts';
import type { ChunkDecoder, DecodeContext, Format, Problem } from './reader.ts';

/** Longest line accepted; longer ones are reported and skipped, never buffered whole. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
/** A decoder says a few things about a whole input, never one per record. */
const MAX_NOTES_PER_INPUT = 8;

export interface SourceStats {
  input: string;
  format?: string;
  bytes: number;
  lines: number;
  events: number;
  byKind: Partial<Record<EventKind, number>>;
  ignored: number;
  problems: number;
  /** Lines about the input as a whole for the run summary (DecodeContext.note). */
  notes?: string[];
  minTime?: number;
  maxTime?: number;
}

export interface SourceOptions {
  /** Format id forced by the user; sniffed when absent. */
  format?: string;
  /** Receives every problem (already counted in stats). */
  onProblem(p: Problem): void;
  /** Bytes read so far, for progress display. */
  onBytes?(n: number): void;
  /** Read size; smaller when many inputs are open at once (default 1 MiB). */
  chunkSize?: number;
}

/**
 * A hunt keeps every input open for the time-ordered merge, each holding about one read chunk:
 * the chunk shrinks as inputs grow so the total stays near 64 MiB (64 KiB at the least).
 */
export function chunkSizeFor(inputs: number): number {
  return Math.max(64 * 1024, Math.min(1 << 20, Math.floor((64 << 20) / Math.max(1, inputs))));
}

export function sniffFormat(head: Buffer): { format?: Format; score: number } {
  for (const f of FORMATS) if (f.magic?.(head)) return { format: f, score: 1 };
  const text = decodeHead(head);
  let best: Format | undefined;
  let score = 0;
  for (const f of FORMATS) {
    let s = 0;
    try {
      s = f.sniff(head, text);
    } catch {
      s = 0;
    }
    if (s > score) {
      score = s;
      best = f;
    }
  }
  return { format: best, score };
}

function isUtf16(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0xff && head[1] === 0xfe;
}

function decodeHead(head: Buffer): string {
  const s = isUtf16(head) ? head.subarray(2).toString('utf16le') : head.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Yields batches of events from one input. Stats are filled in as it goes. */
export async function* readSource(
  input: Input,
  opts: SourceOptions,
  stats: SourceStats,
): AsyncGenerator<RatEvent[]> {
  let batch: RatEvent[] = [];
  let format: Format | undefined;
  const ctx: DecodeContext = {
    file: input.name,
    problem(message, pos) {
      stats.problems++;
      opts.onProblem({ file: input.name, format: format?.id ?? '?', message, ...pos });
    },
    emit(ev) {
      stats.events++;
      stats.byKind[ev.kind] = (stats.byKind[ev.kind] ?? 0) + 1;
      if (stats.minTime === undefined || ev.time < stats.minTime) stats.minTime = ev.time;
      if (stats.maxTime === undefined || ev.time > stats.maxTime) stats.maxTime = ev.time;
      batch.push(ev);
    },
    ignored(n = 1) {
      stats.ignored += n;
    },
    note(message) {
      stats.notes ??= [];
      if (stats.notes.length < MAX_NOTES_PER_INPUT) stats.notes.push(message);
    },
  };

  // Line splitters keep no chunk once they ask for the next (they copy what they carry over), so
  // from then on the file may be read into the same memory each time; binary decoders may keep.
  let recyclable = false;
  let bytes: AsyncGenerator<Buffer>;
  try {
    bytes = openBytes(input, opts.chunkSize, undefined, () => recyclable);
  } catch (e) {
    ctx.problem(`cannot open: ${(e as Error).message}`, {});
    return;
  }

  try {
    // Collect the head for sniffing.
    const headParts: Buffer[] = [];
    let headLen = 0;
    let ended = false;
    try {
      while (headLen < SNIFF_BYTES) {
        const r = await bytes.next();
        if (r.done) {
          ended = true;
          break;
        }
        headParts.push(r.value);
        headLen += r.value.length;
      }
    } catch (e) {
      ctx.problem(e instanceof InputBound ? e.message : `cannot read: ${(e as Error).message}`, {
        offset: headLen,
      });
      return;
    }
    const head = Buffer.concat(headParts);
    if (head.length === 0) {
      return; // An empty file holds no events; not a problem.
    }
    if (opts.format) {
      format = formatById(opts.format);
      if (!format) {
        ctx.problem(`unknown format "${opts.format}"`, {});
        return;
      }
    } else {
      const s = sniffFormat(head.subarray(0, SNIFF_BYTES));
      if (!s.format || s.score < 0.5) {
        const binary = head.subarray(0, 512).some((b) => b === 0);
        ctx.problem(
          binary
            ? 'binary content of no known format (not EVTX, not gzip); skipped'
            : 'format not recognised (use --format to name it); skipped',
          { offset: 0 },
        );
        return;
      }
      format = s.format;
    }
    stats.format = format.id;

    const decoder = format.decoder(ctx);
    let lineNo = 0;
    // A reader that throws is a bug, not bad input: it stops the run with the file and position.
    const splitter =
      decoder.mode === 'lines'
        ? createLineSplitter({
            maxLineBytes: MAX_LINE_BYTES,
            encoding: isUtf16(head) ? 'utf16le' : 'utf8',
            line(text, n) {
              lineNo = n;
              try {
                decoder.line(text, n);
              } catch (e) {
                throw new InputError(input.name, { line: n }, `the ${format!.id} reader failed`, e);
              }
            },
            tooLong: (n) => ctx.problem(`line longer than ${MAX_LINE_BYTES} bytes; skipped`, { line: n }),
            skip: decoder.skip?.bind(decoder),
          })
        : undefined;
    recyclable = splitter !== undefined;

    const feed = (chunk: Buffer) => {
      stats.bytes += chunk.length;
      opts.onBytes?.(chunk.length);
      if (splitter) splitter.write(chunk);
      else {
        try {
          (decoder as ChunkDecoder).write(chunk);
        } catch (e) {
          throw InputError.at(
            { file: input.name, offset: stats.bytes - chunk.length },
            e,
            `the ${format!.id} reader failed`,
          );
        }
      }
    };

    /** Feeds a read chunk piece by piece (BATCH_BYTES), handing on each piece's events. */
    function* fed(chunk: Buffer): Generator<RatEvent[]> {
      for (const piece of batchPieces(chunk, splitter !== undefined)) {
        feed(piece);
        if (batch.length) {
          yield batch;
          batch = [];
        }
      }
    }

    // The first batch stays whole: the merge reads every input's first batch before it releases
    // a record, and host hints (host-hint.ts) judge an input's siblings on what that batch holds.
    for (const part of headParts) feed(part);
    if (batch.length) {
      yield batch;
      batch = [];
    }
    if (!ended) {
      for (;;) {
        let r: IteratorResult<Buffer>;
        try {
          r = await bytes.next();
        } catch (e) {
          const m = (e as Error).message;
          ctx.problem(e instanceof InputBound ? m : `read failed: ${m}; the rest of the input is skipped`, {
            offset: stats.bytes,
          });
          break;
        }
        if (r.done) break;
        yield* fed(r.value);
      }
    }
    splitter?.end();
    try {
      decoder.end();
    } catch (e) {
      throw InputError.at(
        { file: input.name, line: splitter ? lineNo : undefined, offset: splitter ? undefined : stats.bytes },
        e,
        `the ${format.id} reader failed at the end of the input`,
      );
    }
    stats.lines = splitter?.lines() ?? 0;
    if (batch.length) yield batch;
  } finally {
    await bytes.return(undefined);
  }
}

/**
 * Line input is decoded and handed on in pieces of about this much, not a read chunk (1 MiB) at
 * once. A batch's events and parsed records live until the engine has used the whole batch; a
 * megabyte's worth outlives two scavenges of a small young generation, so V8 promotes it and old
 * space fills with dead events until a mark-compact: the 320 MB Winlogbeat hunt with 4 MiB
 * semi-spaces promoted 52.6 MB in 1 MiB batches and 6.8 MB in 64 KiB ones (peak RSS 111 against
 * 77 MB). Feeding the splitter in pieces costs no copy: they end after a newline.
 */
const BATCH_BYTES = 64 * 1024;

/** `chunk` cut after a newline about every BATCH_BYTES (line input), else whole. */
function* batchPieces(chunk: Buffer, lines: boolean): Generator<Buffer> {
  let from = 0;
  if (lines)
    while (chunk.length - from > BATCH_BYTES) {
      const nl = chunk.lastIndexOf(10, from + BATCH_BYTES - 1);
      // No newline in the piece (a long line): cut anywhere, the splitter carries the part.
      const to = nl >= from ? nl + 1 : from + BATCH_BYTES;
      yield chunk.subarray(from, to);
      from = to;
    }
  yield from === 0 ? chunk : chunk.subarray(from);
}

export function newStats(input: string): SourceStats {
  return { input, bytes: 0, lines: 0, events: 0, byKind: {}, ignored: 0, problems: 0 };
}
