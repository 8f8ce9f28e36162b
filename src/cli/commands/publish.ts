// `ratchain publish`: its options; the work (and the NATS client) is in ../publish.ts.
import { Command } from 'commander';
import type { CliContext } from '../io.ts';

export interface PublishFlags {
  config?: string;
  format?: string;
  host?: string;
  server: string;
  partitions: string;
  closeAtEnd?: boolean;
  quiet?: boolean;
}

export function publishCommand(ctx: CliContext): Command {
  return new Command('publish')
    .description('read inputs and publish normalized events to NATS JetStream, partitioned by host')
    .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin')
    .option('-c, --config <file>', 'YAML config (HostAliases route flows; Lateness bounds the merge)')
    .option('-f, --format <id>', 'force the input format instead of detecting it (`ratchain formats`)')
    .option(
      '--host <name>',
      'host for records that name none (eslogger, auditd without node=); else the file name or sibling inputs',
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
