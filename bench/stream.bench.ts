// End-to-end through NATS JetStream with 1 and 2 worker processes (publish → partitioned stream
// → `ratchain worker` processes → findings stream). Two runs per worker count, each on a fresh
// nats-server:
// - throughput at saturation: every event published as fast as the publisher can, against
//   `ratchain hunt` of the same file (a whole process too), timed until every partition's
//   checkpoint has passed the close-at-end watermark;
// - finding latency at an offered load below capacity: the same events published at
//   OFFERED_LOAD times the rate the saturated run reached, timed from publishing the event that
//   completes or changes a chain to that finding arriving on the findings stream (p50, p99).
//   Saturated, a finding waits behind every event published before it: that is the backlog's
//   age, not the system's latency, so it is printed beside the throughput only.
// Only findings a published event triggers are timed: a chain's final state (a worker marks it
// with the header Ratchain-Kind: final) comes from its window closing as event time moves on, or
// from the close-at-end watermark, not from an event. Needs a real nats-server; without one the
// rows say so and are skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import type { Finding } from '../src/model/finding.ts';
import { loadCheckpoint } from '../src/stream/jetstream/checkpoint.ts';
import { canonicalHost } from '../src/stream/jetstream/partition.ts';
import { type PublishSummary, publishClose, publishInputs } from '../src/stream/jetstream/publish.ts';
import {
  EVENTS_STREAM,
  eventsSubject,
  FINDING_KIND_HEADER,
  FINDINGS_STREAM,
  type Layout,
  openLayout,
} from '../src/stream/jetstream/streams.ts';
import { fleetLines } from '../test/fixtures/stream/fleet.ts';
import { startNatsServer } from '../test/stream/nats-server.ts';
import { cli, mustRun } from './process.ts';
import { type Benchmark, type BenchRow, skippedRow } from './row.ts';

const PARTITIONS = 4;
/** From publishing the event that completes or changes a chain to its finding on the stream. */
const LATENCY_GOAL_MS = 1000;
/** The latency run offers this share of the saturated run's events/s: well below capacity. */
const OFFERED_LOAD = 0.5;

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function startWorker(url: string, own: string): Promise<ChildProcess> {
  const [cmd, ...args] = cli('worker', '-s', url, '-n', String(PARTITIONS), '--own', own, '--batch', '1000');
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Ready once every owned partition has opened its consumer.
  const want = own.split('-').length === 2 ? Number(own.split('-')[1]) - Number(own.split('-')[0]) + 1 : 1;
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      if ((log.match(/starting from|resuming/g) ?? []).length < want) return;
      // Drained from here on, not kept: the worker logs a line per finding.
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      resolve(child);
    };
    child.stderr!.on('data', onData);
    child.once('exit', (c) => reject(new Error(`worker exited ${c}: ${log}`)));
  });
}

