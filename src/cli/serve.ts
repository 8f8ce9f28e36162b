// `ratchain serve`: HTTP ingest, findings API and stream, health and metrics (src/stream/serve.ts).
import { Command } from 'commander';
import { parseDuration } from '../config/schema.ts';
import { openFindingOutput } from '../stream/finding-output.ts';
import { SERVE_DEFAULTS, serve } from '../stream/serve.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';

interface ServeFlags {
  config?: string;
  host: string;
  port: string;
  token?: string;
  maxBody: string;
  output?: string;
  reorder: string;
  idleFlush: string;
  requestTimeout: string;
  quiet?: boolean;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'HTTP ingest of raw events, a findings API, a live findings stream (SSE), /healthz and /metrics',
    )
    .option('-c, --config <file>', 'YAML config (see `ratchain config init`)')
    .option('--host <addr>', 'address to bind (loopback unless you mean otherwise)', SERVE_DEFAULTS.host)
    .option('-p, --port <n>', 'port (0: any free port)', String(SERVE_DEFAULTS.port))
    .option('--token <token>', 'require "Authorization: Bearer <token>" (default: $RATCHAIN_TOKEN)')
    .option('--max-body <bytes>', 'largest accepted ingest body', String(SERVE_DEFAULTS.maxBodyBytes))
    .option('-o, --output <file>', 'also append findings as NDJSON to this file')
    .option('--reorder <duration>', 'event-time window to restore order across senders', '5s')
    .option('--idle-flush <duration>', 'release held events after this long without input', '1s')
    .option('--request-timeout <duration>', 'a request must arrive completely within this time', '30s')
    .option('-q, --quiet', 'no log lines on stderr')
    .action(async (o: ServeFlags) => {
      process.exitCode = await runServeCommand(o);
    });
}

export async function runServeCommand(o: ServeFlags): Promise<number> {
  const config = loadConfigOrExit(o.config);
  if (!config) return EXIT.usage;
  const ms = (flag: string, v: string) => {
    const n = parseDuration(v);
    if (!Number.isFinite(n)) process.stderr.write(`ratchain: ${flag}: "${v}" is not a duration\n`);
    return n;
  };
  const reorderMs = ms('--reorder', o.reorder);
  const idleFlushMs = ms('--idle-flush', o.idleFlush);
  const requestTimeoutMs = ms('--request-timeout', o.requestTimeout);
  const port = Number(o.port);
  const maxBodyBytes = Number(o.maxBody);
  if (![reorderMs, idleFlushMs, requestTimeoutMs].every(Number.isFinite)) return EXIT.usage;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(maxBodyBytes > 0)) {
    process.stderr.write('ratchain: --port must be 0..65535 and --max-body a positive number of bytes\n');
    return EXIT.usage;
  }
  const token = o.token ?? process.env.RATCHAIN_TOKEN ?? undefined;
  if (!token && !/^(127\.|::1$|localhost$)/.test(o.host))
    process.stderr.write(`ratchain: warning: listening on ${o.host} without --token\n`);
  const out = o.output ? openFindingOutput(o.output) : undefined;
  const say = (s: string) => {
    if (!o.quiet) process.stderr.write(`ratchain: ${s}\n`);
  };
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve({
      ...SERVE_DEFAULTS,
      config,
      catalog: loadCatalogOrReport(config),
      host: o.host,
      port,
      token: token || undefined,
      maxBodyBytes,
      reorderMs,
      idleFlushMs,
      requestTimeoutMs,
      onFinding(f, kind) {
        out?.write(f);
        say(`${kind} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`);
      },
    });
  } catch (e) {
    process.stderr.write(`ratchain: cannot listen on ${o.host}:${port}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  say(`listening on ${running.url} (POST /ingest, GET /findings, /findings/stream, /healthz, /metrics)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping');
  await running.close();
  await out?.close();
  return EXIT.ok;
}
