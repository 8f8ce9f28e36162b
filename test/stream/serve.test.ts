// `serve` answers every client correctly and keeps working: good batches become findings (API
// and SSE), while bad JSON, unknown content, a huge body, a wrong token, a slow uploader and a
// reader that never reads each get their own answer.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import { type RunningServer, SERVE_DEFAULTS, serve } from '../../src/stream/serve.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { defaultConfig } from './watch-harness.ts';

const TOKEN = 's3cret-token';
let srv: RunningServer;
const auth = { authorization: `Bearer ${TOKEN}` };

before(async () => {
  srv = await serve({
    ...SERVE_DEFAULTS,
    config: defaultConfig(),
    catalog: builtinCatalog(),
    port: 0,
    token: TOKEN,
    maxBodyBytes: 256 * 1024,
    idleFlushMs: 20,
    sseMaxBufferedBytes: 256 * 1024,
  });
});
after(() => srv.close());

async function post(path: string, body: string, headers: Record<string, string> = auth) {
  const r = await fetch(`${srv.url}${path}`, { method: 'POST', headers, body });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function healthy(server = srv): Promise<void> {
  const r = await fetch(`${server.url}/healthz`);
  assert.equal(r.status, 200, 'the server still answers');
  await r.arrayBuffer();
}

/** Reads SSE frames from /findings/stream until `done` says stop. */
async function streamUntil(done: (fs: Finding[]) => boolean): Promise<Finding[]> {
  const ctl = new AbortController();
  const r = await fetch(`${srv.url}/findings/stream`, { headers: auth, signal: ctl.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
  const got: Finding[] = [];
  let buf = '';
  const dec = new TextDecoder();
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    buf += dec.decode(chunk, { stream: true });
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = /^data: (.*)$/m.exec(frame);
      if (/^event: finding$/m.test(frame) && data) got.push(JSON.parse(data[1]));
    }
    if (done(got)) break;
  }
  ctl.abort();
  return got;
}

describe('serve', () => {
  it('turns an NDJSON-style batch of raw events into findings: API and live stream', async () => {
    const lines = fleetLines({ hosts: 3 });
    const stream = streamUntil((fs) => fs.some((f) => f.host.startsWith('WS-0002') && f.stepCount === 4));
    const r = await post('/ingest?source=fleet', `${lines.join('\n')}\n`);
    assert.equal(r.status, 200);
    assert.equal(r.body.accepted, lines.length);
    assert.equal(r.body.format, 'event-xml', 'format detected from the first line');
    const seen = await stream;
    assert.ok(seen.every((f) => f.schema === 'ratchain.finding/1'));
    const list = await fetch(`${srv.url}/findings`, { headers: auth }).then((x) => x.json());
    const ids = (list as { findings: Finding[] }).findings.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length, 'one entry per finding id (latest revision)');
    const one = await fetch(`${srv.url}/findings/${ids[0]}`, { headers: auth });
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as Finding).id, ids[0]);
    const missing = await fetch(`${srv.url}/findings/nope`, { headers: auth });
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  it('answers bad JSON with 400 and the line of each problem', async () => {
    const r = await post('/ingest?format=windows-json', '{"winlog": {"event_id": \n{{{not json\n');
    assert.equal(r.status, 400);
    const errors = r.body.errors as Array<{ line: number; message: string }>;
    assert.ok(errors.length >= 1 && errors[0].line === 1, JSON.stringify(errors));
    await healthy();
  });

  it('answers content of no known format with 415, and an unknown format name with 400', async () => {
    assert.equal((await post('/ingest', 'hello world\nthis is not telemetry\n')).status, 415);
    assert.equal((await post('/ingest?format=nonsense', '{}\n')).status, 400);
    await healthy();
  });

  it('refuses a huge body with 413, whether declared or streamed, without buffering it', async () => {
    const big = 'x'.repeat(300 * 1024);
    assert.equal((await post('/ingest?format=event-xml', big)).status, 413);
    // Chunked: no length up front; the server stops at the limit and answers.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${srv.url}/ingest?format=event-xml`, { method: 'POST', headers: auth }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const piece = `${'<Event>'.padEnd(1023, 'y')}\n`;
      let sent = 0;
      const pump = () => {
        while (sent < 2048) {
          sent++;
          if (!req.write(piece)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);
    await healthy();
  });

  it('answers a missing or wrong token with 401 but keeps /healthz open', async () => {
    assert.equal((await post('/ingest', 'x\n', {})).status, 401);
    assert.equal((await post('/ingest', 'x\n', { authorization: 'Bearer wrong' })).status, 401);
    const m = await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
    assert.equal(m.status, 401);
    assert.match(m.headers.get('www-authenticate') ?? '', /Bearer/);
    await m.arrayBuffer();
    await healthy();
  });

  it('times out an upload that never finishes with 408, while other clients are served', async () => {
    // A server of its own with a short request timeout: the shared one gives a busy machine time.
    const slow = await serve({
      ...SERVE_DEFAULTS,
      config: defaultConfig(),
      catalog: builtinCatalog(),
      port: 0,
      token: TOKEN,
      requestTimeoutMs: 300,
    });
    try {
      const sock = connect(Number(new URL(slow.url).port), '127.0.0.1');
      let answer = '';
      sock.on('data', (d) => {
        answer += d.toString();
      });
      const closed = new Promise((r) => sock.on('close', r));
      sock.write(
        `POST /ingest HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 100000\r\n\r\n<Event>`,
      );
      await healthy(slow); // answered while the slow upload hangs
      await closed;
      assert.match(answer, /^HTTP\/1\.1 408/);
      await healthy(slow);
    } finally {
      await slow.close();
    }
  });

  it('drops a stream reader that stops reading, instead of buffering for it', async () => {
    const sock = connect(Number(new URL(srv.url).port), '127.0.0.1');
    const closed = new Promise((r) => sock.on('close', r));
    sock.write(`GET /findings/stream HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\n\r\n`);
    await new Promise((r) => sock.once('data', r));
    sock.pause(); // never reads again: the kernel buffers fill, then the server's cap trips
    const before = await metric('ratchain_sse_dropped_total');
    let batch = 0;
    for (; batch < 60 && (await metric('ratchain_sse_dropped_total')) === before; batch++) {
      const r = await post(
        '/ingest?format=event-xml',
        `${fleetLines({ hosts: 15, first: 100 + batch * 15, offsetMs: (batch + 1) * 3_600_000 }).join('\n')}\n`,
      );
      assert.equal(r.status, 200);
      srv.live.flush(); // findings now, not after the idle flush
    }
    assert.equal(await metric('ratchain_sse_dropped_total'), before + 1);
    sock.destroy();
    await closed;
    await healthy();
  });

  it('exposes Prometheus metrics', async () => {
    const text = await fetch(`${srv.url}/metrics`, { headers: auth }).then((r) => r.text());
    for (const name of [
      'ratchain_events_in_total',
      'ratchain_parse_errors_total',
      'ratchain_findings_total',
      'ratchain_state_buffered_events',
      'ratchain_lag_seconds',
      'ratchain_late_events_total',
    ])
      assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
    assert.ok((await metric('ratchain_events_in_total')) > 0);
    assert.ok((await metric('ratchain_parse_errors_total')) > 0);
  });
});

async function metric(name: string): Promise<number> {
  const text = await fetch(`${srv.url}/metrics`, { headers: auth }).then((r) => r.text());
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}
