// Whole-process measurement for `npm run bench`: every row times processes from outside (wall,
// user and system CPU, peak RSS, as the kernel accounts them through GNU time), the CLI as a user
// runs it against a baseline process on the same input, alternating the two so that a shared
// machine's drift falls on both alike, and quotes medians and the median of pairwise ratios.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
const TIME = '/usr/bin/time';

export interface Figures {
  wall: number;
  user: number;
  sys: number;
  /** user + sys seconds. */
  cpu: number;
  /** Peak resident set size of the largest process, bytes. */
  maxRss: number;
}

export interface ProcessResult extends Figures {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep stdout (small outputs only); otherwise it goes to /dev/null. */
  capture?: boolean;
  input?: string;
}

/** Why whole-process figures cannot be taken here, or undefined when they can. */
export function unmeasurable(): string | undefined {
  return existsSync(TIME) ? undefined : `${TIME} (GNU time) not installed`;
}

/** The command that runs the CLI as installed: package.json's bin (the build when there is one). */
export function cli(...args: string[]): string[] {
  const override = process.env.BENCH_CLI;
  if (override) return [...override.split(' '), ...args];
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { ratchain: string } };
  return [process.execPath, join(ROOT, pkg.bin.ratchain), ...args];
}

/** What `cli()` runs, for the table's header. */
export function cliDescription(): string {
  return cli()
    .map((p) => p.replace(ROOT, ''))
    .join(' ');
}

/** Runs `cmd` once as its own process and returns its exit code and figures. */
export function runProcess(cmd: string[], o: RunOptions = {}): ProcessResult {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-bench-'));
  const out = join(dir, 'time');
  try {
    const opts: SpawnSyncOptions = {
      cwd: o.cwd ?? ROOT,
      env: o.env ? { ...process.env, ...o.env } : process.env,
      stdio: [o.input === undefined ? 'ignore' : 'pipe', o.capture ? 'pipe' : 'ignore', 'pipe'],
      input: o.input,
      maxBuffer: 64 << 20,
    };
    const r = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', out, ...cmd], opts);
    const [wall, user, sys, kib] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return {
      code: r.status ?? -1,
      stdout: r.stdout?.toString() ?? '',
      stderr: r.stderr?.toString() ?? '',
      wall,
      user,
      sys,
      cpu: user + sys,
      maxRss: kib * 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `cmd` and throws with its stderr unless it exits with one of `ok` (default 0 or 1: findings). */
export function mustRun(cmd: string[], o: RunOptions = {}, ok = [0, 1]): ProcessResult {
  const r = runProcess(cmd, o);
  if (!ok.includes(r.code))
    throw new Error(
      `${cmd.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  return r;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function medianFigures(rs: Figures[]): Figures {
  return {
    wall: median(rs.map((r) => r.wall)),
    user: median(rs.map((r) => r.user)),
    sys: median(rs.map((r) => r.sys)),
    cpu: median(rs.map((r) => r.cpu)),
    maxRss: median(rs.map((r) => r.maxRss)),
  };
}

/** Runs a command `runs` times (after `warmup` uncounted runs) and returns the median figures. */
export function timed(run: () => ProcessResult, runs: number, warmup = 1): Figures & { last: ProcessResult } {
  for (let i = 0; i < warmup; i++) run();
  const rs: ProcessResult[] = [];
  for (let i = 0; i < runs; i++) rs.push(run());
  return { ...medianFigures(rs), last: rs[rs.length - 1] };
}

export interface Comparison {
  subject: Figures & { last: ProcessResult };
  baseline: Figures;
  /** Median over pairs of subject/baseline. */
  wallRatio: number;
  cpuRatio: number;
}

/** Subject and baseline in turn (A B A B ...), after one warm-up of each. */
export function versus(
  subject: () => ProcessResult,
  baseline: () => ProcessResult,
  runs: number,
): Comparison {
  subject();
  baseline();
  const a: ProcessResult[] = [];
  const b: ProcessResult[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(subject());
    b.push(baseline());
  }
  return {
    subject: { ...medianFigures(a), last: a[a.length - 1] },
    baseline: medianFigures(b),
    wallRatio: median(a.map((x, i) => x.wall / b[i].wall)),
    cpuRatio: median(a.map((x, i) => x.cpu / b[i].cpu)),
  };
}

/** Runs per measurement: BENCH_RUNS, default 3 (the machine is shared; 5 when it is quiet). */
export function benchRuns(): number {
  return Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
}

/** The command of a baseline process in bench/baselines/ (plain Node scripts). */
export function baseline(script: string, ...args: string[]): string[] {
  return [process.execPath, join(ROOT, 'bench', 'baselines', script), ...args];
}

/** `a` over `b` as "0.52x", the way the table prints ratios. */
export function times(x: number): string {
  return `${x.toFixed(2)}x`;
}

export interface HuntRowSpec {
  name: string;
  files: string[];
  /** The baseline (bench/baselines/lines.mjs) over the same files: split lines, or JSON.parse each too. */
  lines: 'json' | 'split';
  /** Largest allowed hunt time as a multiple of the baseline's. */
  goal: number;
  /** Extra hunt arguments (-f FORMAT, --host NAME). */
  args?: string[];
  /** Baseline files when they differ (a pretty-printed input's NDJSON form). */
  baselineFiles?: string[];
}

/** A row timing `hunt` over files against a baseline script over the same files. */
export function huntRow(s: HuntRowSpec): {
  name: string;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  baseline: string;
  baselineSeconds: number;
  figure: string;
  goal: string;
  met: boolean;
  peakRss: number;
  extra: Record<string, string>;
} {
  const c = versus(
    () => mustRun(cli('hunt', '-q', ...(s.args ?? []), ...s.files)),
    () =>
      mustRun(
        baseline('lines.mjs', ...(s.lines === 'json' ? ['--json'] : []), ...(s.baselineFiles ?? s.files)),
        {},
        [0],
      ),
    benchRuns(),
  );
  return {
    name: s.name,
    bytes: s.files.reduce((n, f) => n + statSync(f).size, 0),
    seconds: c.subject.wall,
    cpuSeconds: c.subject.cpu,
    baseline: s.lines === 'split' ? 'split lines' : 'JSON.parse every line',
    baselineSeconds: c.baseline.wall,
    figure: `${times(c.wallRatio)} its time`,
    goal: `<= ${s.goal}x its time`,
    met: c.wallRatio <= s.goal,
    peakRss: c.subject.maxRss,
    extra: { cpu_ratio: c.cpuRatio.toFixed(2), baseline_rss_MB: (c.baseline.maxRss / 1e6).toFixed(0) },
  };
}
