// Issue 5's benchmark: the eslogger reader (sniff, line split, JSON.parse, normalization) over a
// generated eslogger NDJSON file, as a ratio to a bare read + split + JSON.parse loop over the
// same file; and the Kibana export splitter over pretty-printed Elastic documents, against the
// same baseline over their NDJSON form. Each measurement runs in its own process (peak RSS is
// per process; each figure is the best of three runs); this module is also that child process
// when run with `child <kind> <file>`.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newStats, readSource } from '../src/ingest/source.ts';
import type { Benchmark, BenchRow } from './row.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: generated fixture records are rewritten in place.
type Obj = Record<string, any>;

/** Shifts every audit token and time of a fixture record so copies are distinct processes. */
function shiftRecord(o: Obj, pidOffset: number, verOffset: number, ms: number): void {
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const r = v as Obj;
    for (const k of Object.keys(r)) {
      const x = r[k];
      if ((k === 'audit_token' || k.endsWith('_audit_token') || k === 'instigator_token') && x) {
        if (typeof x.pid === 'number' && x.pid > 1) x.pid += pidOffset;
        if (typeof x.pidversion === 'number' && x.pidversion > 1) x.pidversion += verOffset;
      } else if ((k === 'time' || k === 'start_time') && typeof x === 'string') {
        r[k] = new Date(Date.parse(x) + ms).toISOString();
      } else if (k === 'ppid' && typeof x === 'number' && x > 1) r[k] = x + pidOffset;
      else walk(x);
    }
  };
  walk(o);
}

async function writeLines(
  file: string,
  targetBytes: number,
  next: (copy: number) => string[],
): Promise<void> {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  const out = createWriteStream(file);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    for (const line of next(copy)) {
      written += Buffer.byteLength(line) + 1;
      if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/** The three eslogger fixtures, repeated with new pids, pidversions and times. */
function makeEslogger(file: string, targetBytes: number): Promise<void> {
  const records = ['full-chain', 'approved-app', 'pkg-launchdaemon'].flatMap((n) =>
    readFileSync(join(ROOT, 'test/fixtures/macos', `${n}.eslogger.ndjson`), 'utf8')
      .trim()
      .split('\n'),
  );
  return writeLines(file, targetBytes, (copy) =>
    records.map((l) => {
      const o = JSON.parse(l);
      shiftRecord(o, (copy % 30_000) * 2, copy * 40, copy * 5_000);
      return JSON.stringify(o);
    }),
  );
}

/** Elastic Endpoint documents: pretty-printed as Kibana shows them, and the same as NDJSON. */
async function makeElastic(pretty: string, ndjson: string, targetBytes: number): Promise<void> {
  const docs = readFileSync(join(ROOT, 'test/fixtures/macos/elastic-endpoint.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const shifted = (copy: number) =>
    docs.map((d) => {
      const o = structuredClone(d);
      o['@timestamp'] = new Date(Date.parse(o['@timestamp']) + copy * 1000).toISOString();
      return o;
    });
  await writeLines(pretty, targetBytes, (copy) =>
    shifted(copy).map((o) => JSON.stringify({ _source: o }, null, 2)),
  );
  await writeLines(ndjson, targetBytes, (copy) => shifted(copy).map((o) => JSON.stringify({ _source: o })));
}

/** Best (fastest) of three child runs: the machines are shared, and noise only ever adds time. */
function child(args: string[]): Record<string, number> {
  let best: Record<string, number> | undefined;
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.toString()) as Record<string, number>;
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best!;
}

/** Child mode: read one file with one format, print {seconds, events, bytes, problems, maxRssBytes}. */
async function runChild(format: string, file: string): Promise<void> {
  const stats = newStats(file);
  let problems = 0;
  const t0 = performance.now();
  for await (const _batch of readSource(
    { name: file, path: file },
    { format, onProblem: () => problems++ },
    stats,
  )) {
    // Events are counted in stats; the batch is dropped as a hunt's merge would consume it.
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      events: stats.events,
      bytes: stats.bytes,
      problems,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const rows: BenchRow[] = [];
  const size = Math.round(20e6 * scale);
  const es = join(workDir, `eslogger-${size}.ndjson`);
  await makeEslogger(es, size);
  const base = child([join(ROOT, 'bench/children/parse.ts'), es]);
  const r = child([SELF, 'child', 'eslogger', es]);
  rows.push({
    name: 'eslogger reader (NDJSON)',
    bytes: r.bytes,
    events: r.events,
    seconds: r.seconds,
    baseline: 'read+JSON.parse loop',
    baselineSeconds: base.seconds,
    ratio: base.seconds / r.seconds,
    peakRss: r.maxRssBytes,
    extra: { problems: r.problems },
  });

  const kSize = Math.round(20e6 * scale);
  const pretty = join(workDir, `elastic-pretty-${kSize}.json`);
  const flat = join(workDir, `elastic-flat-${kSize}.ndjson`);
  await makeElastic(pretty, flat, kSize);
  const kb = child([join(ROOT, 'bench/children/parse.ts'), flat]);
  const k = child([SELF, 'child', 'elastic-endpoint', pretty]);
  const kn = child([SELF, 'child', 'elastic-endpoint', flat]);
  // The baseline child reports no byte count: per-byte cost from the files' sizes.
  const perByte = (x: Record<string, number>, bytes: number) => x.seconds / bytes;
  rows.push({
    name: 'elastic-endpoint reader (Kibana pretty JSON)',
    bytes: k.bytes,
    events: k.events,
    seconds: k.seconds,
    baseline: 'read+JSON.parse loop on its NDJSON form (per byte)',
    baselineSeconds: kb.seconds,
    ratio: perByte(kb, statSync(flat).size) / perByte(k, k.bytes),
    peakRss: k.maxRssBytes,
    extra: { problems: k.problems },
  });
  rows.push({
    name: 'elastic-endpoint reader (NDJSON)',
    bytes: kn.bytes,
    events: kn.events,
    seconds: kn.seconds,
    baseline: 'read+JSON.parse loop',
    baselineSeconds: kb.seconds,
    ratio: kb.seconds / kn.seconds,
    peakRss: kn.maxRssBytes,
    extra: { problems: kn.problems },
  });
  return rows;
};

export default bench;

if (process.argv[1] === SELF && process.argv[2] === 'child') await runChild(process.argv[3], process.argv[4]);
