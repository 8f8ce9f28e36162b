// `ratchain serve` with one sender: a multi-host fleet in event XML POSTed to /ingest in batches
// of BATCH_LINES, while a reader follows /findings/stream. Two runs, each on a fresh server:
// - throughput at saturation: the sender sends each batch as soon as the last one was answered
//   (events/s from the first request to the last answer) against `ratchain hunt` of the same
//   file, a whole process, in turn (hunt, serve, hunt, serve ...: BENCH_RUNS pairs after one
//   warm-up pair), quoting the median of the pairwise ratios;
// - finding latency at an offered load below capacity: the same batches sent at OFFERED_LOAD
//   times the rate the saturated run reached, so that what is timed is the server's own delay
//   (decoding, the reorder hold, the engine, the stream), not a queue the sender built up.
//   Latency is from sending the batch that holds the event which completes or changes a chain
//   to that finding arriving on the stream.
// The sender shares the machine's two cores with the server (hunt, the baseline, has both), so it
// does as little as a real shipper would: its bodies are bytes made before the clock starts,
// posted over one keep-alive connection with node:http (undici's fetch, and joining 500 lines
// per request inside the timed window, cost the sender about 0.5 s of CPU a run more).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, get, request } from 'node:http';
import { join } from 'node:path';
import type { Finding } from '../src/model/finding.ts';
import { type FleetLine, fleet } from '../test/fixtures/stream/fleet.ts';
import { benchRuns, cli, median, mustRun } from './process.ts';
import type { Benchmark, BenchRow } from './row.ts';

const THROUGHPUT_GOAL = 0.8;
const LATENCY_GOAL_MS = 250;
const BATCH_LINES = 500;
/** The latency run offers this share of the saturated run's events/s: well below capacity. */
const OFFERED_LOAD = 0.5;
/** How long the server holds an event for reordering at most (--idle-flush), wall time. */
const HOLD = '200ms';
/** No new finding for this long after the last answer: the server has said all it will. */
const QUIET_MS = 2500;

function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const [cmd, ...args] = cli('serve', '-p', '0', '--idle-flush', HOLD);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (!m) return;
      // Drained from here on, not kept: the server logs a line per finding.
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      resolve({ child, url: m[1] });
    };
    child.stderr!.on('data', onData);
    child.once('exit', (c) => reject(new Error(`serve exited ${c}: ${log}`)));
  });
}

const hostKey = (h: string) => h.toLowerCase().split('.')[0];

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
}

