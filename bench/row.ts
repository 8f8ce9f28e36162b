// One line of the benchmark table. Every benchmark compares itself with a baseline measured in
// the same run on the same data, because the machines are shared and noisy.
export interface BenchRow {
  /** What was measured ("hunt winlogbeat NDJSON", "evtx reader"). */
  name: string;
  /** Size of the input. */
  bytes?: number;
  events?: number;
  seconds: number;
  /** The baseline's name and time on the same input. */
  baseline?: string;
  baselineSeconds?: number;
  /** Throughput relative to the baseline (>1 = faster than the baseline). */
  ratio?: number;
  /** Peak resident set size in bytes, where measured. */
  peakRss?: number;
  /** Free-form extra figures (p50/p99 latency, RSS at 10x, state size). */
  extra?: Record<string, number | string>;
}

/** A benchmark module: bench/<name>.bench.ts with a default export of this type. */
export type Benchmark = (opts: { scale: number; workDir: string }) => Promise<BenchRow[]>;
