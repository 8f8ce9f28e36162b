// The offline hunt: the one pipeline (src/ingest/pipeline.ts: inputs → readers → exact time
// order → host hints) → engine → findings, plus the run summary the terminal report shows.
// Tests drive this directly; the CLI only wires it up.
import type { Catalog } from './catalog/types.ts';
import type { Config } from './config/schema.ts';
import { createEngine, type EngineStats } from './engine/engine.ts';
import { InputError } from './ingest/input-error.ts';
import type { Input } from './ingest/open.ts';
import { type EventStage, type PipelineSummary, runPipeline } from './ingest/pipeline.ts';
import type { Problem } from './ingest/reader.ts';
import type { RatEvent } from './model/event.ts';
import type { Finding } from './model/finding.ts';

export interface RunSummary extends Omit<PipelineSummary, 'events'> {
  problems: number;
  events: number;
  /** Events dropped for arriving too late: always 0 offline (kept for the live modes' reports). */
  late: number;
  engine: EngineStats;
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
   * Host name for events whose sensor names none (eslogger). Without it, a file named
   * <host>.eslogger.ndjson gives its host.
   */
  defaultHost?: string;
  /** Extra pipeline stages (time correction, host resolution); see src/ingest/pipeline.ts. */
  stages?: () => EventStage[];
  /** The wall clock for the future-dated check (tests fix it). */
  now?: number;
  onProblem?(p: Problem): void;
  onBytes?(n: number): void;
  onFinding?(f: Finding): void;
  /** Test hook: called with every event the engine sees, in order (again from the start when a pass starts over). */
  onEvent?(e: RatEvent): void;
  /** A pass starts over (an input had to be sorted): what onEvent and onFinding said so far is void. */
  onRestart?(): void;
}

export async function hunt(opts: HuntOptions): Promise<{ findings: Finding[]; summary: RunSummary }> {
  const started = performance.now();
  let engine: ReturnType<typeof createEngine> | undefined;
  const pipe = await runPipeline(
    {
      paths: opts.paths,
      inputs: opts.inputs,
      format: opts.format,
      defaultHost: opts.defaultHost,
      lateness: opts.config.Lateness,
      onDisorder: 'sort',
      stages: opts.stages,
      now: opts.now,
      onProblem: (p) => opts.onProblem?.(p),
      onBytes: opts.onBytes,
    },
    () => {
      if (engine) opts.onRestart?.();
      const e = createEngine(opts.config, opts.catalog, { onFinding: opts.onFinding });
      engine = e;
      return (batch) => {
        for (let i = 0; i < batch.length; i++) {
          const ev = batch[i];
          opts.onEvent?.(ev);
          try {
            e.push(ev);
          } catch (err) {
            throw InputError.at(ev.src, err, 'the engine failed on the event');
          }
        }
      };
    },
  );
  const findings = engine!.finish();
  return {
    findings,
    summary: {
      ...pipe,
      late: 0,
      engine: engine!.stats(),
      bytes: pipe.inputs.reduce((n, s) => n + s.bytes, 0),
      seconds: (performance.now() - started) / 1000,
    },
  };
}
