// Every output ratchain writes, registered once, so hunt, watch, serve and worker open them the
// same way. Stream outputs (NDJSON, OCSF, ECS, timeline) write each finding as it comes (in the
// live modes each revision, appended, one whole line per write so a reader never sees half a
// record); document outputs (Navigator layer, HTML report) keep the latest revision of each
// finding and are written when the run ends. "-" is stdout. A file that cannot be opened or
// written ends the run with a RunError naming it (exit 3).
import { closeSync, fstatSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { readRawRecords } from '../ingest/raw-record.ts';
import type { Finding } from '../model/finding.ts';
import { RunError } from '../model/run-error.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { toEcs } from './ecs.ts';
import { renderHtml } from './html/report.ts';
import { navigatorLayer } from './navigator.ts';
import { findingLine } from './ndjson.ts';
import { toOcsf } from './ocsf.ts';
import { checkRequests, type SinkId, type SinkRequest } from './sink-flags.ts';
import { renderReport } from './terminal.ts';
import {
  type TimelineFormat,
  timelineFormatOf,
  timelineHeader,
  timelineLine,
  timelineRows,
} from './timeline.ts';

export interface SinkContext {
  /** hunt writes each file afresh; the live modes append to what is there. */
  live: boolean;
  stdout: { write(chunk: string): unknown };
  /** The clock for ECS event.created; tests pass a fixed one. */
  now?: () => Date;
  /** How the terminal report is drawn: colour, and the width lines wrap at. */
  terminal?: { color: boolean; width: number };
}

export interface Output {
  write(f: Finding): void;
  /** Writes what is held (documents) and releases the file. */
  close(summary?: RunSummary): void;
}

type OpenSink = (path: string, ctx: SinkContext) => Output;

function failed(path: string, e: unknown): RunError {
  return new RunError('output', `cannot write: ${(e as Error).message}`, { file: path }, { cause: e });
}

/** Whole lines to a file (truncated in hunt, appended in live modes) or to stdout. */
function lineWriter(
  path: string,
  ctx: SinkContext,
): { write(text: string): void; close(): void; fresh: boolean } {
  if (path === '-') return { write: (t) => void ctx.stdout.write(t), close: () => {}, fresh: true };
  let fd: number;
  let fresh: boolean;
  try {
    fd = openSync(path, ctx.live ? 'a' : 'w');
    fresh = !ctx.live || fstatSync(fd).size === 0;
  } catch (e) {
    throw failed(path, e);
  }
  return {
    fresh,
    write(text) {
      const b = Buffer.from(text);
      let off = 0;
      try {
        while (off < b.length) off += writeSync(fd, b, off);
      } catch (e) {
        throw failed(path, e);
      }
    },
    close: () => closeSync(fd),
  };
}

function lineSink(render: (f: Finding, ctx: SinkContext) => string) {
  return (path: string, ctx: SinkContext): Output => {
    const w = lineWriter(path, ctx);
    return { write: (f) => w.write(render(f, ctx)), close: () => w.close() };
  };
}

/**
 * Timeline rows: in hunt all rows are sorted by time when the run ends; live, each revision adds
 * the rows of records not written before (a record's row never repeats).
 */
function openTimeline(path: string, ctx: SinkContext): Output {
  const format: TimelineFormat = timelineFormatOf(path) ?? 'csv';
  const w = lineWriter(path, ctx);
  if (w.fresh || !ctx.live) w.write(timelineHeader(format));
  const written = new Set<string>();
  const held: ReturnType<typeof timelineRows> = [];
  return {
    write(f) {
      for (const r of timelineRows(f)) {
        const key = `${r.finding_id}\n${r.step}\n${r.source_file}\n${r.source_line ?? r.source_offset}\n${r.timestamp}`;
        if (written.has(key)) continue;
        written.add(key);
        if (ctx.live) w.write(timelineLine(r, format));
        else held.push(r);
      }
    },
    close() {
      held.sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
      for (const r of held) w.write(timelineLine(r, format));
      w.close();
    },
  };
}

/** A whole document from the latest revision of every finding, written at close. */
function documentSink(render: (findings: Finding[], summary?: RunSummary) => string) {
  return (path: string, ctx: SinkContext): Output => {
    const latest = new Map<string, Finding>();
    if (path !== '-') lineWriter(path, { ...ctx, live: false }).close(); // fail now, not at the end
    return {
      write(f) {
        const prev = latest.get(f.id);
        if (!prev || f.revision >= prev.revision) latest.set(f.id, f);
      },
      close(summary) {
        const text = render([...latest.values()], summary);
        if (path === '-') ctx.stdout.write(text);
        else
          try {
            writeFileSync(path, text);
          } catch (e) {
            throw failed(path, e);
          }
      },
    };
  };
}

/** How each output is opened; what it is called and whether it streams: sink-flags.ts. */
export const SINKS: Record<SinkId, OpenSink> = {
  ndjson: lineSink((f) => findingLine(f)),
  ocsf: lineSink((f) => `${JSON.stringify(toOcsf(f))}\n`),
  ecs: lineSink((f, ctx) => `${JSON.stringify(toEcs(f, { now: ctx.now?.() }))}\n`),
  timeline: openTimeline,
  navigator: documentSink((fs) => `${JSON.stringify(navigatorLayer(fs), null, 2)}\n`),
  html: documentSink((fs, summary) =>
    renderHtml(fs, summary, {
      raw: readRawRecords(fs.flatMap((f) => f.steps.flatMap((s) => s.evidence.map((e) => e.src)))),
    }),
  ),
  terminal: (path, ctx) =>
    documentSink(
      (fs, summary) => `${renderReport(fs, summary, ctx.terminal ?? { color: false, width: 80 })}\n`,
    )(path, ctx),
};

export interface Outputs {
  write(f: Finding): void;
  close(summary?: RunSummary): void;
}

/** Opens every requested output (a file that cannot be created fails here, before any work). */
export function openOutputs(requests: readonly SinkRequest[], ctx: SinkContext): Outputs {
  checkRequests(requests);
  const opened: Output[] = [];
  try {
    for (const r of requests) opened.push(SINKS[r.sink](r.path, ctx));
  } catch (e) {
    for (const o of opened) o.close();
    throw e;
  }
  return {
    write: (f) => {
      for (const o of opened) o.write(f);
    },
    close: (summary) => {
      for (const o of opened) o.close(summary);
    },
  };
}
