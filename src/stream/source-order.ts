// How far, in event time, each source feeding one lane has delivered in order. A lane holds
// events so that a slower source's earlier events can still overtake them; once every source
// feeding the lane has passed a time, nothing earlier can come from them, so what is held up to
// there can go to the engine at once instead of waiting out the wall-clock hold. A source that
// delivers an event older than one it delivered before is out of order: while it feeds the lane,
// its marks promise nothing and the lane waits for the hold as before.
//
// The limit: a source that has never fed a lane (or was forgotten) cannot be waited for. Its
// first events older than what the lane has released meet the engine directly, as events do
// that arrive after the hold has let newer ones through.

interface Mark {
  /** Newest event time delivered. */
  upTo: number;
  /** Wall time of the last delivery. */
  at: number;
  inOrder: boolean;
}

export type SourceMarks = Map<string, Mark>;

/** Sources tracked per lane; past it, newcomers share one entry that is never in order. */
export const MAX_SOURCES_PER_LANE = 16;
const OVERFLOW = '\0more sources';

/**
 * A source silent on a lane this long (wall time) is no longer waited for: one that stopped, or
 * now sends under another name, would otherwise keep its lanes on the full hold for good. Long
 * against any hold (a second, by default), so a source that only pauses is still waited for.
 */
export const SOURCE_GONE_MS = 5 * 60_000;

/** Records that `source` delivered an event of time `time` at wall time `at`. */
export function noteDelivery(marks: SourceMarks, source: string, time: number, at: number): void {
  let key = source;
  if (!marks.has(key) && marks.size >= MAX_SOURCES_PER_LANE) key = OVERFLOW;
  const m = marks.get(key);
  if (!m) {
    marks.set(key, { upTo: time, at, inOrder: key !== OVERFLOW });
    return;
  }
  m.at = at;
  if (time < m.upTo) m.inOrder = false;
  else m.upTo = time;
}

/**
 * The event time every source feeding the lane has delivered up to, in order; -Infinity while
 * one of them is out of order. Forgets sources silent since `at - SOURCE_GONE_MS`.
 */
export function passedByAll(marks: SourceMarks, at: number): number {
  let passed = Number.POSITIVE_INFINITY;
  for (const [source, m] of marks) {
    if (at - m.at >= SOURCE_GONE_MS) {
      marks.delete(source);
      continue;
    }
    if (!m.inOrder) return Number.NEGATIVE_INFINITY;
    if (m.upTo < passed) passed = m.upTo;
  }
  return marks.size ? passed : Number.NEGATIVE_INFINITY;
}
