// The "ratchain: ..." lines the live commands (serve, watch, worker) print on stderr, one per
// finding revision among them. The lines of one turn of the event loop go out as one write: a
// write per line is a system call and a wake-up of whatever reads the pipe, and with 2,200
// revisions in the serve bench those writes were 5% of the server's samples.
import type { CliStream } from './io.ts';

export interface StatusLines {
  /** Queues `ratchain: <text>`; nothing when quiet. */
  say(text: string): void;
  /** Queues `ratchain: <text>` even when quiet (problems), in order with what `say` queued. */
  tell(text: string): void;
  /** Writes what is queued now (before the command returns, or writes to stderr itself). */
  flush(): void;
}

export function statusLines(stderr: CliStream, quiet: boolean): StatusLines {
  let queued = '';
  const flush = () => {
    if (!queued) return;
    const text = queued;
    queued = '';
    stderr.write(text);
  };
  const tell = (text: string) => {
    if (!queued) queueMicrotask(flush);
    queued += `ratchain: ${text}\n`;
  };
  return {
    say(text) {
      if (!quiet) tell(text);
    },
    tell,
    flush,
  };
}
