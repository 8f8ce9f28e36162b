// The edge: reads inputs through the one pipeline (src/ingest/pipeline.ts) as `hunt` does, and
// publishes each normalized event as JSON to its host's partition subject. Most events go out as plain publishes (JetStream stores them; no round trip each),
// and every `ackEvery`-th one, and the last, as an acknowledged JetStream publish: messages of one
// connection are stored in order, so each acknowledgement confirms everything sent before it, and
// waiting for them bounds what the client can have buffered, so a slow server slows the
// publisher down instead of growing memory. With `closeAtEnd`, a watermark
// past the last event is sent to every partition when the inputs are done, which closes every
// open chain (use it for finite data sets; a live publisher leaves it off).
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from '../../config/schema.ts';
import type { HostNote } from '../../ingest/host-hint.ts';
import { type EventStage, runPipeline } from '../../ingest/pipeline.ts';
import type { Problem } from '../../ingest/reader.ts';
import type { RatEvent } from '../../model/event.ts';
import { createRouter } from './partition.ts';
import { eventsSubject, WATERMARK_HEADER } from './streams.ts';

export interface PublishOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  config: Config;
  partitions: number;
  inputs: string[];
  format?: string;
  /** Host for events whose sensor names none (--host). */
  defaultHost?: string;
  /** Extra pipeline stages (src/ingest/pipeline.ts). */
  stages?: () => EventStage[];
  /** One publish in this many waits for a JetStream acknowledgement (1: all of them). */
  ackEvery?: number;
  /** Acknowledged publishes in flight at once. */
  window?: number;
  closeAtEnd?: boolean;
  /** Publish at most this many events per second (a data set replayed at a live rate); unpaced when absent. */
  rate?: number;
  onProblem(p: Problem): void;
  /** Sees every event with its partition, after it was handed to the client. */
  onPublished?(ev: RatEvent, partition: number): void;
}

export interface PublishSummary {
  events: number;
  late: number;
  /** Events published behind later ones of the same input (the workers' lateness applies). */
  outOfOrder: number;
  /** Events quarantined for being dated in the future. */
  future: number;
  problems: number;
  perPartition: number[];
  maxTime?: number;
  seconds: number;
  /** Inputs whose records named no host: which host they were given and why, or why none. */
  hosts: HostNote[];
}

/** Publishes a watermark (control message, no body) to one partition. */
export function publishWatermark(js: JetStreamClient, partition: number, time: number): Promise<PubAck> {
  const h = headers();
  h.set(WATERMARK_HEADER, String(time));
  return js.publish(eventsSubject(partition), new Uint8Array(0), { headers: h });
}

/** Closes every open chain of every partition: a watermark past every chain's window after `maxTime`. */
export async function publishClose(
  js: JetStreamClient,
  config: Config,
  partitions: number,
  maxTime: number,
): Promise<void> {
  // Past every chain's window and the engine's sweep interval: every chain closes.
  const t = maxTime + config.TimeWindow + config.Lateness + 61_000;
  await Promise.all(Array.from({ length: partitions }, (_, p) => publishWatermark(js, p, t)));
}

/** Waits until event number `n` is due at `rate` events/s from `started` (ms, performance.now()). */
async function paced(started: number, n: number, rate: number): Promise<void> {
  const wait = started + (n / rate) * 1000 - performance.now();
  // Timers are not finer than a millisecond: a few events go out together.
  if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
}

export async function publishInputs(o: PublishOptions): Promise<PublishSummary> {
  const started = performance.now();
  const router = createRouter(o.config, o.partitions);
  const ackEvery = Math.max(1, o.ackEvery ?? 256);
  const window = o.window ?? 8;
  const perPartition = new Array<number>(o.partitions).fill(0);
  let problems = 0;
  const onProblem = (p: Problem) => {
    problems++;
    o.onProblem(p);
  };
  const enc = new TextEncoder();
  let pending: Array<Promise<PubAck>> = [];
  let events = 0;
  let maxTime = Number.NEGATIVE_INFINITY;
  let sinceAck = 0;
  // Events already published cannot be taken back: an input out of order is passed through
  // (counted), and the workers apply lateness per partition as any live consumer does.
  const pipe = await runPipeline(
    {
      paths: o.inputs,
      format: o.format,
      defaultHost: o.defaultHost,
      lateness: o.config.Lateness,
      onDisorder: 'pass',
      stages: o.stages,
      onProblem,
    },
    () => async (batch) => {
      for (let i = 0; i < batch.length; i++) {
        if (o.rate) await paced(started, events, o.rate);
        const ev = batch[i];
        const p = router.partition(ev);
        const subject = eventsSubject(p);
        const data = enc.encode(JSON.stringify(ev));
        // The last event of each batch is acknowledged too: a live input may pause after it.
        if (++sinceAck >= ackEvery || i === batch.length - 1) {
          sinceAck = 0;
          pending.push(o.js.publish(subject, data));
          if (pending.length >= window) {
            await Promise.all(pending);
            pending = [];
          }
        } else o.nc.publish(subject, data);
        perPartition[p]++;
        events++;
        if (ev.time > maxTime) maxTime = ev.time;
        o.onPublished?.(ev, p);
      }
    },
  );
  await Promise.all(pending);
  if (o.closeAtEnd && Number.isFinite(maxTime)) await publishClose(o.js, o.config, o.partitions, maxTime);
  return {
    events,
    late: 0,
    outOfOrder: pipe.outOfOrder,
    future: pipe.future,
    problems,
    perPartition,
    maxTime: Number.isFinite(maxTime) ? maxTime : undefined,
    seconds: (performance.now() - started) / 1000,
    hosts: pipe.hosts,
  };
}
