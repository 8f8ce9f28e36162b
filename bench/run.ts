// `npm run bench`: runs every bench/*.bench.ts, prints one table (each row with its goal and
// whether it is met) and writes .bench/results.json. A new row is a new bench/<name>.bench.ts
// exporting a Benchmark (bench/row.ts); bench/process.ts times whole processes.
// BENCH_SCALE (default 1) multiplies input sizes; BENCH_ONLY=a,b runs only modules whose file
// name contains one of them; BENCH_RUNS (default 3) sets the runs per measurement.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliDescription, unmeasurable } from './process.ts';
import type { Benchmark, BenchRow } from './row.ts';

const dir = new URL('.', import.meta.url).pathname;
const workDir = join(dir, '..', '.bench');
mkdirSync(workDir, { recursive: true });
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const load = () => execFileSync('uptime').toString().trim();

const why = unmeasurable();
if (why) {
  console.error(`bench: cannot time whole processes: ${why}`);
  process.exit(2);
}
const loadBefore = load();
console.error(`bench: CLI under test: ${cliDescription()}; ${loadBefore}`);
const rows: BenchRow[] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  if (only && !only.some((o) => file.includes(o))) continue;
  const mod = (await import(join(dir, file))) as { default: Benchmark };
  process.stderr.write(`bench: ${file}\n`);
  rows.push(...(await mod.default({ scale, workDir })));
}
const loadAfter = load();

const fmt = (n: number | undefined, d = 2) => (n === undefined || n === 0 ? '' : n.toFixed(d));
const mb = (b?: number) => (b === undefined ? '' : (b / 1e6).toFixed(1));
const lines = [
  [
    'benchmark',
    'MB',
    'events',
    'sec',
    'cpu s',
    'baseline',
    'base s',
    'figure',
    'goal',
    'met',
    'peak RSS MB',
    'extra',
  ],
];
for (const r of rows) {
  lines.push([
    r.name,
    mb(r.bytes),
    r.events === undefined ? '' : String(r.events),
    fmt(r.seconds, 2),
    fmt(r.cpuSeconds, 2),
    r.baseline ?? '',
    fmt(r.baselineSeconds, 2),
    r.figure ?? '',
    r.goal ?? '',
    r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
    mb(r.peakRss),
    r.extra
      ? Object.entries(r.extra)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '',
  ]);
}
const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
console.log(`CLI: ${cliDescription()}`);
console.log(`load before: ${loadBefore}`);
console.log(`load after:  ${loadAfter}\n`);
for (const l of lines)
  console.log(
    l
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
const goals = rows.filter((r) => r.goal);
console.log(
  `\ngoals met: ${goals.filter((r) => r.met).length}/${goals.length} (${goals.filter((r) => r.met === undefined).length} not measured)`,
);
writeFileSync(
  join(workDir, 'results.json'),
  JSON.stringify(
    { date: new Date().toISOString(), cli: cliDescription(), loadBefore, loadAfter, rows },
    null,
    2,
  ),
);
console.log(`results: ${join(workDir, 'results.json')}`);
