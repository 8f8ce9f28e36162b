// The offline hunt: inputs → readers → time-ordered merge → engine → findings, plus the run
// summary the terminal report shows. Tests drive this directly; the CLI only wires it up.
import type { Catalog } from './catalog/types.ts';
import type { Config } from './config/schema.ts';
import { createEngine, type EngineStats } from './engine/engine.ts';
import { HostHints, type HostNote } from './ingest/host-hint.ts';
import { mergeByTime } from './ingest/merge.ts';
import { expandInputs, type Input } from './ingest/open.ts';
import type { Problem } from './ingest/reader.ts';
import { chunkSizeFor, newStats, readSource, type SourceStats } from './ingest/source.ts';
import type { RatEvent } from './model/event.ts';
import type { Finding } from './model/finding.ts';

export interface RunSummary {
  inputs: SourceStats[];
  /** Problems of the input list itself (missing files, empty globs). */
  inputProblems: Array<{ file: string; message: string }>;
  problems: number;
  events: number;
  late: number;
  engine: EngineStats;
  /** Inputs whose records named no host: which host they were given and why, or why none. */
  hosts: HostNote[];
  minTime?: number;
  maxTime?: number;
  bytes: number;
  seconds: number;
}

export interface HuntOptions {
  /** Paths, directories, globs or "-". */
  paths?: string[];
  /** Already expanded inputs (tests, serve). */
  inputs?: Input[];
  config: Config;
  catalog: Catalog;
  format?: string;
  /**
   * Host name for events whose sensor names none (eslogger, auditd without node=). Without it,
   * the file name (<host>.audit.log) or the other inputs of the same directory give it
   * (ingest/host-hint.ts).
   */
  defaultHost?: string;
  onProblem?(p: Problem): void;
  onBytes?(n: number): void;
  onFinding?(f: Finding): void;
  /** Test hook: called with every event the engine sees, in order. */
  onEvent?(e: RatEvent): void;
}

export async function hunt(opts: HuntOptions): Promise<{ findings: Finding[]; summary: RunSummary }> {
  const started = performance.now();
  const expanded = opts.inputs ? { inputs: opts.inputs, problems: [] } : expandInputs(opts.paths ?? []);
  const engine = createEngine(opts.config, opts.catalog, { onFinding: opts.onFinding });
  const stats = expanded.inputs.map((i) => newStats(i.name));
  let problems = 0;
  const onProblem = (p: Problem) => {
    problems++;
    opts.onProblem?.(p);
  };
  const mergeStats = { late: 0, maxBuffered: 0 };
  const chunkSize = chunkSizeFor(expanded.inputs.length);
  const hints = new HostHints(opts.defaultHost);
  const sources = expanded.inputs.map((input, i) =>
    hints.watch(
      readSource(input, { format: opts.format, onProblem, onBytes: opts.onBytes, chunkSize }, stats[i]),
    ),
  );
  for await (const batch of mergeByTime(sources, opts.config.Lateness, mergeStats, (e) =>
    onProblem({
      file: e.src.file,
      format: e.src.format,
      line: e.src.line,
      offset: e.src.offset,
      message: `event at ${new Date(e.time).toISOString()} arrived more than the allowed lateness after later events; dropped`,
    }),
  )) {
    for (const ev of batch) {
      if (!ev.host) ev.host = hints.hostFor(ev.src.file);
      opts.onEvent?.(ev);
      engine.push(ev);
    }
  }
  const findings = engine.finish();
  let minTime: number | undefined;
  let maxTime: number | undefined;
  for (const s of stats) {
    if (s.minTime !== undefined && (minTime === undefined || s.minTime < minTime)) minTime = s.minTime;
    if (s.maxTime !== undefined && (maxTime === undefined || s.maxTime > maxTime)) maxTime = s.maxTime;
  }
  return {
    findings,
    summary: {
      inputs: stats,
      inputProblems: expanded.problems,
      problems: problems + expanded.problems.length,
      events: stats.reduce((n, s) => n + s.events, 0),
      late: mergeStats.late,
      engine: engine.stats(),
      hosts: hints.notes(),
      minTime,
      maxTime,
      bytes: stats.reduce((n, s) => n + s.bytes, 0),
      seconds: (performance.now() - started) / 1000,
    },
  };
}
