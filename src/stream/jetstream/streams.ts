// The JetStream layout every publisher and worker agrees on: one events stream with a subject
// per partition, one findings stream that drops duplicate message ids, and a key-value bucket
// for worker checkpoints (which also records the partition count, so a publisher and a worker
// started with different counts refuse to run instead of splitting hosts wrongly).
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

export const EVENTS_STREAM = 'RATCHAIN_EVENTS';
export const FINDINGS_STREAM = 'RATCHAIN_FINDINGS';
export const CHECKPOINT_BUCKET = 'ratchain_checkpoints';
/** Header on a control message: nothing older than this event time (ms) will follow. */
export const WATERMARK_HEADER = 'Ratchain-Watermark';
/** Header on a published finding: `update` (a change an event made) or `final` (its chain closed). */
export const FINDING_KIND_HEADER = 'Ratchain-Kind';

export const eventsSubject = (p: number) => `ratchain.events.${p}`;
export const findingsSubject = (p: number) => `ratchain.findings.${p}`;
export const consumerName = (p: number) => `ratchain-worker-p${p}`;

export interface StreamOptions {
  /** How long events are kept (a worker can only replay what is still there). */
  eventsMaxAgeMs: number;
  /** Findings re-sent within this window (a restarted worker) are dropped by message id. */
  duplicateWindowMs: number;
}

export const STREAM_DEFAULTS: StreamOptions = {
  eventsMaxAgeMs: 24 * 3_600_000,
  duplicateWindowMs: 15 * 60_000,
};

export interface Layout {
  js: JetStreamClient;
  jsm: JetStreamManager;
  kv: KV;
}

async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subjects: string[],
  extra: object,
): Promise<void> {
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add({ name, subjects, ...extra });
    } catch (e) {
      // Another process created it first.
      if (!/already in use|exists/i.test((e as Error).message)) throw e;
    }
  }
}

/** Creates what is missing and checks the partition count against the one recorded. */
export async function openLayout(
  nc: NatsConnection,
  partitions: number,
  o = STREAM_DEFAULTS,
): Promise<Layout> {
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, EVENTS_STREAM, ['ratchain.events.*'], { max_age: nanos(o.eventsMaxAgeMs) });
  await ensureStream(jsm, FINDINGS_STREAM, ['ratchain.findings.*'], {
    duplicate_window: nanos(o.duplicateWindowMs),
  });
  const js = jetstream(nc);
  const kv = await new Kvm(js).create(CHECKPOINT_BUCKET, { history: 1 });
  const recorded = await kv.get('partitions');
  if (recorded && recorded.operation === 'PUT' && recorded.value.length) {
    const n = Number(recorded.string());
    if (n !== partitions)
      throw new Error(
        `the stream is partitioned ${n} ways; start with --partitions ${n} (got ${partitions})`,
      );
  } else {
    try {
      await kv.create('partitions', String(partitions));
    } catch {
      const again = await kv.get('partitions');
      if (again && Number(again.string()) !== partitions)
        throw new Error(`the stream is partitioned ${again.string()} ways; got --partitions ${partitions}`);
    }
  }
  return { js, jsm, kv };
}
