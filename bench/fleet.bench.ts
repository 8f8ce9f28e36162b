// The simulated fleet: `ratchain simulate` write speed against copying the same bytes; `npm run
// eval` at its default size; and live state per host: a short window (one hour) of a
// 100,000-host fleet hunted under a 2 GB heap, against the same window of 1,000 hosts, so the
// difference in peak RSS is what the extra hosts cost.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchRuns, cli, mustRun, ROOT, runProcess, versus } from './process.ts';
import { type Benchmark, type BenchRow, skippedRow } from './row.ts';

const MB = 1e6;
const SIMULATE_GOAL_MB_S = 30;
const EVAL_GOAL_S = 120;
const HOST_STATE_GOAL_KB = 20;
const MANY_HOSTS = 100_000;
const FEW_HOSTS = 1_000;
const HEAP_MB = 2048;
/** One hour: each host shows a few events, then stays idle. */
const WINDOW = '10:00-11:00';
/** eslogger writes a file per Mac: left out of the many-host fleet. */
const WINDOW_FORMATS = ['winlogbeat-json', 'auditd', 'osquery', 'zeek-conn'];

function bytesUnder(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return n;
}

function simulateRow(workDir: string, scale: number): BenchRow {
  const hosts = Math.max(20, Math.round(200 * scale));
  const out = join(workDir, 'simulate-speed');
  const copy = join(workDir, 'simulate-speed-copy');
  const args = ['simulate', '--out', out, '--hosts', String(hosts), '--days', '2'];
  const c = versus(
    () => mustRun(cli(...args), {}, [0]),
    () => {
      rmSync(copy, { recursive: true, force: true });
      return mustRun(['cp', '-r', join(out, 'logs'), copy], {}, [0]);
    },
    benchRuns(),
  );
  const bytes = bytesUnder(join(out, 'logs'));
  rmSync(copy, { recursive: true, force: true });
  const rate = bytes / MB / c.subject.wall;
  return {
    name: `simulate ${hosts} hosts x 2 days, all formats`,
    bytes,
    seconds: c.subject.wall,
    cpuSeconds: c.subject.cpu,
    baseline: 'cp -r of its logs',
    baselineSeconds: c.baseline.wall,
    figure: `${rate.toFixed(1)} MB/s`,
    goal: `>= ${SIMULATE_GOAL_MB_S} MB/s`,
    met: rate >= SIMULATE_GOAL_MB_S,
    peakRss: c.subject.maxRss,
    extra: { MB_per_cpu_s: (bytes / MB / c.subject.cpu).toFixed(1) },
  };
}

function evalRow(): BenchRow {
  const name = 'npm run eval (500 hosts x 7 days)';
  const goal = `< ${EVAL_GOAL_S} s`;
  if (process.env.BENCH_EVAL === '0') return skippedRow(name, goal, 'BENCH_EVAL=0');
  const r = mustRun(['npm', 'run', '--silent', 'eval'], { capture: true }, [0]);
  const f1 = /^all\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/m.exec(r.stdout)?.[1] ?? '?';
  const results = JSON.parse(readFileSync(join(ROOT, '.bench', 'eval', 'results.json'), 'utf8')) as {
    telemetry: { bytes: number; huntSeconds: number; generateSeconds: number };
  };
  return {
    name,
    bytes: results.telemetry.bytes,
    seconds: r.wall,
    cpuSeconds: r.cpu,
    figure: `${r.wall.toFixed(0)} s`,
    goal,
    met: r.wall < EVAL_GOAL_S,
    peakRss: r.maxRss,
    extra: {
      generate_s: results.telemetry.generateSeconds.toFixed(1),
      hunt_s: results.telemetry.huntSeconds.toFixed(1),
      F1: f1,
    },
  };
}

/** A window of a fleet of `hosts`, generated once and kept in the bench folder. */
function windowFleet(workDir: string, hosts: number): string {
  const out = join(workDir, `window-${hosts}-${WINDOW.replace(':', '').replace(':', '')}`);
  if (existsSync(join(out, 'ratchain.yaml'))) return out;
  mustRun(
    cli(
      'simulate',
      '--out',
      out,
      '--hosts',
      String(hosts),
      '--rate',
      '8',
      '--scenarios',
      '10',
      '--window',
      WINDOW,
      '--formats',
      ...WINDOW_FORMATS,
    ),
    {},
    [0],
  );
  return out;
}

function hostStateRow(workDir: string): BenchRow {
  const name = `live state: ${MANY_HOSTS.toLocaleString('en')} hosts, one hour, ${HEAP_MB} MB heap`;
  const goal = `<= ${HOST_STATE_GOAL_KB} KB per host, fits`;
  const many = windowFleet(workDir, MANY_HOSTS);
  const few = windowFleet(workDir, FEW_HOSTS);
  const env = { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` };
  const hunt = (dir: string) =>
    runProcess(cli('hunt', '-q', '-c', join(dir, 'ratchain.yaml'), join(dir, 'logs')), { env });
  const rFew = hunt(few);
  const rMany = hunt(many);
  if (![0, 1].includes(rFew.code)) return skippedRow(name, goal, `1,000-host hunt exited ${rFew.code}`);
  const fits = [0, 1].includes(rMany.code);
  const perHost = (rMany.maxRss - rFew.maxRss) / (MANY_HOSTS - FEW_HOSTS) / 1024;
  return {
    name,
    bytes: bytesUnder(join(many, 'logs')),
    seconds: rMany.wall,
    cpuSeconds: rMany.cpu,
    baseline: `${FEW_HOSTS.toLocaleString('en')} hosts, same window`,
    baselineSeconds: rFew.wall,
    figure: fits ? `${perHost.toFixed(1)} KB per host` : `did not fit (exit ${rMany.code})`,
    goal,
    met: fits && perHost <= HOST_STATE_GOAL_KB,
    peakRss: rMany.maxRss,
    extra: {
      rss_1000_hosts_MB: (rFew.maxRss / MB).toFixed(0),
      cpu_s_1000_hosts: rFew.cpu.toFixed(1),
      // Upkeep that grew with the host count would show as fewer MB per CPU second at 100,000.
      MB_per_cpu_s: `${(bytesUnder(join(many, 'logs')) / MB / rMany.cpu).toFixed(1)} vs ${(bytesUnder(join(few, 'logs')) / MB / rFew.cpu).toFixed(1)}`,
    },
  };
}

const bench: Benchmark = async ({ scale, workDir }) => [
  simulateRow(workDir, scale),
  hostStateRow(workDir),
  evalRow(),
];

export default bench;
