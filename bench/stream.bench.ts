// End-to-end through NATS JetStream with 1 and 2 worker processes (publish → partitioned stream
// → `ratchain worker` processes → findings stream), against `ratchain hunt` of the same file (a
// whole process too); and the time from publishing the event that completes or changes a chain to
// that finding arriving on the findings stream (p50, p99). Needs a real nats-server; without
// one the rows say so and are skipped.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { loadConfig } from '../src/config/load.ts';
import type { Finding } from '../src/model/finding.ts';
import { loadCheckpoint } from '../src/stream/jetstream/checkpoint.ts';
import { canonicalHost } from '../src/stream/jetstream/partition.ts';
import { publishInputs } from '../src/stream/jetstream/publish.ts';
import {
  EVENTS_STREAM,
  eventsSubject,
  FINDINGS_STREAM,
  openLayout,
} from '../src/stream/jetstream/streams.ts';
import { fleetLines } from '../test/fixtures/stream/fleet.ts';
import { startNatsServer } from '../test/stream/nats-server.ts';
import { cli, mustRun } from './process.ts';
import { type Benchmark, type BenchRow, skippedRow } from './row.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const PARTITIONS = 4;
/** From publishing the event that completes or changes a chain to its finding on the stream. */
const LATENCY_GOAL_MS = 1000;

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function startWorker(url: string, own: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist/ratchain.mjs'),
      'worker',
      '-s',
      url,
      '-n',
      String(PARTITIONS),
      '--own',
      own,
      '--batch',
      '1000',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Ready once every owned partition has opened its consumer.
  const want = own.split('-').length === 2 ? Number(own.split('-')[1]) - Number(own.split('-')[0]) + 1 : 1;
  return new Promise((resolve, reject) => {
    let seen = 0;
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      seen = (log.match(/starting from|resuming/g) ?? []).length;
      if (seen >= want) resolve(child);
    });
    child.once('exit', (c) => reject(new Error(`worker exited ${c}: ${log}`)));
  });
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const name = (w: number) => `stream e2e, ${w} worker${w > 1 ? 's' : ''} (JetStream)`;
  if (spawnSync('nats-server', ['--version']).status !== 0)
    return [1, 2].map((w) =>
      skippedRow(name(w), `finding p99 < ${LATENCY_GOAL_MS} ms`, 'nats-server not installed'),
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
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const children: ChildProcess[] = [];
    try {
      const layout = await openLayout(nc, PARTITIONS);
      for (const own of workers === 1 ? ['0-3'] : ['0-1', '2-3'])
        children.push(await startWorker(server.url, own));

      // Publish times of every event by host and event time, to time findings against.
      const published = new Map<string, number>();
      const latencies: number[] = [];
      const finals = new Set<string>();
      const sub = nc.subscribe('ratchain.findings.>');
      const allIn = (async () => {
        for await (const m of sub) {
          const f = m.json<Finding>();
          finals.add(f.id);
          const at = published.get(`${canonicalHost(f.host)}|${f.lastSeen}`);
          if (at !== undefined) latencies.push(performance.now() - at);
        }
      })();

      const start = performance.now();
      const pub = await publishInputs({
        nc,
        js: layout.js,
        config,
        partitions: PARTITIONS,
        inputs: [file],
        closeAtEnd: true,
        onProblem: () => {},
        onPublished: (ev) => published.set(`${canonicalHost(ev.host)}|${ev.time}`, performance.now()),
      });
      // Done when every partition's checkpoint (saved after its findings are acknowledged)
      // has reached the partition's last message, the close-at-end watermark.
      for (let p = 0; p < PARTITIONS; p++) {
        const last =
          (await layout.jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventsSubject(p) }))?.seq ?? 0;
        while (((await loadCheckpoint(layout.kv, p))?.last ?? 0) < last)
          await new Promise((r) => setTimeout(r, 10));
      }
      const seconds = (performance.now() - start) / 1000;
      sub.unsubscribe();
      await allIn;
      const stored = (await layout.jsm.streams.info(FINDINGS_STREAM)).state.messages;
      latencies.sort((a, b) => a - b);
      const p99 = percentile(latencies, 0.99);
      rows.push({
        name: name(workers),
        events: pub.events,
        seconds,
        baseline: 'hunt, 1 process',
        baselineSeconds: huntSeconds,
        figure: `p99 ${p99.toFixed(0)} ms`,
        goal: `finding p99 < ${LATENCY_GOAL_MS} ms`,
        met: p99 < LATENCY_GOAL_MS,
        extra: {
          hosts,
          events_s_vs_hunt: (huntSeconds / seconds).toFixed(2),
          publish_s: pub.seconds.toFixed(2),
          finding_p50_ms: percentile(latencies, 0.5).toFixed(1),
          findings: `${finals.size}/${expected}`,
          revisions: stored,
        },
      });
    } finally {
      for (const c of children) {
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await gone;
      }
      await nc.close();
      await server.stop();
    }
  }
  return rows;
};

export default bench;
