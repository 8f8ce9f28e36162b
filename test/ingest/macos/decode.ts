// Test harness for the macOS readers: runs a decoder over text split into lines as source.ts
// splits them, and collects events, problems and the ignored count.
import type { DecodeContext, Decoder } from '../../../src/ingest/reader.ts';
import type { RatEvent } from '../../../src/model/event.ts';

export interface Decoded {
  events: RatEvent[];
  problems: Array<{ message: string; line?: number }>;
  ignored: number;
}

export function decodeLines(make: (ctx: DecodeContext) => Decoder, text: string, file = 'inline'): Decoded {
  const out: Decoded = { events: [], problems: [], ignored: 0 };
  const ctx: DecodeContext = {
    file,
    problem: (message, pos) => out.problems.push({ message, line: pos.line }),
    emit: (e) => out.events.push(e),
    ignored: (n = 1) => {
      out.ignored += n;
    },
  };
  const d = make(ctx);
  if (d.mode !== 'lines') throw new Error('decodeLines needs a line decoder');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++)
    d.line(lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i], i + 1);
  d.end();
  return out;
}

/** The events of one kind, typed. */
export function ofKind<K extends RatEvent['kind']>(
  events: RatEvent[],
  kind: K,
): Array<Extract<RatEvent, { kind: K }>> {
  return events.filter((e): e is Extract<RatEvent, { kind: K }> => e.kind === kind);
}
