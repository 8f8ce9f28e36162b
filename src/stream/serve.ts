// `serve`: HTTP ingest of raw events (NDJSON or one-record-per-line XML, in any supported format,
// named with ?format= or detected), a findings API, a live findings stream (SSE), /healthz and
// Prometheus /metrics. Defensive by construction: bodies are capped (413), lines are decoded as
// they arrive and never buffered whole, concurrent ingests are capped (503 + Retry-After instead
// of queueing without bound), slow uploads time out (408), slow SSE readers are dropped, and a
// decoder problem is an answer (400/415 with the first problems), never a crash.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import { formatById } from '../ingest/formats.ts';
import type { HostNote } from '../ingest/host-hint.ts';
import { createLiveIntake, type EventStage } from '../ingest/pipeline.ts';
import type { Problem } from '../ingest/reader.ts';
import type { RatEvent } from '../model/event.ts';
import { type Finding, SEVERITIES, type Severity } from '../model/finding.ts';
import { createFindingStore } from './finding-store.ts';
import { createRouter } from './jetstream/partition.ts';
import { createLiveEngine, type FindingKind, type LiveEngine } from './live-engine.ts';
import { LabeledCounter, renderMetrics } from './metrics.ts';
import { createSseHub, type SseEvent } from './sse.ts';

export interface ServeOptions {
  config: Config;
  catalog: Catalog;
  host: string;
  port: number;
  /** Bearer token required on everything but /healthz; none when undefined. */
  token?: string;
  maxBodyBytes: number;
  maxConcurrentIngests: number;
  /** A request (headers and body) must arrive within this time (slowloris guard), ms. */
  requestTimeoutMs: number;
  /** An ingest body must be complete within this time, or its slot is freed (408), ms. */
  uploadTimeoutMs: number;
  /** Format of bodies that name none with ?format= (detected when absent). */
  format?: string;
  /** Host for events whose sensor names none, unless a request names one with ?host= (--event-host). */
  defaultHost?: string;
  /** Extra pipeline stages (src/ingest/pipeline.ts). */
  stages?: () => EventStage[];
  reorderMs: number;
  idleFlushMs: number;
  /** Findings kept for GET /findings. */
  storeCapacity: number;
  /** Unsent bytes allowed per SSE client. */
  sseMaxBufferedBytes: number;
  sseMaxClients: number;
  heartbeatMs: number;
  onFinding?(f: Finding, kind: FindingKind): void;
  onProblem?(p: Problem): void;
  /** A request's records named no host: the host they were given and why, or why none. */
  onHost?(note: HostNote): void;
}

export { SERVE_DEFAULTS } from './serve-defaults.ts';

export interface RunningServer {
  url: string;
  server: Server;
  live: LiveEngine;
  /** Stops accepting, ends streams, closes every chain (final findings are emitted). */
  close(): Promise<void>;
}

const MAX_PROBLEMS_RETURNED = 10;
/** Held events are checked this many times per idleFlushMs, so one is held at most a quarter longer. */
const HOLD_CHECKS = 4;
const HOLD_CHECK_MIN_MS = 5;
/**
 * While bodies keep coming, the findings they changed go out at most this often: a chain that
 * several bodies in a row advance gets one revision for them, not one each, and every revision is
 * a finding built, serialized and sent to each subscriber. A body after a quiet spell has its
 * findings sent as soon as it is answered. Over the bench's 800-host fleet sent back to back in
 * 500-line bodies, the stream carried 1,133-1,367 revisions instead of 1,772 and the server's main
 * thread used a median 0.93x the CPU (15 pairs); the finding latency p99 at half that rate went
 * from 116 to 138-157 ms (three runs). Nobody watching a stream or polling the API tells 100 ms
 * apart.
 */
const EMIT_INTERVAL_MS = 100;

