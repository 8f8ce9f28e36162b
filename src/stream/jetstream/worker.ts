// A worker owns some partitions of the events stream. Per partition it keeps one live engine, fed
// in stream order by a durable pull consumer, and publishes findings to the findings stream with
// message id `${id}:${revision}` (JetStream drops a re-sent one inside the duplicate window).
// After each batch, once its findings are acknowledged, it checkpoints {low, last} to the KV
// bucket. On start it replays from `low` with its output muted up to `last`: the engine is
// deterministic (no wall clock), so the replay rebuilds the same state and the same finding
// revisions, and nothing is lost or published twice, even after SIGKILL.
import { AckPolicy, type Consumer, DeliverPolicy, type JsMsg, type PubAck } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { Catalog } from '../../catalog/types.ts';
import type { Config } from '../../config/schema.ts';
import type { RatEvent } from '../../model/event.ts';
import type { Finding } from '../../model/finding.ts';
import { createLiveEngine } from '../live-engine.ts';
import { type Checkpoint, loadCheckpoint, ReplayLow, saveCheckpoint } from './checkpoint.ts';
import {
  consumerName,
  EVENTS_STREAM,
  eventsSubject,
  FINDING_KIND_HEADER,
  findingsSubject,
  type Layout,
  WATERMARK_HEADER,
} from './streams.ts';

export interface WorkerOptions {
  nc: NatsConnection;
  layout: Layout;
  config: Config;
  catalog: Catalog;
  /** Partitions this worker consumes. */
  own: number[];
  /** Messages per fetch (and per checkpoint). */
  batch?: number;
  /** Event-time reorder window inside one partition, ms. */
  reorderMs?: number;
  signal: AbortSignal;
  onFinding?(f: Finding, partition: number): void;
  onLog?(message: string): void;
  /** After each checkpoint (tests and benchmarks). */
  onCheckpoint?(partition: number, c: Checkpoint, events: number): void;
}

function isEvent(v: unknown): v is RatEvent {
  const e = v as RatEvent;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.kind === 'string' &&
    typeof e.time === 'number' &&
    typeof e.host === 'string' &&
    typeof e.src === 'object'
  );
}

/** Consumes the owned partitions until the signal aborts. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  await Promise.all(o.own.map((p) => runPartition(o, p)));
}

async function openConsumer(o: WorkerOptions, p: number, from: number): Promise<Consumer> {
  const { jsm, js } = o.layout;
  const name = consumerName(p);
  // The checkpoint, not the consumer's ack floor, says where to start: recreate it there.
  try {
    await jsm.consumers.delete(EVENTS_STREAM, name);
  } catch {}
  await jsm.consumers.add(EVENTS_STREAM, {
    durable_name: name,
    filter_subject: eventsSubject(p),
    ack_policy: AckPolicy.All,
    max_ack_pending: 100_000,
    ...(from > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from }
      : { deliver_policy: DeliverPolicy.All }),
  });
  return js.consumers.get(EVENTS_STREAM, name);
}

async function runPartition(o: WorkerOptions, p: number): Promise<void> {
  const { js, kv } = o.layout;
  const cp = await loadCheckpoint(kv, p);
  const muteUpTo = cp?.last ?? 0;
  const consumer = await openConsumer(o, p, cp?.low ?? 0);
  if (cp)
    o.onLog?.(`partition ${p}: resuming; replaying from sequence ${cp.low}, output muted up to ${cp.last}`);
  else o.onLog?.(`partition ${p}: starting from the beginning of the stream`);

  const expiry = o.config.TimeWindow + o.config.Lateness;
  const replay = new ReplayLow(cp?.low ?? 0, Math.max(4 * expiry, 3_600_000) + o.config.Lateness);
  let seq = 0;
  let events = 0;
  let bad = 0;
  let pubs: Array<Promise<PubAck>> = [];
  const enc = new TextEncoder();
  const live = createLiveEngine({
    config: o.config,
    catalog: o.catalog,
    reorderMs: o.reorderMs ?? 5_000,
    capacity: 200_000,
    onFinding(f, kind) {
      if (seq <= muteUpTo) return; // published before the restart
      const h = headers();
      h.set(FINDING_KIND_HEADER, kind);
      const ack = js.publish(findingsSubject(p), enc.encode(JSON.stringify(f)), {
        msgID: `${f.id}:${f.revision}`,
        headers: h,
      });
      pubs.push(ack);
      // Past the checkpoint a replay publishes again what went out before a crash: the stream
      // drops it as a duplicate, and so does this worker's own output (--json, sinks).
      ack.then(
        (a) => {
          if (!a.duplicate) o.onFinding?.(f, p);
        },
        () => {},
      );
    },
  });

  const batch = o.batch ?? 500;
  let sinceCheckpoint: JsMsg | undefined;
  let uncommitted = 0;
  let lastMessageAt = 0;
  const commit = async () => {
    const m = sinceCheckpoint;
    if (!m) return;
    sinceCheckpoint = undefined;
    uncommitted = 0;
    const out = pubs;
    pubs = [];
    const c: Checkpoint = {
      low: replay.value(),
      last: Math.max(seq, muteUpTo),
      maxTime: replay.newest(),
      savedAt: new Date().toISOString(),
    };
    // Findings first, then the checkpoint that says they are out, then the ack.
    await Promise.all(out);
    await saveCheckpoint(kv, p, c);
    m.ack();
    o.onCheckpoint?.(p, c, events);
  };
  // Commits run one at a time, and the message loop waits for a running one, so a checkpoint
  // always describes exactly the messages processed before it.
  let committing: Promise<void> = Promise.resolve();
  let commitQueued = false;
  let failure: unknown;
  const commitNow = (): Promise<void> => {
    if (!commitQueued) {
      commitQueued = true;
      committing = committing.then(commit).finally(() => {
        commitQueued = false;
      });
      committing.catch((e) => {
        failure ??= e;
        msgs.stop();
      });
    }
    return committing;
  };

  // One continuous pull (not repeated fetches: a fetch that expires can leave messages the
  // server already sent undelivered, and acking past them would lose them).
  const msgs = await consumer.consume({ max_messages: Math.max(batch * 2, 100) });
  // Checkpoint every `batch` messages, and when the stream has been quiet for a moment.
  const idle = setInterval(() => {
    if (sinceCheckpoint && Date.now() - lastMessageAt >= 50) commitNow();
  }, 50);
  const stop = () => msgs.stop();
  o.signal.addEventListener('abort', stop, { once: true });
  if (o.signal.aborted) msgs.stop();
  try {
    for await (const m of msgs) {
      if (commitQueued) await committing;
      if (m.seq <= seq) continue; // a redelivery of what was already processed
      seq = m.seq;
      sinceCheckpoint = m;
      uncommitted++;
      lastMessageAt = Date.now();
      const wm = m.headers?.get(WATERMARK_HEADER);
      if (wm) {
        replay.see(seq, Number.NaN);
        const t = Number(wm);
        if (Number.isFinite(t)) live.advance(t);
      } else {
        let ev: unknown;
        try {
          ev = m.json();
        } catch {}
        if (isEvent(ev)) {
          replay.see(seq, ev.time);
          live.push(ev);
          events++;
        } else if (bad++ < 10) o.onLog?.(`partition ${p}: message ${seq} is not an event; skipped`);
      }
      if (uncommitted >= batch) await commitNow();
    }
  } finally {
    clearInterval(idle);
    o.signal.removeEventListener('abort', stop);
  }
  await commitNow();
  if (failure) throw failure;
}
