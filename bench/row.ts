// One line of the benchmark table. Every row times whole processes (the CLI as a user runs it)
// against a baseline process measured in the same run on the same input, because the machines
// are shared and noisy, and states the goal it is held to.
export interface BenchRow {
  /** What was measured ("hunt 110 MB EVTX"). */
  name: string;
  /** Size of the input. */
  bytes?: number;
  events?: number;
  /** The subject's median wall seconds. */
  seconds: number;
  /** The subject's median CPU (user + sys) seconds. */
  cpuSeconds?: number;
  /** The baseline's name and median wall seconds on the same input. */
  baseline?: string;
  baselineSeconds?: number;
  /** The figure the goal is about, as printed ("0.52x baseline time", "31.2 MB/s"). */
  figure?: string;
  /** The goal, as the issue states it ("<= 0.67x baseline time"). */
  goal?: string;
  /** Whether the figure meets the goal; undefined when it could not be measured. */
  met?: boolean;
  /** Peak resident set size in bytes of the subject process. */
  peakRss?: number;
  /** Free-form extra figures (p50 latency, RSS at 1x, why a row was skipped). */
  extra?: Record<string, number | string>;
}

/** A benchmark module: bench/<name>.bench.ts with a default export of this type. */
export type Benchmark = (opts: { scale: number; workDir: string }) => Promise<BenchRow[]>;

/** A row that could not be measured here (no nats-server, no data): it says why. */
export function skippedRow(name: string, goal: string, why: string): BenchRow {
  return { name, seconds: 0, goal, extra: { skipped: why } };
}
