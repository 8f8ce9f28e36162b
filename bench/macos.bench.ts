// macOS inputs: `hunt` (the CLI, whole process) over a generated eslogger NDJSON file against a
// process that JSON.parses every line of the same file; and over pretty-printed Elastic
// Endpoint documents (Kibana export) against the same baseline over their NDJSON form.
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { huntRow, ROOT } from './process.ts';
import type { Benchmark } from './row.ts';

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

/** The readers may cost this much over parsing every line (normalization and the engine). */
const READER_GOAL = 1.5;

const bench: Benchmark = async ({ scale, workDir }) => {
  const size = Math.round(20e6 * scale);
  const es = join(workDir, `eslogger-${size}.ndjson`);
  await makeEslogger(es, size);
  const kSize = Math.round(20e6 * scale);
  const pretty = join(workDir, `elastic-pretty-${kSize}.json`);
  const flat = join(workDir, `elastic-flat-${kSize}.ndjson`);
  await makeElastic(pretty, flat, kSize);
  const json = 'json';
  return [
    huntRow({
      name: 'hunt eslogger NDJSON',
      files: [es],
      args: ['--host', 'mac-bench'],
      lines: json,
      goal: READER_GOAL,
    }),
    // The pretty export is compared with parsing its NDJSON form: the same documents.
    huntRow({
      name: 'hunt elastic-endpoint (Kibana pretty JSON)',
      files: [pretty],
      baselineFiles: [flat],
      lines: json,
      goal: READER_GOAL,
    }),
    huntRow({
      name: 'hunt elastic-endpoint (NDJSON)',
      files: [flat],
      lines: json,
      goal: READER_GOAL,
    }),
  ];
};

export default bench;
