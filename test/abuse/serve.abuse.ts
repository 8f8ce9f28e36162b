// `serve` under the load the issue describes: 8 senders of different hosts posting at once, one
// event dated years ahead, a chunked body refused half-way and sent again, slow uploads in every
// ingest slot, a malformed URL, and more than 1 MiB of findings replayed to a stream client.
// Nothing is lost: the findings equal an offline `hunt` of the same events, by id.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { type RunningServer, SERVE_DEFAULTS } from '../../src/stream/serve.ts';
import { type FleetLine, fleet } from '../fixtures/stream/fleet.ts';
import { type ServeOptions, serveCollecting } from '../stream/serve-harness.ts';
import { defaultConfig } from '../stream/watch-harness.ts';
import { byId } from './compare.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-abuse-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SENDERS = 8;
/** Hosts per sender: enough findings that their store holds more than 1 MiB. */
const HOSTS_PER_SENDER = Number(process.env.RATCHAIN_ABUSE_SERVE_HOSTS ?? 40);
const BATCH_LINES = 50;

const startServer = (extra: Partial<ServeOptions> = {}) => serveCollecting({ idleFlushMs: 50, ...extra });

async function post(srv: RunningServer, body: string) {
  const r = await fetch(`${srv.url}/ingest?source=sender`, { method: 'POST', body });
  return { status: r.status, body: (await r.json()) as Record<string, number> };
}

async function huntOf(lines: FleetLine[], name: string): Promise<Finding[]> {
  const file = join(dir, name);
  writeFileSync(
    file,
    `${[...lines]
      .sort((a, b) => a.time - b.time)
      .map((l) => l.line)
      .join('\n')}\n`,
  );
  const r = await hunt({ paths: [file], config: defaultConfig(), catalog: builtinCatalog() });
  return r.findings;
}

/** The first line of the fleet moved years ahead: one sensor with a broken clock. */
function futureLine(line: string): string {
  return line.replace(/SystemTime='\d{4}/, "SystemTime='2031").replace(/(UtcTime'>)\d{4}/g, '$12031');
}

/** Reads SSE frames from a fresh /findings/stream (default replay) until `n` findings or the end. */
async function replay(srv: RunningServer, n: number): Promise<number> {
  const ctl = new AbortController();
  const r = await fetch(`${srv.url}/findings/stream`, { signal: ctl.signal });
  assert.equal(r.status, 200);
  let got = 0;
  let buf = '';
  const dec = new TextDecoder();
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    buf += dec.decode(chunk, { stream: true });
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      if (/^event: finding$/m.test(buf.slice(0, i))) got++;
      buf = buf.slice(i + 2);
    }
    if (got >= n) break;
  }
  ctl.abort();
  return got;
}

describe('serve under load and abuse', () => {
  it(`${SENDERS} senders of different hosts at once, one event years ahead: findings equal hunt's, by id; >1 MiB replays whole`, {
    timeout: 600_000,
  }, async (t) => {
    const lines = fleet({ hosts: SENDERS * HOSTS_PER_SENDER, noise: 10, spacingMs: 5_000 });
    const perSender: FleetLine[][] = Array.from({ length: SENDERS }, () => []);
    for (const l of lines) perSender[Number(l.host.slice(3)) % SENDERS].push(l);
    const { srv, latest } = await startServer();
    try {
      // The broken clock speaks first: were it to move time, every later event would be late.
      const future = await post(srv, `${futureLine(lines[0].line)}\n`);
      assert.equal(future.status, 200);
      assert.equal(future.body.future, 1, 'quarantined and counted');
      let late = 0;
      let accepted = 0;
      await Promise.all(
        perSender.map(async (mine) => {
          for (let i = 0; i < mine.length; i += BATCH_LINES) {
            const r = await post(
              srv,
              `${mine
                .slice(i, i + BATCH_LINES)
                .map((l) => l.line)
                .join('\n')}\n`,
            );
            assert.equal(r.status, 200, JSON.stringify(r.body));
            late += r.body.late;
            accepted += r.body.accepted;
          }
        }),
      );
      assert.equal(accepted, lines.length, 'every event accepted');
      assert.equal(late, 0, 'none dropped as late');
      await new Promise((r) => setTimeout(r, 300));
      const stored = (await fetch(`${srv.url}/findings`).then((r) => r.json())) as { findings: Finding[] };
      const bytes = Buffer.byteLength(JSON.stringify(stored.findings));
      t.diagnostic(
        `serve: ${lines.length} events from ${SENDERS} senders, ${stored.findings.length} findings stored (${Math.round(bytes / 1024)} KiB)`,
      );
      const replayed = await replay(srv, stored.findings.length);
      assert.equal(replayed, stored.findings.length, 'a new stream client gets every stored finding');
      if (HOSTS_PER_SENDER >= 40) assert.ok(bytes > 1 << 20, `more than 1 MiB stored (${bytes} bytes)`);
    } finally {
      await srv.close();
    }
    const want = await huntOf(lines, 'fleet.xml');
    assert.ok(want.filter((f) => f.status === 'alert').length >= SENDERS * HOSTS_PER_SENDER * 0.6);
    assert.deepEqual(byId(latest.values()), byId(want));
  });

  it('a chunked body refused with 413 half-way leaves nothing behind: sent again whole, no duplicate', {
    timeout: 120_000,
  }, async () => {
    const lines = fleet({ hosts: 1, noise: 5 });
    const body = `${lines.map((l) => l.line).join('\n')}\n`;
    const { srv, latest } = await startServer({ maxBodyBytes: Buffer.byteLength(body) + 4096 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${srv.url}/ingest`, { method: 'POST' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(413));
        req.write(body);
        const filler = `${'<Event>'.padEnd(1023, 'y')}\n`;
        let sent = 0;
        const pump = () => {
          while (sent++ < 64) if (!req.write(filler)) return req.once('drain', pump);
          req.end();
        };
        pump();
        req.on('error', reject);
      });
      assert.equal(status, 413);
      assert.equal((await post(srv, body)).status, 200);
    } finally {
      await srv.close();
    }
    assert.deepEqual(byId(latest.values()), byId(await huntOf(lines, 'one.xml')));
  });

  it('slow uploads in every ingest slot are cut at the deadline; the next sender is served', {
    timeout: 120_000,
  }, async () => {
    const { srv, latest } = await startServer({ uploadTimeoutMs: 500, requestTimeoutMs: 60_000 });
    const port = Number(new URL(srv.url).port);
    try {
      const answers = await Promise.all(
        Array.from({ length: SERVE_DEFAULTS.maxConcurrentIngests + 2 }, () => {
          const sock = connect(port, '127.0.0.1');
          let answer = '';
          sock.on('data', (d) => {
            answer += d.toString();
          });
          sock.write('POST /ingest HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n<Event>');
          return new Promise<string>((resolve) => sock.on('close', () => resolve(answer)));
        }),
      );
      for (const a of answers) assert.match(a, /^HTTP\/1\.1 (408|503)/);
      const lines = fleet({ hosts: 1 });
      assert.equal((await post(srv, `${lines.map((l) => l.line).join('\n')}\n`)).status, 200);
      const bad = await fetch(`${srv.url}/findings/%ZZ`);
      assert.equal(bad.status, 400, "a malformed URL is the client's mistake");
      await bad.arrayBuffer();
    } finally {
      await srv.close();
    }
    assert.ok([...latest.values()].some((f) => f.status === 'alert'));
  });
});
