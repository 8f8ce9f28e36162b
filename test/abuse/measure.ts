// The built CLI in a process of its own under the suite's heap cap (512 MB, as the issue asks),
// with its heap peak (sampled by heap-peak.mjs) and, where GNU time is installed, its peak RSS.
// Asynchronous, so node:test's timeout can stop a process that hangs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

/** The heap the issue allows every run. */
export const HEAP_CAP_MB = 512;
const GNU_TIME = '/usr/bin/time';
const HEAP_PEAK = join(REPO_ROOT, 'test/abuse/heap-peak.mjs');

export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  heapPeakMb: number;
  rssPeakMb?: number;
  seconds: number;
}

export async function runMeasured(args: string[], opts: { stdin?: string } = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-measure-'));
  const peakFile = join(dir, 'heap');
  const rssFile = join(dir, 'rss');
  const node = [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', HEAP_PEAK, builtCli(), ...args];
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const child = spawn(
    timed ? GNU_TIME : process.execPath,
    timed ? ['-f', '%M', '-o', rssFile, process.execPath, ...node] : node,
    {
      env: { ...process.env, RATCHAIN_HEAP_PEAK_FILE: peakFile, NODE_OPTIONS: '' },
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const read = (f: string) =>
    existsSync(f) ? Number(readFileSync(f, 'utf8').trim().split('\n').pop()) : Number.NaN;
  const heap = read(peakFile);
  const rssKb = timed ? read(rssFile) : Number.NaN;
  rmSync(dir, { recursive: true, force: true });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    heapPeakMb: Math.round(heap / 2 ** 20),
    rssPeakMb: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : undefined,
    seconds: Math.round(seconds * 10) / 10,
  };
}

export function describeRun(what: string, m: Measured): string {
  const rss = m.rssPeakMb === undefined ? '' : `, peak RSS ${m.rssPeakMb} MB`;
  return `${what}: exit ${m.code}, heap peak ${m.heapPeakMb} MB (cap ${HEAP_CAP_MB})${rss}, ${m.seconds} s`;
}

/** How many events the big-input cases use: RATCHAIN_ABUSE_EVENTS, 10^6 by default. */
export const BIG_EVENTS = Number(process.env.RATCHAIN_ABUSE_EVENTS ?? 1_000_000);
