// `ratchain publish`: its options; the work (and the NATS client) is in ../publish.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';
import { addInputOptions, type InputFlags } from './input-options.ts';

export interface PublishFlags extends InputFlags {
  server: string;
  partitions: string;
  closeAtEnd?: boolean;
  quiet?: boolean;
}

export function publishCommand(ctx: CliContext): Command {
  // Only how inputs are read: the workers judge the events (their config, catalogue, networks).
  return addInputOptions(
    new Command('publish')
      .description('read inputs and publish normalized events to NATS JetStream, partitioned by host')
      .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin'),
    ['config', 'format', 'host'],
  )
    .option('-s, --server <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('-n, --partitions <n>', 'number of partitions (must match the workers)', '4')
    .option('--close-at-end', 'when done, send a watermark that closes every open chain (finite data sets)')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (inputs: string[], o: PublishFlags) => {
      const { runPublishCommand } = await import('../publish.ts');
      ctx.exitCode = await runPublishCommand(inputs, o, ctx);
    });
}
