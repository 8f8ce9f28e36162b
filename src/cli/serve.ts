// `ratchain serve`: HTTP ingest, findings API and stream, health and metrics (src/stream/serve.ts).
import { parseDuration } from '../config/schema.ts';
import { describeHostNote } from '../ingest/host-hint.ts';
import { openOutputs } from '../sinks/registry.ts';
import { sinkRequests } from '../sinks/sink-flags.ts';
import { isHostName, SERVE_DEFAULTS, serve } from '../stream/serve.ts';
import type { ServeFlags } from './commands/serve.ts';
import { LIVE_SINKS } from './commands/sink-options.ts';
import { EXIT } from './exit.ts';
import { resolveInputs } from './input-flags.ts';
import type { CliIO } from './io.ts';
import { statusLines } from './status-lines.ts';

export async function runServeCommand(o: ServeFlags, io: CliIO): Promise<number> {
  const resolved = await resolveInputs(o, io);
  if (!resolved) return EXIT.usage;
  const { config } = resolved;
  const ms = (flag: string, v: string) => {
    const n = parseDuration(v);
    if (!Number.isFinite(n)) io.stderr.write(`ratchain: ${flag}: "${v}" is not a duration\n`);
    return n;
  };
  const reorderMs = ms('--reorder', o.reorder);
  const idleFlushMs = ms('--idle-flush', o.idleFlush);
  const requestTimeoutMs = ms('--request-timeout', o.requestTimeout);
  const port = Number(o.port);
  const maxBodyBytes = Number(o.maxBody);
  if (![reorderMs, idleFlushMs, requestTimeoutMs].every(Number.isFinite)) return EXIT.usage;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(maxBodyBytes > 0)) {
    io.stderr.write('ratchain: --port must be 0..65535 and --max-body a positive number of bytes\n');
    return EXIT.usage;
  }
  // Records that name no host get ?host=, else --host (or its older name --event-host).
  const eventHost = o.host ?? o.eventHost;
  if (eventHost !== undefined && !isHostName(eventHost)) {
    const flag = o.host !== undefined ? '--host' : '--event-host';
    io.stderr.write(
      `ratchain: ${flag}: "${eventHost}" is not a host name (letters, digits, dots, hyphens)\n`,
    );
    return EXIT.usage;
  }
  const token = o.token ?? process.env.RATCHAIN_TOKEN ?? undefined;
  if (!token && !/^(127\.|::1$|localhost$)/.test(o.listen))
    io.stderr.write(`ratchain: warning: listening on ${o.listen} without --token\n`);
  const out = openOutputs(sinkRequests(o, LIVE_SINKS), { live: true, stdout: io.stdout });
  const status = statusLines(io.stderr, !!o.quiet);
  const say = status.say;
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve({
      ...SERVE_DEFAULTS,
      config,
      catalog: resolved.catalog,
      format: resolved.format,
      defaultHost: eventHost,
      host: o.listen,
      port,
      token: token || undefined,
      maxBodyBytes,
      reorderMs,
      idleFlushMs,
      requestTimeoutMs,
      onFinding(f, kind) {
        out.write(f);
        say(`${kind} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`);
      },
      // A body given a host is what the sender asked for; one given none is worth a line.
      onHost(h) {
        if (!h.host) say(`${h.input}: ${describeHostNote(h)}`);
      },
    });
  } catch (e) {
    status.flush();
    io.stderr.write(`ratchain: cannot listen on ${o.listen}:${port}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  say(`listening on ${running.url} (POST /ingest, GET /findings, /findings/stream, /healthz, /metrics)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping');
  await running.close();
  out.close();
  status.flush();
  return EXIT.ok;
}
