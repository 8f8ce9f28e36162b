// `ratchain publish`: parse inputs at the edge and publish normalized events to JetStream,
// partitioned by host (src/stream/jetstream/publish.ts). See docs/scale-out.md.
import { Command } from 'commander';
import { connect } from 'nats';
import { publishInputs } from '../stream/jetstream/publish.ts';
import { openLayout } from '../stream/jetstream/streams.ts';
import { loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';

interface PublishFlags {
  config?: string;
  format?: string;
  server: string;
  partitions: string;
  closeAtEnd?: boolean;
  quiet?: boolean;
}

export function publishCommand(): Command {
  return new Command('publish')
    .description('read inputs and publish normalized events to NATS JetStream, partitioned by host')
    .argument('<inputs...>', 'files, directories (recursive), globs, .gz, or - for stdin')
    .option('-c, --config <file>', 'YAML config (HostAliases route flows; Lateness bounds the merge)')
    .option('-f, --format <id>', 'force the input format instead of detecting it')
    .option('-s, --server <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('-n, --partitions <n>', 'number of partitions (must match the workers)', '4')
    .option('--close-at-end', 'when done, send a watermark that closes every open chain (finite data sets)')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (inputs: string[], o: PublishFlags) => {
      process.exitCode = await runPublishCommand(inputs, o);
    });
}

export async function runPublishCommand(inputs: string[], o: PublishFlags): Promise<number> {
  const config = loadConfigOrExit(o.config);
  if (!config) return EXIT.usage;
  const partitions = Number(o.partitions);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    process.stderr.write('ratchain: --partitions must be an integer from 1 to 1024\n');
    return EXIT.usage;
  }
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({ servers: o.server, name: 'ratchain-publish' });
  } catch (e) {
    process.stderr.write(`ratchain: cannot connect to ${o.server}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  try {
    const layout = await openLayout(nc, partitions);
    const s = await publishInputs({
      nc,
      js: layout.js,
      config,
      partitions,
      inputs,
      format: o.format,
      closeAtEnd: o.closeAtEnd,
      onProblem: (p) =>
        process.stderr.write(
          `ratchain: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}\n`,
        ),
    });
    if (!o.quiet)
      process.stderr.write(
        `ratchain: published ${s.events} events in ${s.seconds.toFixed(2)} s (${Math.round(s.events / Math.max(s.seconds, 1e-3))}/s); per partition ${s.perPartition.join(' ')}; ${s.late} late, ${s.problems} problems\n`,
      );
    return s.events === 0 && s.problems > 0 ? EXIT.usage : EXIT.ok;
  } catch (e) {
    process.stderr.write(`ratchain: ${(e as Error).message}\n`);
    return EXIT.usage;
  } finally {
    await nc.drain();
  }
}
