// `ratchain worker`: its options; the work (and the NATS client) is in ../worker.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';
import { addSinkOptions, LIVE_SINKS, type LiveOutputFlags } from './sink-options.ts';

export interface WorkerFlags extends LiveOutputFlags {
  config?: string;
  server: string;
  partitions: string;
  own?: string;
  batch: string;
  json?: boolean;
  quiet?: boolean;
}

export function workerCommand(ctx: CliContext): Command {
  const cmd = new Command('worker')
    .description('consume event partitions from NATS JetStream, detect chains, publish findings')
    .option('-c, --config <file>', 'YAML config (every worker should use the same one)')
    .option('-s, --server <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('-n, --partitions <n>', 'number of partitions (must match the publishers)', '4')
    .option('--own <list>', 'partitions this worker consumes, e.g. 0,1 or 2-3 (default: all)')
    .option('--batch <n>', 'messages per fetch and per checkpoint', '500')
    .option('--json', 'also print findings as NDJSON on stdout');
  return addSinkOptions(cmd, LIVE_SINKS, 'append')
    .option('-q, --quiet', 'no log lines on stderr')
    .action(async (o: WorkerFlags) => {
      const { runWorkerCommand } = await import('../worker.ts');
      ctx.exitCode = await runWorkerCommand(o, ctx);
    });
}
