// The offline hunt: the one pipeline (src/ingest/pipeline.ts: inputs → readers → exact time
// order → host hints) → engine → findings, plus the run summary the terminal report shows.
// Tests drive this directly; the CLI only wires it up. `huntEach` runs several engines over
// one pass of the same events (ratchain diff: one hunt per config).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
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
  // process.hrtime, not performance.now: the first use of `performance` loads perf_hooks (2 ms).
  const started = process.hrtime.bigint();
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
      let batches = 0;
      return (batch) => {
        if (++batches % YOUNG_CHECK_BATCHES === 0) holdYoungGeneration();
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytes = pipe.inputs.reduce((n, s) => n + s.bytes, 0);
  return engines!.map((e) => ({
    findings: e.finish(),
    summary: { ...pipe, late: 0, engine: e.stats(), bytes, seconds },
  }));
}

/**
 * The young generation a hunt lets V8 grow to: two semi-spaces of 4 MiB. V8 doubles them, up to
 * 16 MiB each, whenever as many bytes have survived scavenges since it last grew, which a long
 * hunt reaches however little it keeps: the 320 MB Winlogbeat hunt (500 hosts, at most 2 held)
 * peaked at 99 MB RSS against 73 MB for 20 MB of the same hosts, the difference its 32 MiB young
 * generation. Held at 8 MiB it peaks at 78 MB, at 0.98x the CPU (more scavenges, each copying
 * as little as before); the 110 MB EVTX hunt (20,000 processes held) keeps its CPU (0.98x).
 * The size is only read at start-up (--max-semi-space-size; a re-exec would cost every start);
 * the growth factor is read each time V8 grows the space, so setting it to 1 once the space is
 * this size keeps it there. The flag is the process's: it never shrinks the space, only stops
 * it growing. A semi-space size given on the command line is left to do what it says.
 */
const YOUNG_GENERATION_BYTES = 8 << 20;
/** Batches (64 KiB of input each) between looks: V8 grows the space at most every few scavenges. */
const YOUNG_CHECK_BATCHES = 16;
const semiSpaceGiven = () =>
  [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('semi-space'));
let youngHeld = false;

function holdYoungGeneration(): void {
  if (youngHeld) return;
  if (semiSpaceGiven()) {
    youngHeld = true;
    return;
  }
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_GENERATION_BYTES) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  youngHeld = true;
}
