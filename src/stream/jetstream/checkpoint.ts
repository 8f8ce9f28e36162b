// A worker's checkpoint per partition: `last`, the stream sequence of the last event whose
// effects (findings) are safely published, and `low`, the sequence to replay from so the engine
// state is rebuilt: every event before `low` is older than anything the engine still holds
// (chains close after TimeWindow+Lateness, process lineage after at most max(4x that, 1 h)).
// A restarted worker replays [low, last] with its output muted, then carries on.
import type { KV } from '@nats-io/kv';

export interface Checkpoint {
  low: number;
  last: number;
  /** Newest event time at `last` (ms), for operators. */
  maxTime?: number;
  savedAt: string;
}

const key = (p: number) => `p${p}`;

export async function loadCheckpoint(kv: KV, partition: number): Promise<Checkpoint | undefined> {
  const e = await kv.get(key(partition));
  if (e?.operation !== 'PUT' || e.value.length === 0) return undefined;
  try {
    const c = e.json<Checkpoint>();
    return Number.isInteger(c.low) && Number.isInteger(c.last) ? c : undefined;
  } catch {
    return undefined;
  }
}

export async function saveCheckpoint(kv: KV, partition: number, c: Checkpoint): Promise<void> {
  await kv.put(key(partition), JSON.stringify(c));
}

/**
 * Tracks where replay must start. A mark is taken at most once per `stepMs` of event time:
 * (first sequence after it, newest event time before it). Every event before a mark is at most
 * that old, so once the newest time is `retainMs` past a mark, the mark is a safe start.
 */
export class ReplayLow {
  private marks: Array<{ seq: number; before: number }> = [];
  private maxTime = Number.NEGATIVE_INFINITY;
  private lastMarkTime = Number.NEGATIVE_INFINITY;
  constructor(
    private low: number,
    private readonly retainMs: number,
    private readonly stepMs = Math.max(1000, retainMs / 512),
  ) {}

  /** Called before processing the event at `seq` with event time `time` (NaN for controls). */
  see(seq: number, time: number): void {
    if (this.maxTime - this.lastMarkTime >= this.stepMs || this.marks.length === 0) {
      this.marks.push({ seq, before: this.maxTime });
      this.lastMarkTime = this.maxTime;
    }
    if (time > this.maxTime) this.maxTime = time;
    const horizon = this.maxTime - this.retainMs;
    while (this.marks.length > 1 && this.marks[1].before < horizon) this.marks.shift();
    if (this.marks.length && this.marks[0].before < horizon) this.low = Math.max(this.low, this.marks[0].seq);
  }

  value(): number {
    return this.low;
  }

  newest(): number | undefined {
    return Number.isFinite(this.maxTime) ? this.maxTime : undefined;
  }
}
