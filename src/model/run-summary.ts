// What a run read and held, beside its findings: the pipeline's counts (inputs, problems, order,
// hosts given to hostless records) and the engine's (live and peak state, evictions). The
// terminal report, the HTML report and the live modes' logs show it; sinks read only this type.
import type { EngineStats } from '../engine/context.ts';
import type { PipelineSummary } from '../ingest/pipeline.ts';

export interface RunSummary extends Omit<PipelineSummary, 'events'> {
  problems: number;
  events: number;
  /** Events dropped for arriving too late: always 0 offline (kept for the live modes' reports). */
  late: number;
  engine: EngineStats;
  bytes: number;
  seconds: number;
}
