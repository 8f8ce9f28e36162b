// Test harness for readers: runs a Format's decoder over text (split into lines as source.ts
// does) or a file through readSource (with sniffing), and collects events, problems, ignored.

import type { DecodeContext, Format, Problem } from '../../../src/ingest/reader.ts';
import { newStats, readSource, type SourceStats } from '../../../src/ingest/source.ts';
import type { RatEvent } from '../../../src/model/event.ts';

export interface Decoded {
  events: RatEvent[];
  problems: Array<{ message: string; line?: number; offset?: number; where?: string }>;
  ignored: number;
}

export function decodeText(format: Format, text: string, file = 'inline'): Decoded {
  const out: Decoded = { events: [], problems: [], ignored: 0 };
  const ctx: DecodeContext = {
    file,
    problem: (message, pos) => out.problems.push({ message, ...pos }),
    emit: (e) => out.events.push(e),
    ignored: (n = 1) => {
      out.ignored += n;
    },
  };
  const d = format.decoder(ctx);
  if (d.mode !== 'lines') throw new Error('decodeText needs a line decoder');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    d.line(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1);
  }
  d.end();
  return out;
}

export async function decodeFile(
  path: string,
  format?: string,
): Promise<Decoded & { stats: SourceStats; problemsFull: Problem[] }> {
  const stats = newStats(path);
  const problemsFull: Problem[] = [];
  const events: RatEvent[] = [];
  for await (const b of readSource(
    { name: path, path },
    { format, onProblem: (p) => problemsFull.push(p) },
    stats,
  ))
    events.push(...b);
  return { events, problems: problemsFull, problemsFull, ignored: stats.ignored, stats };
}
