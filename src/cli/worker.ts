// `ratchain worker`: consume partitions of the events stream, run the engine, publish findings
// (src/stream/jetstream/worker.ts). Stops after its current batch on SIGINT/SIGTERM; after a
// SIGKILL a restart resumes from the last checkpoint. See docs/scale-out.md.
import { Command } from 'commander';
import { connect } from 'nats';
import { findingLine } from '../sinks/ndjson.ts';
import { openLayout } from '../stream/jetstream/streams.ts';
import { runWorker } from '../stream/jetstream/worker.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';

interface WorkerFlags {
  config?: string;
  server: string;
  partitions: string;
  own?: string;
  batch: string;
  json?: boolean;
  quiet?: boolean;
}

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

export function workerCommand(): Command {
  return new Command('worker')
    .description('consume event partitions from NATS JetStream, detect chains, publish findings')
    .option('-c, --config <file>', 'YAML config (every worker should use the same one)')
    .option('-s, --server <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('-n, --partitions <n>', 'number of partitions (must match the publishers)', '4')
    .option('--own <list>', 'partitions this worker consumes, e.g. 0,1 or 2-3 (default: all)')
    .option('--batch <n>', 'messages per fetch and per checkpoint', '500')
    .option('--json', 'also print findings as NDJSON on stdout')
    .option('-q, --quiet', 'no log lines on stderr')
    .action(async (o: WorkerFlags) => {
      process.exitCode = await runWorkerCommand(o);
    });
}

export async function runWorkerCommand(o: WorkerFlags): Promise<number> {
  const config = loadConfigOrExit(o.config);
  if (!config) return EXIT.usage;
  const partitions = Number(o.partitions);
  const batch = Number(o.batch);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024 || !(batch >= 1)) {
    process.stderr.write('ratchain: --partitions must be 1..1024 and --batch at least 1\n');
    return EXIT.usage;
  }
  const own = o.own ? parsePartitionList(o.own, partitions) : [...Array(partitions).keys()];
  if (!own) {
    process.stderr.write(`ratchain: --own "${o.own}" is not a list of partitions below ${partitions}\n`);
    return EXIT.usage;
  }
  const say = (s: string) => {
    if (!o.quiet) process.stderr.write(`ratchain: ${s}\n`);
  };
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({
      servers: o.server,
      name: `ratchain-worker-${own.join('_')}`,
      maxReconnectAttempts: -1,
    });
  } catch (e) {
    process.stderr.write(`ratchain: cannot connect to ${o.server}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const layout = await openLayout(nc, partitions);
    say(`worker for partitions ${own.join(',')} of ${partitions}`);
    await runWorker({
      nc,
      layout,
      config,
      catalog: loadCatalogOrReport(config),
      own,
      batch,
      signal: stop.signal,
      onLog: say,
      onFinding(f, p) {
        if (o.json) process.stdout.write(findingLine(f));
        say(`p${p} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`);
      },
    });
    say('stopped after checkpointing');
    return EXIT.ok;
  } catch (e) {
    process.stderr.write(`ratchain: ${(e as Error).message}\n`);
    return EXIT.usage;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await nc.drain().catch(() => {});
  }
}