/** Follows the SSE stream, calling `on` with each finding and its arrival time. */
function follow(url: string, signal: AbortSignal, on: (f: Finding, at: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}/findings/stream?replay=0`, { signal }, (res) => {
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^data: (.*)$/m.exec(frame);
          if (/^event: finding$/m.test(frame) && data) on(JSON.parse(data[1]) as Finding, at);
        }
      });
      res.on('end', resolve);
      res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
    });
    req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
  });
}

/** One batch as the sender posts it: its bytes, and the latency keys of its events. */
interface Batch {
  body: Buffer;
  keys: string[];
}

function batches(lines: FleetLine[]): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < lines.length; i += BATCH_LINES) {
    const batch = lines.slice(i, i + BATCH_LINES);
    out.push({
      body: Buffer.from(`${batch.map((l) => l.line).join('\n')}\n`),
      keys: batch.map((l) => `${hostKey(l.host)}|${l.time}`),
    });
  }
  return out;
}

/** POSTs one body over `agent`'s connection; resolves with the status once the answer is read. */
function post(url: URL, agent: Agent, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-length': body.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Run {
  seconds: number;
  /** Sorted finding latencies, ms. */
  latencies: number[];
  findings: number;
  /** Batches sent later than their schedule (the server could not keep up with the rate). */
  behind: number;
  /** The sender's own CPU seconds (this process: posting and following the stream) in the window. */
  senderCpu: number;
}

/** One fresh server, the fleet sent in batches: back to back, or at `rate` events/s. */
async function sendFleet(fleetBatches: Batch[], rate?: number): Promise<Run> {
  const { child, url } = await startServe();
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let lastFinding = performance.now();
  let findings = 0;
  let behind = 0;
  const ctl = new AbortController();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ingest = new URL(`${url}/ingest?source=bench`);
  const following = follow(url, ctl.signal, (f, at) => {
    findings++;
    lastFinding = at;
    const t = sent.get(`${hostKey(f.host)}|${f.lastSeen}`);
    if (t !== undefined) latencies.push(at - t);
  });
  try {
    await new Promise((r) => setTimeout(r, 200)); // the stream is open before the first event
    const start = performance.now();
    const cpuAtStart = process.cpuUsage();
    let events = 0;
    for (const batch of fleetBatches) {
      if (rate) {
        const wait = start + (events / rate) * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        else if (events > 0) behind++;
      }
      const at = performance.now();
      for (const k of batch.keys) sent.set(k, at);
      events += batch.keys.length;
      const r = await post(ingest, agent, batch.body);
      if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.text}`);
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpuAtStart);
    const senderCpu = (used.user + used.system) / 1e6;
    while (performance.now() - lastFinding < QUIET_MS) await new Promise((r) => setTimeout(r, 100));
    latencies.sort((a, b) => a - b);
    return { seconds, latencies, findings, behind, senderCpu };
  } finally {
    agent.destroy();
    ctl.abort();
    await following.catch(() => {});
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const hosts = Math.max(50, Math.round(800 * scale));
  const lines = fleet({ hosts, noise: 20, spacingMs: 20_000 });
  const file = join(workDir, `serve-fleet-${hosts}.xml`);
  const text = lines.map((l) => l.line).join('\n');
  writeFileSync(file, `${text}\n`);
  const hunt = () => mustRun(cli('hunt', '-q', file)).wall;
  const fleetBatches = batches(lines);
  hunt();
  await sendFleet(fleetBatches);
  const pairs: Array<{ hunt: number; serve: Run }> = [];
  for (let i = 0; i < benchRuns(); i++) pairs.push({ hunt: hunt(), serve: await sendFleet(fleetBatches) });
  const ratios = pairs.map((p) => p.hunt / p.serve.seconds);
  // The pair whose ratio is the median stands for the row (its latencies, its events/s).
  const middle = pairs[ratios.indexOf([...ratios].sort((a, b) => a - b)[ratios.length >> 1])];
  const full = middle.serve;
  const saturated = lines.length / full.seconds;
  const offered = OFFERED_LOAD * saturated;
  const paced = await sendFleet(fleetBatches, offered);

  const ratio = median(ratios);
  const p99 = percentile(paced.latencies, 0.99);
  const common = { events: lines.length, bytes: Buffer.byteLength(text) };
  const rows: BenchRow[] = [
    {
      name: `serve, one sender, ${hosts} hosts (events/s vs hunt)`,
      ...common,
      seconds: full.seconds,
      baseline: 'hunt of the same file',
      baselineSeconds: middle.hunt,
      figure: `${ratio.toFixed(2)}x hunt's events/s`,
      goal: `>= ${THROUGHPUT_GOAL}x`,
      met: ratio >= THROUGHPUT_GOAL,
      extra: {
        batch_lines: BATCH_LINES,
        pairs: ratios.map((r) => r.toFixed(2)).join('/'),
        events_s: Math.round(saturated),
        // Saturated, a finding waits behind the batches the sender keeps sending: queueing, not latency.
        saturated_p99_ms: percentile(full.latencies, 0.99).toFixed(0),
        // The sender shares the two cores with the server: what it took is shown, not hidden.
        sender_cpu_s: full.senderCpu.toFixed(2),
      },
    },
    {
      name: `serve finding latency, ${hosts} hosts, at ${OFFERED_LOAD * 100}% of saturation`,
      ...common,
      seconds: paced.seconds,
      figure: `p99 ${p99.toFixed(0)} ms`,
      goal: `p99 < ${LATENCY_GOAL_MS} ms`,
      met: p99 < LATENCY_GOAL_MS,
      extra: {
        offered_events_s: Math.round(offered),
        hold: HOLD,
        p50_ms: percentile(paced.latencies, 0.5).toFixed(0),
        median_ms: median(paced.latencies).toFixed(0),
        timed: `${paced.latencies.length}/${paced.findings}`,
        batches_behind: paced.behind,
      },
    },
  ];
  return rows;
};

export default bench;
