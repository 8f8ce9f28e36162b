// The offline hunt: the one pipeline (src/ingest/pipeline.ts: inputs → readers → exact time
// order → host hints) → engine → findings, plus the run summary the terminal report shows.
// Tests drive this directly; the CLI only wires it up. `huntEach` runs several engines over
// one pass of the same events (ratchain diff: one hunt per config).
import type { Catalog } from './catalog/types.ts';
import type { Config } from './config/schema.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import { InputError } from './ingest/input-error.ts';
import type { Input } from './ingest/open.ts';
import { type EventStage, runPipeline } from './ingest/pipeline.ts';
import type { Problem } from './ingest/reader.ts';
import type { RatEvent } from './model/event.ts';
import type { Finding } from './model/finding.ts';
import type { RunSummary } from './model/run-summary.ts';

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

/** One engine's settings in `huntEach`. */
export interface HuntSide {
  config: Config;
  catalog: Catalog;
}

export async function hunt(opts: HuntOptions): Promise<{ findings: Finding[]; summary: RunSummary }> {
  const [one] = await huntEach(opts, [opts]);
  return one;
}

/**
 * The events read once, in one pass, and given to one engine per side: each side's findings and
 * summary (the same inputs and counts; each its own engine stats). `opts.onFinding` hears the
 * first side only. The pipeline waits for the longest Lateness of the sides.
 */
export async function huntEach(
  opts: Omit<HuntOptions, 'config' | 'catalog'>,
  sides: HuntSide[],
): Promise<Array<{ findings: Finding[]; summary: RunSummary }>> {
  const started = performance.now();
  let engines: Engine[] | undefined;
  const pipe = await runPipeline(
    {
      paths: opts.paths,
      inputs: opts.inputs,
      format: opts.format,
      defaultHost: opts.defaultHost,
      lateness: Math.max(...sides.map((s) => s.config.Lateness)),
      onDisorder: 'sort',
      stages: opts.stages,
      now: opts.now,
      onProblem: (p) => opts.onProblem?.(p),
      onBytes: opts.onBytes,
    },
    () => {
      if (engines) opts.onRestart?.();
      const es = sides.map((s, i) =>
        createEngine(s.config, s.catalog, i === 0 ? { onFinding: opts.onFinding } : {}),
      );
      engines = es;
      return (batch) => {
        for (let i = 0; i < batch.length; i++) {
          const ev = batch[i];
          opts.onEvent?.(ev);
          try {
            for (const e of es) e.push(ev);
          } catch (err) {
            throw InputError.at(ev.src, err, 'the engine failed on the event');
          }
        }
      };
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const bytes = pipe.inputs.reduce((n, s) => n + s.bytes, 0);
  return engines!.map((e) => ({
    findings: e.finish(),
    summary: { ...pipe, late: 0, engine: e.stats(), bytes, seconds },
  }));
}
