// macOS inputs: `hunt` (the CLI, whole process) over a generated eslogger NDJSON file against a
// process that JSON.parses every line of the same file; and over pretty-printed Elastic
// Endpoint documents (Kibana export) against the same baseline over their NDJSON form.
import { createWriteStream, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
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

/** Writes copies of `next` until the file holds `target` bytes, or exactly `target.copies` copies. */
async function writeLines(
  file: string,
  target: { bytes: number } | { copies: number },
  next: (copy: number) => string[],
): Promise<void> {
  const done = (written: number, copy: number) =>
    'bytes' in target ? written >= target.bytes : copy >= target.copies;
  const out = createWriteStream(`${file}.tmp`);
  let written = 0;
  for (let copy = 0; !done(written, copy); copy++) {
    for (const line of next(copy)) {
      written += Buffer.byteLength(line) + 1;
      if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
  renameSync(`${file}.tmp`, file);
}

/**
 * Copies follow one another in time, as a sensor writes them: each starts a period after the one
 * before, and the last keeps the fixtures' own dates (later copies would lie in the future, which
 * the pipeline quarantines). Copies that overlapped in time made every hunt of these rows sort
 * its input on disk and read it twice, which a sensor's own output never needs.
 */
function copyShift(copy: number, copies: number, periodMs: number): number {
  return (copy - (copies - 1)) * periodMs;
}

/** The fixtures span 09:00 to 11:00:02 of one day. */
const ESLOGGER_PERIOD_MS = 3 * 3_600_000;
/** The Elastic fixture spans ten minutes. */
const ELASTIC_PERIOD_MS = 15 * 60_000;

/** The three eslogger fixtures, repeated with new pids, pidversions and times. */
function makeEslogger(file: string, targetBytes: number): Promise<void> {
  const records = ['full-chain', 'approved-app', 'pkg-launchdaemon'].flatMap((n) =>
    readFileSync(join(ROOT, 'test/fixtures/macos', `${n}.eslogger.ndjson`), 'utf8')
      .trim()
      .split('\n'),
  );
  if (existsSync(file) && statSync(file).size >= targetBytes) return Promise.resolve();
  const copies = Math.ceil(targetBytes / records.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
  return writeLines(file, { bytes: targetBytes }, (copy) =>
    records.map((l) => {
      const o = JSON.parse(l);
      shiftRecord(o, (copy % 30_000) * 2, copy * 40, copyShift(copy, copies, ESLOGGER_PERIOD_MS));
      return JSON.stringify(o);
    }),
  );
}

/** The Elastic Endpoint fixture documents, copy `copy` of `copies` (times moved, in order). */
function elasticCopies(): (copy: number, copies: number) => Obj[] {
  const docs = readFileSync(join(ROOT, 'test/fixtures/macos/elastic-endpoint.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return (copy, copies) =>
    docs.map((d) => {
      const o = structuredClone(d);
      const ms = copyShift(copy, copies, ELASTIC_PERIOD_MS);
      o['@timestamp'] = new Date(Date.parse(o['@timestamp']) + ms).toISOString();
      return { _source: o };
    });
}

/** Bytes of one copy written with `write`. */
function bytesPerCopy(docs: Obj[], write: (o: Obj) => string): number {
  return docs.reduce((n, o) => n + Buffer.byteLength(write(o)) + 1, 0);
}

const prettyJson = (o: Obj) => JSON.stringify(o, null, 2);
const flatJson = (o: Obj) => JSON.stringify(o);

/**
 * The documents pretty-printed as Kibana shows them, and the same documents (as many copies) as
 * NDJSON for its baseline, so the baseline parses exactly what the pretty hunt reads.
 */
async function makeElasticPretty(
  workDir: string,
  targetBytes: number,
): Promise<{ pretty: string; flat: string }> {
  const copyOf = elasticCopies();
  const copies = Math.ceil(targetBytes / bytesPerCopy(copyOf(0, 1), prettyJson));
  const files = {
    pretty: join(workDir, `elastic-pretty-ordered-${copies}x.json`),
    flat: join(workDir, `elastic-pretty-ordered-${copies}x-as.ndjson`),
  };
  if (!existsSync(files.pretty))
    await writeLines(files.pretty, { copies }, (c) => copyOf(c, copies).map(prettyJson));
  if (!existsSync(files.flat))
    await writeLines(files.flat, { copies }, (c) => copyOf(c, copies).map(flatJson));
  return files;
}

/** The documents as NDJSON, `targetBytes` of them. */
async function makeElasticNdjson(file: string, targetBytes: number): Promise<void> {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  const copyOf = elasticCopies();
  const copies = Math.ceil(targetBytes / bytesPerCopy(copyOf(0, 1), flatJson));
  await writeLines(file, { bytes: targetBytes }, (c) => copyOf(c, copies).map(flatJson));
}

/** The readers may cost this much over parsing every line (normalization and the engine). */
const READER_GOAL = 1.5;

const bench: Benchmark = async ({ scale, workDir }) => {
  const size = Math.round(20e6 * scale);
  const es = join(workDir, `eslogger-ordered-${size}.ndjson`);
  await makeEslogger(es, size);
  const kSize = Math.round(20e6 * scale);
  const flat = join(workDir, `elastic-flat-ordered-${kSize}.ndjson`);
  await makeElasticNdjson(flat, kSize);
  const pretty = await makeElasticPretty(workDir, kSize);
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
      files: [pretty.pretty],
      baselineFiles: [pretty.flat],
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
