// Server-sent events to any number of clients without letting one slow client hold memory: each
// client's unsent bytes are capped; a client past the cap is disconnected (it can reconnect and
// get the current findings again). Heartbeat comments keep proxies from closing idle streams.
import type { ServerResponse } from 'node:http';

export interface SseHub {
  /** Takes over `res` as an event stream; `initial` events are sent first. */
  attach(res: ServerResponse, initial?: Array<{ event: string; id?: string; data: unknown }>): void;
  send(event: string, id: string | undefined, data: unknown): void;
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

function frame(event: string, id: string | undefined, data: unknown): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createSseHub(o: SseOptions): SseHub {
  const clients = new Set<ServerResponse>();
  let dropped = 0;

  const write = (res: ServerResponse, text: string) => {
    if (res.writableLength > o.maxBufferedBytes) {
      dropped++;
      clients.delete(res);
      res.destroy(); // its buffer goes with it
      return;
    }
    res.write(text);
  };

  const heartbeat = setInterval(() => {
    for (const res of clients) write(res, ': ping\n\n');
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
      clients.add(res);
      res.on('close', () => clients.delete(res));
      for (const e of initial) write(res, frame(e.event, e.id, e.data));
    },
    send(event, id, data) {
      if (clients.size === 0) return;
      const text = frame(event, id, data);
      for (const res of [...clients]) write(res, text);
    },
    clients: () => clients.size,
    dropped: () => dropped,
    close() {
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
