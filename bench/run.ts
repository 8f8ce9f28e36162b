// `npm run bench`: runs every bench/*.bench.ts, prints one table and writes .bench/results.json.
// BENCH_SCALE (default 1) multiplies input sizes; BENCH_ONLY=name filters modules.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './row.ts';

const dir = new URL('.', import.meta.url).pathname;
const workDir = join(dir, '..', '.bench');
mkdirSync(workDir, { recursive: true });
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = process.env.BENCH_ONLY;

const rows: BenchRow[] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  const mod = (await import(join(dir, file))) as { default: Benchmark };
  process.stderr.write(`bench: ${file}\n`);
  rows.push(...(await mod.default({ scale, workDir })));
}

const fmt = (n: number | undefined, d = 2) => (n === undefined ? '' : n.toFixed(d));
const mb = (b?: number) => (b === undefined ? '' : (b / 1e6).toFixed(1));
const lines = [
  ['benchmark', 'MB', 'events', 'sec', 'MB/s', 'events/s', 'baseline', 'ratio', 'peak RSS MB', 'extra'],
];
for (const r of rows) {
  lines.push([
    r.name,
    mb(r.bytes),
    r.events === undefined ? '' : String(r.events),
    fmt(r.seconds, 3),
    r.bytes ? fmt(r.bytes / 1e6 / r.seconds, 1) : '',
    r.events ? fmt(r.events / r.seconds, 0) : '',
    r.baseline ?? '',
    fmt(r.ratio),
    mb(r.peakRss),
    r.extra
      ? Object.entries(r.extra)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '',
  ]);
}
const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
for (const l of lines)
  console.log(
    l
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
writeFileSync(
  join(workDir, 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), rows }, null, 2),
);
console.log(`\nresults: ${join(workDir, 'results.json')}`);
