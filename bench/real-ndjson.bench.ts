// Real Windows telemetry: the OTRF Security-Datasets NDJSON files of ../shared/data (Sysmon,
// Security and System events flattened by Logstash), repeated to about 106 MB with every date
// of a copy moved four years (leap days stay valid): the last copy keeps the real dates and each
// earlier one is four years before the next, so the file stays in time order and no event lies
// in the future (the pipeline quarantines those). Hunted by the CLI against a process that
// JSON.parses every line of the same file. The goal: cheaper than parsing everything, by never
// parsing what the analytic cannot use. The file is built in the bench folder, never committed.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { huntRow, ROOT } from './process.ts';
import { type Benchmark, skippedRow } from './row.ts';

const OTRF = join(ROOT, '..', 'shared', 'data', 'otrf-security-datasets', 'atomic', 'windows');
const TARGET_MB = 106;
const GOAL = 0.67;
const YEARS_PER_COPY = 4;
const YEAR = /"(20\d\d)-/g;

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  // The file names end in their recording date: in that order, each copy is roughly in time order.
  const date = (p: string) => /(\d{4}-\d{2}-\d{2})/.exec(p)?.[1] ?? '';
  return out.sort((a, b) => date(a).localeCompare(date(b)));
}

function build(path: string, sources: string[], target: number): void {
  if (existsSync(path)) return;
  const texts = sources.map((f) => readFileSync(f, 'utf8').trimEnd());
  const copies = Math.ceil(target / texts.reduce((n, t) => n + Buffer.byteLength(t) + 1, 0));
  const fd = openSync(`${path}.tmp`, 'w');
  let written = 0;
  for (let copy = 0; written < target; copy++) {
    const years = (copy - (copies - 1)) * YEARS_PER_COPY;
    for (const t of texts) {
      const shifted = years === 0 ? t : t.replace(YEAR, (_, y) => `"${Number(y) + years}-`);
      written += writeSync(fd, `${shifted}\n`);
      if (written >= target) break;
    }
  }
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const name = `hunt ${Math.round(TARGET_MB * scale)} MB real NDJSON (OTRF Windows)`;
  const goal = `<= ${GOAL}x its time`;
  if (!existsSync(OTRF)) return [skippedRow(name, goal, `${OTRF} absent`)];
  const file = join(workDir, `otrf-windows-v2-${Math.round(TARGET_MB * scale)}MB.ndjson`);
  build(file, jsonFiles(OTRF), TARGET_MB * scale * 1e6);
  return [huntRow({ name, files: [file], lines: 'json', goal: GOAL })];
};

export default bench;