/** Waits until every partition's checkpoint (saved after its findings are acknowledged) has reached its last message. */
async function processed(layout: Layout, children: ChildProcess[]): Promise<void> {
  for (let p = 0; p < PARTITIONS; p++) {
    const last =
      (await layout.jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventsSubject(p) }))?.seq ?? 0;
    while (((await loadCheckpoint(layout.kv, p))?.last ?? 0) < last) {
      // A worker that died would leave this waiting for ever.
      const gone = children.find((c) => c.exitCode !== null || c.signalCode !== null);
      if (gone)
        throw new Error(`worker ${gone.pid} exited (${gone.exitCode ?? gone.signalCode}) before the end`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

interface Run {
  seconds: number;
  pub: PublishSummary;
  /** Sorted latencies of the findings events triggered, ms. */
  latencies: number[];
  /** Revisions that kept their last step's time (made by event time moving on), ms after that step's event. */
  later: number[];
  /** Final states sent as chains closed (not timed). */
  closed: number;
  findings: number;
  revisions: number;
}

/** One fresh nats-server and `workers` worker processes; the file published back to back, or at `rate` events/s. */
async function endToEnd(workers: number, file: string, config: Config, rate?: number): Promise<Run> {
  const server = await startNatsServer();
  let nc: NatsConnection | undefined;
  const children: ChildProcess[] = [];
  try {
    nc = await connect({ servers: server.url });
    const layout = await openLayout(nc, PARTITIONS);
    for (const own of workers === 1 ? ['0-3'] : ['0-1', '2-3'])
      children.push(await startWorker(server.url, own));

    // Publish times of every event by host and event time, to time findings against.
    const published = new Map<string, number>();
    const latencies: number[] = [];
    const timed = new Set<string>();
    const later: number[] = [];
    let closed = 0;
    const finals = new Set<string>();
    let closing = false;
    const sub = nc.subscribe('ratchain.findings.>');
    const allIn = (async () => {
      for await (const m of sub) {
        const f = m.json<Finding>();
        finals.add(f.id);
        // A chain's final state comes from its window closing (event time moving on, or the
        // close-at-end watermark), not from an event: counted, not timed.
        if (m.headers?.get(FINDING_KIND_HEADER) === 'final') closed++;
        if (closing || m.headers?.get(FINDING_KIND_HEADER) === 'final') continue;
        const key = `${canonicalHost(f.host)}|${f.lastSeen}`;
        const at = published.get(key);
        if (at === undefined) continue;
        // A later revision with the same last step was not made by that step's event but by
        // event time moving on (a connection that stayed open long enough, a window): timing it
        // against that event would count the wait for time to pass, not the system's delay.
        if (timed.has(`${f.id}|${key}`)) later.push(performance.now() - at);
        else latencies.push(performance.now() - at);
        timed.add(`${f.id}|${key}`);
      }
    })();

    const start = performance.now();
    const pub = await publishInputs({
      nc,
      js: layout.js,
      config,
      partitions: PARTITIONS,
      inputs: [file],
      rate,
      onProblem: () => {},
      onPublished: (ev) => published.set(`${canonicalHost(ev.host)}|${ev.time}`, performance.now()),
    });
    await processed(layout, children);
    // Every event's findings are out: what follows comes from the close.
    closing = true;
    await publishClose(layout.js, config, PARTITIONS, pub.maxTime ?? 0);
    await processed(layout, children);
    const seconds = (performance.now() - start) / 1000;
    sub.unsubscribe();
    await allIn;
    latencies.sort((a, b) => a - b);
    later.sort((a, b) => a - b);
    const revisions = (await layout.jsm.streams.info(FINDINGS_STREAM)).state.messages;
    return { seconds, pub, latencies, later, closed, findings: finals.size, revisions };
  } finally {
    for (const c of children) {
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
    }
    await nc?.close();
    await server.stop();
  }
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const name = (what: string, w: number) => `stream e2e ${what}, ${w} worker${w > 1 ? 's' : ''} (JetStream)`;
  if (spawnSync('nats-server', ['--version']).status !== 0)
    return [1, 2].map((w) =>
      skippedRow(name('latency', w), `finding p99 < ${LATENCY_GOAL_MS} ms`, 'nats-server not installed'),
    );

  const hosts = Math.max(50, Math.round(800 * scale));
  const file = join(workDir, 'stream-fleet.xml');
  writeFileSync(file, `${fleetLines({ hosts, noise: 20, spacingMs: 20_000 }).join('\n')}\n`);
  const cfgR = loadConfig(undefined);
  if (!cfgR.ok) throw new Error('default config');
  const config = cfgR.config;

  // The baseline: `hunt` of the same file, a whole process like the workers.
  const base = mustRun(cli('hunt', '--json', file), { capture: true });
  const huntSeconds = base.wall;
  const expected = base.stdout.split('\n').filter(Boolean).length;

  const rows: BenchRow[] = [];
  for (const workers of [1, 2]) {
    const full = await endToEnd(workers, file, config);
    const saturated = full.pub.events / full.seconds;
    const offered = OFFERED_LOAD * saturated;
    const paced = await endToEnd(workers, file, config, offered);
    rows.push({
      name: name('throughput', workers),
      events: full.pub.events,
      seconds: full.seconds,
      baseline: 'hunt, 1 process',
      baselineSeconds: huntSeconds,
      figure: `${(huntSeconds / full.seconds).toFixed(2)}x hunt's events/s`,
      extra: {
        hosts,
        events_s: Math.round(saturated),
        publish_s: full.pub.seconds.toFixed(2),
        backlog_p99_ms: percentile(full.latencies, 0.99).toFixed(0),
        findings: `${full.findings}/${expected}`,
        revisions: full.revisions,
      },
    });
    const p99 = percentile(paced.latencies, 0.99);
    rows.push({
      name: name(`latency at ${OFFERED_LOAD * 100}% of saturation`, workers),
      events: paced.pub.events,
      seconds: paced.seconds,
      figure: `p99 ${p99.toFixed(0)} ms`,
      goal: `finding p99 < ${LATENCY_GOAL_MS} ms`,
      met: p99 < LATENCY_GOAL_MS,
      extra: {
        offered_events_s: Math.round(offered),
        finding_p50_ms: percentile(paced.latencies, 0.5).toFixed(1),
        timed: paced.latencies.length,
        finals_untimed: paced.closed,
        time_driven: paced.later.length
          ? `${paced.later.length} p99 ${percentile(paced.later, 0.99).toFixed(0)} ms`
          : '0',
        findings: `${paced.findings}/${expected}`,
      },
    });
  }
  return rows;
};

export default bench;