/** A host name a request may give with ?host= (RFC 1123 letters, digits, dots, hyphens; underscores seen in the wild). */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export function isHostName(s: string): boolean {
  return HOST_NAME.test(s);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(code, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** A finding revision as a stream event. */
function findingEvent(f: Finding): SseEvent {
  return { event: 'finding', id: `${f.id}:${f.revision}`, data: JSON.stringify(f) };
}

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const started = Date.now();
  const store = createFindingStore(o.storeCapacity);
  const sse = createSseHub({ maxBufferedBytes: o.sseMaxBufferedBytes, heartbeatMs: o.heartbeatMs });
  const requests = new LabeledCounter('code');
  const rejected = new LabeledCounter('reason');
  let parseErrors = 0;
  let hostless = 0;
  let bytesIn = 0;
  let inFlight = 0;
  const tokenDigest = o.token ? digest(o.token) : undefined;

  const router = createRouter(o.config, 1);
  const live = createLiveEngine({
    config: o.config,
    catalog: o.catalog,
    reorderMs: o.reorderMs,
    capacity: 200_000,
    laneOf: router.hostKey,
    now: Date.now,
    batchChanges: true,
    bySource: true,
    onFinding(f, kind) {
      store.put(f);
      if (sse.clients() > 0) sse.send(findingEvent(f));
      o.onFinding?.(f, kind);
    },
  });
  const intake = (
    defaultHost: string | undefined,
    onEvent: (ev: RatEvent) => void,
    onProblem: (p: Problem) => void,
  ) => createLiveIntake({ defaultHost, stages: o.stages, onEvent, onProblem });
  // No event is held for reordering longer than idleFlushMs of wall time, lane by lane: with one
  // lane per host, a host that goes quiet must not wait for the whole fleet to go quiet. Events
  // every sender of their host has already passed in order go out sooner, with their body.
  const idle = setInterval(
    () => {
      if (live.buffered() > 0) live.releaseHeld(Date.now() - o.idleFlushMs);
    },
    Math.max(HOLD_CHECK_MIN_MS, Math.min(o.idleFlushMs / HOLD_CHECKS, 250)),
  );

  // The findings a body changed are built after its answer is on its way (the response is written
  // when this tick ends), so the sender prepares its next body meanwhile; at most every
  // EMIT_INTERVAL_MS.
  let emitQueued = false;
  let closing = false;
  let lastEmit = Number.NEGATIVE_INFINITY;
  const emitNow = () => {
    emitQueued = false;
    if (closing) return; // close() sends what is left
    lastEmit = performance.now();
    live.emitChanges();
  };
  const emitSoon = () => {
    if (emitQueued) return;
    emitQueued = true;
    const wait = lastEmit + EMIT_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(emitNow, wait);
    else setImmediate(emitNow);
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (!tokenDigest) return true;
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    return !!m && timingSafeEqual(digest(m[1].trim()), tokenDigest);
  };

  /**
   * One request body, all or nothing: its events are decoded as they arrive but held until the
   * body is complete and accepted; a body that is refused (too large, too slow, unreadable)
   * changes nothing, so the sender's retry duplicates nothing. Holding is bounded by the body
   * limit.
   */
  function ingest(req: IncomingMessage, res: ServerResponse, url: URL) {
    const reject = (code: number, reason: string, error: string, headers: Record<string, string> = {}) => {
      rejected.inc(reason);
      sendJson(res, code, { error }, { connection: 'close', ...headers });
      req.resume(); // discard what the client still sends; nothing is kept
    };
    const format = url.searchParams.get('format') ?? o.format;
    if (format && !formatById(format)) return reject(400, 'unknown_format', `unknown format "${format}"`);
    const host = url.searchParams.get('host') ?? o.defaultHost;
    if (host !== undefined && !isHostName(host))
      return reject(400, 'bad_host', 'host must be a host name (letters, digits, dots, hyphens)');
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > o.maxBodyBytes)
      return reject(413, 'too_large', `body of ${declared} bytes exceeds the limit of ${o.maxBodyBytes}`);
    if (inFlight >= o.maxConcurrentIngests)
      return reject(503, 'busy', 'too many ingests in progress; retry', { 'retry-after': '1' });

    inFlight++;
    const name = url.searchParams.get('source') ?? `http:${req.socket.remoteAddress ?? '?'}`;
    const held: RatEvent[] = [];
    const problems: Problem[] = [];
    let problemCount = 0;
    const bodyIntake = intake(
      host,
      (ev) => held.push(ev),
      (p) => {
        problemCount++;
        if (problems.length < MAX_PROBLEMS_RETURNED) problems.push(p);
      },
    );
    const feed = bodyIntake.open(name, format);
    let bytes = 0;
    let finished = false;
    // The whole body must arrive within the upload deadline; a slow sender loses its slot.
    const deadline = setTimeout(() => {
      if (finished) return;
      done();
      rejected.inc('too_slow');
      sendJson(
        res,
        408,
        { error: `body not complete within ${o.uploadTimeoutMs} ms; nothing was kept` },
        { connection: 'close' },
      );
      req.destroy();
    }, o.uploadTimeoutMs);
    const done = () => {
      if (finished) return false;
      finished = true;
      clearTimeout(deadline);
      inFlight--;
      return true;
    };
    req.on('data', (chunk: Buffer) => {
      if (finished) return;
      bytes += chunk.length;
      bytesIn += chunk.length;
      if (bytes > o.maxBodyBytes) {
        done();
        return reject(
          413,
          'too_large',
          `body exceeds the limit of ${o.maxBodyBytes} bytes; nothing was kept`,
        );
      }
      feed.write(chunk);
    });
    req.on('end', () => {
      if (!done()) return;
      feed.end(true);
      bodyIntake.settle();
      const hosts = bodyIntake.hosts();
      const counts = feed.counts();
      const failed = feed.failed();
      const body = {
        format: feed.format(),
        accepted: 0,
        late: 0,
        future: counts.future,
        problems: counts.problems,
        ignored: counts.ignored,
        errors: problems.map(({ file: _f, ...p }) => p),
        hosts: hosts.map(({ input: _i, ...h }) => h),
      };
      parseErrors += problemCount;
      for (const p of problems) o.onProblem?.(p);
      if (failed && !feed.format()) {
        rejected.inc('unknown_format');
        return sendJson(res, format ? 400 : 415, { error: failed, ...body });
      }
      if (held.length === 0 && counts.problems > 0) {
        rejected.inc('unreadable');
        return sendJson(res, 400, { error: 'no event could be read from the body', ...body });
      }
      // The body is whole: host by host, its events go in, what no sender of the host can still
      // precede is released, and one finding goes out per chain the body changed.
      body.accepted = held.length;
      body.late = live.deliver(held, name);
      for (const h of hosts) {
        if (!h.host) hostless += h.records;
        o.onHost?.(h);
      }
      sendJson(res, 200, body);
      emitSoon();
    });
    req.on('close', done);
  }

  function metrics(): string {
    const s = live.stats();
    const now = Date.now();
    return renderMetrics([
      {
        name: 'ratchain_events_in_total',
        help: 'Events decoded from ingested bodies.',
        type: 'counter',
        samples: [{ value: s.eventsIn }],
      },
      {
        name: 'ratchain_ingest_bytes_total',
        help: 'Body bytes received on /ingest.',
        type: 'counter',
        samples: [{ value: bytesIn }],
      },
      {
        name: 'ratchain_parse_errors_total',
        help: 'Lines or records that could not be read.',
        type: 'counter',
        samples: [{ value: parseErrors }],
      },
      {
        name: 'ratchain_events_without_host_total',
        help: 'Accepted events whose records named no host and that were given none (engine host "unknown").',
        type: 'counter',
        samples: [{ value: hostless }],
      },
      {
        name: 'ratchain_late_events_total',
        help: 'Events dropped for arriving more than Lateness behind newer events.',
        type: 'counter',
        samples: [{ value: s.late }],
      },
      {
        name: 'ratchain_findings_total',
        help: 'Finding revisions emitted (new, updated, final).',
        type: 'counter',
        samples: [{ value: s.findingsEmitted }],
      },
      {
        name: 'ratchain_findings_stored',
        help: 'Findings held for GET /findings.',
        type: 'gauge',
        samples: [{ value: store.size() }],
      },
      {
        name: 'ratchain_state_open_alerts',
        help: 'Chains at alert level whose window is still open.',
        type: 'gauge',
        samples: [{ value: s.openFindings }],
      },
      {
        name: 'ratchain_state_buffered_events',
        help: 'Events held in the reorder window.',
        type: 'gauge',
        samples: [{ value: s.buffered }],
      },
      {
        name: 'ratchain_engine_hosts_total',
        help: 'Hosts the engine has created state for.',
        type: 'counter',
        samples: [{ value: s.engine.hosts }],
      },
      {
        name: 'ratchain_engine_agents_total',
        help: 'Agents the engine has tracked.',
        type: 'counter',
        samples: [{ value: s.engine.agents }],
      },
      {
        name: 'ratchain_engine_evictions_total',
        help: 'State evicted by the caps.',
        type: 'counter',
        samples: [
          { labels: { kind: 'agent' }, value: s.engine.agentsEvicted },
          { labels: { kind: 'host' }, value: s.engine.hostsEvicted },
          { labels: { kind: 'process' }, value: s.engine.processesEvicted },
        ],
      },
      {
        name: 'ratchain_lag_seconds',
        help: 'Wall clock minus the newest event time seen.',
        type: 'gauge',
        samples: [{ value: s.maxTime === undefined ? 0 : (now - s.maxTime) / 1000 }],
      },
      {
        name: 'ratchain_watermark_lag_seconds',
        help: 'Newest event time minus the time up to which the engine has seen everything.',
        type: 'gauge',
        samples: [
          {
            value:
              s.maxTime === undefined || s.watermark === undefined
                ? 0
                : Math.max(0, (s.maxTime - s.watermark) / 1000),
          },
        ],
      },
      {
        name: 'ratchain_ingest_in_flight',
        help: 'Ingest requests being read.',
        type: 'gauge',
        samples: [{ value: inFlight }],
      },
      {
        name: 'ratchain_ingest_rejected_total',
        help: 'Ingest requests refused, by reason.',
        type: 'counter',
        samples: rejected.samples(),
      },
      {
        name: 'ratchain_http_requests_total',
        help: 'HTTP requests answered, by status code.',
        type: 'counter',
        samples: requests.samples(),
      },
      {
        name: 'ratchain_sse_clients',
        help: 'Connected findings-stream clients.',
        type: 'gauge',
        samples: [{ value: sse.clients() }],
      },
      {
        name: 'ratchain_sse_dropped_total',
        help: 'Stream clients disconnected for reading too slowly.',
        type: 'counter',
        samples: [{ value: sse.dropped() }],
      },
      {
        name: 'ratchain_uptime_seconds',
        help: 'Seconds since the server started.',
        type: 'gauge',
        samples: [{ value: (now - started) / 1000 }],
      },
    ]);
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    res.on('finish', () => requests.inc(String(res.statusCode)));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, { error: 'bad request target' });
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (path === '/healthz')
      return sendJson(res, 200, { status: 'ok', uptimeSeconds: (Date.now() - started) / 1000 });
    if (!authorized(req)) {
      req.resume();
      return sendJson(
        res,
        401,
        { error: 'missing or wrong bearer token' },
        { 'www-authenticate': 'Bearer realm="ratchain"' },
      );
    }
    const allow = (m: string) => {
      if (method === m) return true;
      req.resume();
      sendJson(res, 405, { error: `use ${m}` }, { allow: m });
      return false;
    };
    if (path === '/ingest') {
      if (allow('POST')) ingest(req, res, url);
      return;
    }
    if (path === '/metrics') {
      if (!allow('GET')) return;
      const text = metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return;
    }
    if (path === '/findings/stream') {
      if (!allow('GET')) return;
      if (sse.clients() >= o.sseMaxClients)
        return sendJson(res, 503, { error: 'too many stream clients' }, { 'retry-after': '5' });
      const replay = url.searchParams.get('replay') !== '0';
      sse.attach(res, replay ? store.list().reverse().map(findingEvent) : []);
      return;
    }
    if (path === '/findings') {
      if (!allow('GET')) return;
      const min = url.searchParams.get('min_severity') ?? undefined;
      if (min && !SEVERITIES.includes(min as Severity))
        return sendJson(res, 400, { error: `min_severity must be one of ${SEVERITIES.join(', ')}` });
      return sendJson(res, 200, { findings: store.list(min as Severity | undefined) });
    }
    const one = /^\/findings\/([^/]+)$/.exec(path);
    if (one) {
      if (!allow('GET')) return;
      let id: string;
      try {
        id = decodeURIComponent(one[1]);
      } catch {
        return sendJson(res, 400, { error: 'malformed percent-encoding in the finding id' });
      }
      const f = store.get(id);
      return f ? sendJson(res, 200, f) : sendJson(res, 404, { error: 'no such finding' });
    }
    req.resume();
    sendJson(res, 404, {
      error: 'not found',
      paths: ['/ingest', '/findings', '/findings/{id}', '/findings/stream', '/healthz', '/metrics'],
    });
  }

  const server = createServer(
    {
      requestTimeout: o.requestTimeoutMs,
      headersTimeout: Math.min(o.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, o.requestTimeoutMs / 4)),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      try {
        handle(req, res);
      } catch (e) {
        // A bug must not take the server down; the client gets a 500.
        o.onProblem?.({ file: 'serve', format: '?', message: `internal error: ${(e as Error).message}` });
        sendJson(res, 500, { error: 'internal error' });
      }
    },
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP, oversized headers, or a request that did not arrive in time.
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    requests.inc(status.slice(0, 3));
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    live,
    async close() {
      clearInterval(idle);
      closing = true;
      sse.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setImmediate(() => server.closeAllConnections());
      });
      live.finish();
    },
  };
}
