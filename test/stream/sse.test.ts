// The event stream's cap on a client's unsent bytes: a burst written in one tick (a body that
// changes many chains at once) may exceed it, and a client that keeps reading stays; one that
// stops reading is dropped once what it left from earlier ticks passes the cap.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { createSseHub } from '../../src/stream/sse.ts';

const CAP = 256 * 1024;
const FRAME_DATA = JSON.stringify({ id: 'f', summary: 'x'.repeat(4000) });
/** Frames in one burst: about 8 times the cap. */
const BURST = 500;

const hub = createSseHub({ maxBufferedBytes: CAP, heartbeatMs: 60_000 });
let server: Server;
let port = 0;
const attached: ServerResponse[] = [];

before(async () => {
  server = createServer((_req, res) => {
    hub.attach(res);
    attached.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  hub.close();
  server.close();
});

/** A raw client that asks for the stream; resolves once the server has taken it over. */
async function client(): Promise<{
  received: () => number;
  pause(): void;
  destroy(): void;
  closed: Promise<unknown>;
}> {
  const sock = connect(port, '127.0.0.1');
  let bytes = 0;
  sock.on('data', (d) => {
    bytes += d.length;
  });
  const closed = new Promise((r) => sock.on('close', r));
  const before = hub.clients();
  sock.write('GET /findings/stream HTTP/1.1\r\nhost: x\r\n\r\n');
  while (hub.clients() === before) await new Promise((r) => setTimeout(r, 5));
  return { received: () => bytes, pause: () => sock.pause(), destroy: () => sock.destroy(), closed };
}

const burst = () => {
  for (let i = 0; i < BURST; i++) hub.send({ event: 'finding', id: `f:${i}`, data: FRAME_DATA });
};

test('a client that keeps reading gets a burst many times the cap whole', { timeout: 20_000 }, async () => {
  const c = await client();
  const droppedBefore = hub.dropped();
  burst();
  const want = BURST * FRAME_DATA.length;
  while (c.received() < want) await new Promise((r) => setTimeout(r, 5));
  assert.equal(hub.dropped(), droppedBefore);
  // And the next burst, once it has read the first, goes out too.
  burst();
  while (c.received() < 2 * want) await new Promise((r) => setTimeout(r, 5));
  assert.equal(hub.dropped(), droppedBefore);
});

test('a client that stops reading is dropped once what it left from earlier ticks passes the cap', {
  timeout: 20_000,
}, async () => {
  const c = await client();
  c.pause();
  const droppedBefore = hub.dropped();
  burst();
  // Still attached: all of it was written in one tick.
  assert.equal(hub.dropped(), droppedBefore);
  // Then the kernel's buffers fill and what is left over counts.
  for (let i = 0; i < 100 && hub.dropped() === droppedBefore; i++) {
    await new Promise((r) => setImmediate(r));
    burst();
  }
  assert.equal(hub.dropped(), droppedBefore + 1);
  c.destroy(); // paused, it would never read the end the server sent
  await c.closed;
});
