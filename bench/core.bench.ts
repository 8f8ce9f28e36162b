// Issue 2's benchmark: a hunt over a large Winlogbeat NDJSON file, as a ratio to a bare
// read-and-JSON.parse loop over the same file, and peak RSS at 1x and 10x the input (RSS must
// not grow with input size: state expires with event time).
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './row.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** Amplifies the shipped background example: many hosts, time moving forward. */
async function makeInput(file: string, targetBytes: number): Promise<void> {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  const docs = readFileSync(join(ROOT, 'examples/windows/background-winlogbeat.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const times = docs.map((d) => Date.parse(d['@timestamp']) - Date.parse('2026-11-02T08:58:00Z'));
  const base = Date.parse('2026-11-02T08:00:00Z');
  const out = createWriteStream(file);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    const host = `WS-${String(copy % 500).padStart(4, '0')}.corp.example`;
    // Each copy spans 33 minutes; start the next after it so the file is in time order.
    const shift = copy * 2_100_000;
    for (const [i, d] of docs.entries()) {
      const t = new Date(times[i] + base + shift).toISOString();
      d['@timestamp'] = t;
      d.winlog.computer_name = host;
      d.host.name = host;
      d.winlog.record_id++;
      const ed = d.winlog.event_data;
      if (ed.ProcessGuid)
        ed.ProcessGuid = ed.ProcessGuid.replace(
          /^\{[0-9a-f]{8}/,
          `{${(copy >>> 0).toString(16).padStart(8, '0')}`,
        );
      if (ed.UtcTime) ed.UtcTime = t.replace('T', ' ').replace('Z', '');
      const line = `${JSON.stringify(d)}\n`;
      written += line.length;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function child(script: string, file: string): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/children', script), file],
    {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.toString());
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const rows: BenchRow[] = [];
  const size1 = Math.round(40e6 * scale);
  const f1 = join(workDir, `winlogbeat-${size1}.ndjson`);
  const f10 = join(workDir, `winlogbeat-${size1 * 10}.ndjson`);
  await makeInput(f1, size1);
  await makeInput(f10, size1 * 10);
  const base = child('parse.ts', f1);
  const h1 = child('hunt.ts', f1);
  const h10 = child('hunt.ts', f10);
  rows.push({
    name: 'hunt winlogbeat NDJSON (1x)',
    bytes: h1.bytes,
    events: h1.events,
    seconds: h1.seconds,
    baseline: 'read+JSON.parse loop',
    baselineSeconds: base.seconds,
    ratio: base.seconds / h1.seconds,
    peakRss: h1.maxRssBytes,
    extra: { findings: h1.findings, baselineRssMB: Math.round(base.maxRssBytes / 1e6) },
  });
  rows.push({
    name: 'hunt winlogbeat NDJSON (10x)',
    bytes: h10.bytes,
    events: h10.events,
    seconds: h10.seconds,
    peakRss: h10.maxRssBytes,
    extra: { rssRatio10xTo1x: Number((h10.maxRssBytes / h1.maxRssBytes).toFixed(2)) },
  });
  return rows;
};

export default bench;
