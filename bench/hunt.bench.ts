// Issue 8's benchmark: the generator's speed, and end-to-end hunts over a generated fleet in
// every format (event XML, Winlogbeat JSON, auditd, eslogger, osquery, Zeek) against a bare
// read + split + JSON.parse loop over the same files; peak RSS and peak heap at 1x and 10x the
// input (the same fleet over ten times the days: live state must not grow with the days).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './row.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function child(script: string, ...args: string[]): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/children', script), ...args],
    {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.toString());
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const hosts = Math.max(10, Math.round(50 * scale));
  const days = 2;
  const dir1 = join(workDir, `fleet-${hosts}x${days}`);
  const dir10 = join(workDir, `fleet-${hosts}x${days * 10}`);
  const rows: BenchRow[] = [];

  const g = child('fleet-generate.ts', dir1, String(hosts), String(days), '8');
  const g10 = child('fleet-generate.ts', dir10, String(hosts), String(days * 10), '8');
  rows.push({
    name: `simulate: ${hosts} hosts x ${days * 10} days, all formats`,
    bytes: g10.bytes,
    events: g10.events,
    seconds: g10.seconds,
    peakRss: g10.maxRssBytes,
    extra: {
      eventsPerMinute: Math.round((g10.events / g10.seconds) * 60),
      scenarios: g10.scenarios,
      rssAt1xMB: Math.round(g.maxRssBytes / 1e6),
    },
  });

  const base = child('fleet-read.ts', dir1);
  const h1 = child('fleet-hunt.ts', dir1);
  const h10 = child('fleet-hunt.ts', dir10);
  rows.push({
    name: `hunt simulated fleet (1x: ${hosts} hosts x ${days} days)`,
    bytes: h1.bytes,
    events: h1.events,
    seconds: h1.seconds,
    baseline: 'read+split+JSON.parse',
    baselineSeconds: base.seconds,
    ratio: base.seconds / h1.seconds,
    peakRss: h1.maxRssBytes,
    extra: { alerts: h1.findings, problems: h1.problems, peakHeapMB: Math.round(h1.peakHeapBytes / 1e6) },
  });
  rows.push({
    name: `hunt simulated fleet (10x: ${hosts} hosts x ${days * 10} days)`,
    bytes: h10.bytes,
    events: h10.events,
    seconds: h10.seconds,
    peakRss: h10.maxRssBytes,
    extra: {
      alerts: h10.findings,
      problems: h10.problems,
      peakHeapMB: Math.round(h10.peakHeapBytes / 1e6),
      rssRatio10xTo1x: Number((h10.maxRssBytes / h1.maxRssBytes).toFixed(2)),
    },
  });
  for (const d of [dir1, dir10]) if (existsSync(d)) rmSync(d, { recursive: true, force: true });
  return rows;
};

export default bench;
