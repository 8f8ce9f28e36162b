// `ratchain worker`: consume partitions of the events stream, run the engine, publish findings
// (src/stream/jetstream/worker.ts). Stops after its current batch on SIGINT/SIGTERM; after a
// SIGKILL a restart resumes from the last checkpoint. See docs/scale-out.md.
import { connect } from '@nats-io/transport-node';
import { openOutputs } from '../sinks/registry.ts';
import { sinkRequests } from '../sinks/sink-flags.ts';
import { openLayout } from '../stream/jetstream/streams.ts';
import { runWorker } from '../stream/jetstream/worker.ts';
import { LIVE_SINKS } from './commands/sink-options.ts';
import type { WorkerFlags } from './commands/worker.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';
import { statusLines } from './status-lines.ts';

/** "0,2,5-7" → [0, 2, 5, 6, 7]; undefined when malformed or out of range. */
export function parsePartitionList(s: string, partitions: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a > b || b >= partitions) return undefined;
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

export async function runWorkerCommand(o: WorkerFlags, io: CliIO): Promise<number> {
  const config = await loadConfigOrExit(o.config, io);
  if (!config) return EXIT.usage;
  const partitions = Number(o.partitions);
  const batch = Number(o.batch);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024 || !(batch >= 1)) {
    io.stderr.write('ratchain: --partitions must be 1..1024 and --batch at least 1\n');
    return EXIT.usage;
  }
  const own = o.own ? parsePartitionList(o.own, partitions) : [...Array(partitions).keys()];
  if (!own) {
    io.stderr.write(`ratchain: --own "${o.own}" is not a list of partitions below ${partitions}\n`);
    return EXIT.usage;
  }
  const status = statusLines(io.stderr, !!o.quiet);
  const say = status.say;
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({
      servers: o.server,
      name: `ratchain-worker-${own.join('_')}`,
      maxReconnectAttempts: -1,
    });
  } catch (e) {
    io.stderr.write(`ratchain: cannot connect to ${o.server}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const requests = sinkRequests(o, LIVE_SINKS);
  if (o.json) requests.push({ sink: 'ndjson', path: '-' });
  const out = openOutputs(requests, { live: true, stdout: io.stdout });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const layout = await openLayout(nc, partitions);
    say(`worker for partitions ${own.join(',')} of ${partitions}`);
    status.flush(); // before the catalogue's own lines
    await runWorker({
      nc,
      layout,
      config,
      catalog: await loadCatalogOrReport(config, io),
      own,
      batch,
      signal: stop.signal,
      onLog: say,
      onFinding(f, p) {
        out.write(f);
        say(`p${p} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`);
      },
    });
    say('stopped after checkpointing');
    return EXIT.ok;
  } catch (e) {
    status.tell((e as Error).message);
    return EXIT.usage;
  } finally {
    status.flush();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await nc.drain().catch(() => {});
    out.close();
  }
}
