// `ratchain publish`: parse inputs at the edge and publish normalized events to JetStream,
// partitioned by host (src/stream/jetstream/publish.ts). See docs/scale-out.md.
import { connect } from '@nats-io/transport-node';
import { describeHostNote } from '../ingest/host-hint.ts';
import { publishInputs } from '../stream/jetstream/publish.ts';
import { openLayout } from '../stream/jetstream/streams.ts';
import type { PublishFlags } from './commands/publish.ts';
import { EXIT } from './exit.ts';
import { resolveInputs } from './input-flags.ts';
import type { CliIO } from './io.ts';

export async function runPublishCommand(inputs: string[], o: PublishFlags, io: CliIO): Promise<number> {
  const resolved = await resolveInputs(o, io);
  if (!resolved) return EXIT.usage;
  const { config } = resolved;
  const partitions = Number(o.partitions);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    io.stderr.write('ratchain: --partitions must be an integer from 1 to 1024\n');
    return EXIT.usage;
  }
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({ servers: o.server, name: 'ratchain-publish' });
  } catch (e) {
    io.stderr.write(`ratchain: cannot connect to ${o.server}: ${(e as Error).message}\n`);
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
      format: resolved.format,
      defaultHost: resolved.defaultHost,
      closeAtEnd: o.closeAtEnd,
      onProblem: (p) =>
        io.stderr.write(`ratchain: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}\n`),
    });
    if (!o.quiet) {
      io.stderr.write(
        `ratchain: published ${s.events} events in ${s.seconds.toFixed(2)} s (${Math.round(s.events / Math.max(s.seconds, 1e-3))}/s); per partition ${s.perPartition.join(' ')}; ${s.late} late, ${s.problems} problems\n`,
      );
      for (const h of s.hosts) io.stderr.write(`ratchain: hosts: ${h.input}: ${describeHostNote(h)}\n`);
    }
    return s.events === 0 && s.problems > 0 ? EXIT.usage : EXIT.ok;
  } catch (e) {
    io.stderr.write(`ratchain: ${(e as Error).message}\n`);
    return EXIT.usage;
  } finally {
    await nc.drain();
  }
}
