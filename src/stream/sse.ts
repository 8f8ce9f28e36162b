// Server-sent events to any number of clients without letting one slow client hold memory: each
// client's unsent bytes are capped (what it left from earlier ticks: one tick's burst may be
// larger); a client past the cap is disconnected (it can reconnect and get the current findings
// again). The replay of stored findings a new client gets first is streamed with backpressure,
// so it may be of any size; live events that arrive meanwhile wait in the client's queue (capped
// the same way) and follow the replay in order. Heartbeat comments keep proxies from closing idle
// streams.
import type { ServerResponse } from 'node:http';

/** One event; `data` is its JSON text (one line: JSON text has no raw newline). */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export interface SseHub {
  /** Takes over `res` as an event stream; `initial` events are sent first. */
  attach(res: ServerResponse, initial?: SseEvent[]): void;
  send(e: SseEvent): void;
  clients(): number;
  /** Clients disconnected for falling behind. */
  dropped(): number;
  close(): void;
}

export interface SseOptions {
  /** Unsent bytes allowed per client before it is dropped. */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

function frame(e: SseEvent): string {
  return `${e.id ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${e.data}\n\n`;
}

interface Client {
  res: ServerResponse;
  /** Live frames held while the replay is still being written; undefined once live. */
  queue?: string[];
  queued: number;
  /** Characters written to it in the current tick (`tick`). */
  burst: number;
  tick: number;
}

/**
 * One tick may write more than the cap to every client: a body that changes a hundred chains
 * sends about 1.5 MB of findings at once, more than any socket takes before it drains. So what
 * counts against a client is what it left unsent from earlier ticks; a single tick's burst is
 * still bounded, at this many times the cap, so memory stays bounded per client.
 */
const BURST_CAPS = 16;

export function createSseHub(o: SseOptions): SseHub {
  const clients = new Map<ServerResponse, Client>();
  let dropped = 0;

  const drop = (c: Client) => {
    dropped++;
    clients.delete(c.res);
    c.res.destroy(); // its buffer goes with it
  };

  // Ticks are counted from the first write in each: writes in one tick are one burst.
  let tick = 0;
  let counting = false;
  const thisTick = () => {
    if (!counting) {
      counting = true;
      setImmediate(() => {
        tick++;
        counting = false;
      });
    }
    return tick;
  };

  const write = (c: Client, text: string) => {
    if (c.queue) {
      c.queue.push(text);
      c.queued += text.length;
      if (c.queued > o.maxBufferedBytes) drop(c);
      return;
    }
    const now = thisTick();
    if (c.tick !== now) {
      c.tick = now;
      c.burst = 0;
    }
    const earlier = c.res.writableLength - c.burst;
    if (earlier > o.maxBufferedBytes || c.burst > o.maxBufferedBytes * BURST_CAPS) return drop(c);
    c.burst += text.length;
    c.res.write(text);
  };

  /** Writes the replay, waiting for the socket to drain, then the queued live frames. */
  const replay = async (c: Client, initial: SseEvent[]) => {
    for (const e of initial) {
      if (!clients.has(c.res)) return;
      if (!c.res.write(frame(e)))
        await new Promise<void>((resolve) => {
          const go = () => {
            c.res.off('drain', go);
            c.res.off('close', go);
            resolve();
          };
          c.res.once('drain', go);
          c.res.once('close', go);
        });
    }
    const queued = c.queue ?? [];
    c.queue = undefined;
    c.queued = 0;
    for (const text of queued) write(c, text);
  };

  const heartbeat = setInterval(() => {
    for (const c of clients.values()) write(c, ': ping\n\n');
  }, o.heartbeatMs);
  heartbeat.unref();

  return {
    attach(res, initial = []) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': ratchain findings stream\n\n');
      const c: Client = { res, queue: initial.length ? [] : undefined, queued: 0, burst: 0, tick: -1 };
      clients.set(res, c);
      res.on('close', () => clients.delete(res));
      if (initial.length) replay(c, initial).catch(() => drop(c));
    },
    send(e) {
      if (clients.size === 0) return;
      const text = frame(e);
      for (const c of [...clients.values()]) write(c, text);
    },
    clients: () => clients.size,
    dropped: () => dropped,
    close() {
      clearInterval(heartbeat);
      for (const c of clients.values()) c.res.end();
      clients.clear();
    },
  };
}
