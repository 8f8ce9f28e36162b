// `ratchain serve`: its options; the work is in ../serve.ts.
import { Command } from 'commander';
import { SERVE_DEFAULTS } from '../../stream/serve-defaults.ts';
import type { CliContext } from '../io.ts';
import { addInputOptions, type InputFlags } from './input-options.ts';
import { addSinkOptions, LIVE_SINKS, type LiveOutputFlags } from './sink-options.ts';

export interface ServeFlags extends InputFlags, LiveOutputFlags {
  listen: string;
  /** The older name of --host on serve. */
  eventHost?: string;
  port: string;
  token?: string;
  maxBody: string;
  reorder: string;
  idleFlush: string;
  requestTimeout: string;
  quiet?: boolean;
}

export function serveCommand(ctx: CliContext): Command {
  const cmd = addInputOptions(
    new Command('serve').description(
      'HTTP ingest of raw events, a findings API, a live findings stream (SSE), /healthz and /metrics',
    ),
  )
    .option('--listen <addr>', 'address to bind (loopback unless you mean otherwise)', SERVE_DEFAULTS.host)
    .option('--event-host <name>', 'the same as --host, when the request gives no ?host=')
    .option('-p, --port <n>', 'port (0: any free port)', String(SERVE_DEFAULTS.port))
    .option('--token <token>', 'require "Authorization: Bearer <token>" (default: $RATCHAIN_TOKEN)')
    .option('--max-body <bytes>', 'largest accepted ingest body', String(SERVE_DEFAULTS.maxBodyBytes))
    .option('--reorder <duration>', 'event-time window to restore order across senders', '5s');
  return addSinkOptions(cmd, LIVE_SINKS, 'append')
    .option('--idle-flush <duration>', 'hold no event for reordering longer than this (wall time)', '1s')
    .option('--request-timeout <duration>', 'a request must arrive completely within this time', '30s')
    .option('-q, --quiet', 'no log lines on stderr')
    .action(async (o: ServeFlags) => {
      const { runServeCommand } = await import('../serve.ts');
      ctx.exitCode = await runServeCommand(o, ctx);
    });
}
