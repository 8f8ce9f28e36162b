// `ratchain watch`: follow files and stdin, write findings as they happen (NDJSON), stop cleanly
// on SIGINT/SIGTERM.
import { Command } from 'commander';
import { parseDuration } from '../config/schema.ts';
import type { Problem } from '../ingest/reader.ts';
import { openFindingOutput } from '../stream/finding-output.ts';
import { watch } from '../stream/watch.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';

interface WatchFlags {
  config?: string;
  format?: string;
  output?: string;
  reorder: string;
  idleFlush: string;
  poll: string;
  fromEnd?: boolean;
  quiet?: boolean;
}

function duration(flag: string, v: string): number | undefined {
  const ms = parseDuration(v);
  if (Number.isFinite(ms)) return ms;
  process.stderr.write(`ratchain: ${flag}: "${v}" is not a duration; write e.g. 5s, 250ms, 1m\n`);
  return undefined;
}

export function watchCommand(): Command {
  return new Command('watch')
    .description('follow files (appends, rotation, truncation) or stdin (-) and report chains as they happen')
    .argument('<inputs...>', 'files to follow (they may not exist yet), directories, globs, or - for stdin')
    .option('-c, --config <file>', 'YAML config (see `ratchain config init`)')
    .option('-f, --format <id>', 'force the input format instead of detecting it')
    .option('-o, --output <file>', 'append findings as NDJSON to this file (default: stdout)')
    .option('--reorder <duration>', 'event-time window to restore order across inputs', '5s')
    .option('--idle-flush <duration>', 'release held events after this long without input', '1s')
    .option('--poll <duration>', 'how often followed files are checked', '250ms')
    .option('--from-end', 'start at the end of existing files (like tail -f)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .action(async (inputs: string[], o: WatchFlags) => {
      process.exitCode = await runWatchCommand(inputs, o);
    });
}

export async function runWatchCommand(inputs: string[], o: WatchFlags): Promise<number> {
  const config = loadConfigOrExit(o.config);
  if (!config) return EXIT.usage;
  const reorderMs = duration('--reorder', o.reorder);
  const idleFlushMs = duration('--idle-flush', o.idleFlush);
  const pollMs = duration('--poll', o.poll);
  if (reorderMs === undefined || idleFlushMs === undefined || pollMs === undefined) return EXIT.usage;

  const out = openFindingOutput(o.output);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const say = (s: string) => {
    if (!o.quiet) process.stderr.write(`ratchain: ${s}\n`);
  };
  const onProblem = (p: Problem) =>
    process.stderr.write(`ratchain: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}\n`);
  say(`watching ${inputs.join(', ')} (Ctrl-C to stop)`);
  const summary = await watch({
    inputs,
    config,
    catalog: loadCatalogOrReport(config),
    format: o.format,
    reorderMs,
    idleFlushMs,
    pollMs,
    fromEnd: o.fromEnd,
    signal: stop.signal,
    onProblem,
    onFinding(f, kind) {
      out.write(f);
      say(
        `${kind === 'final' ? 'final' : f.revision === 0 ? 'new' : 'update'} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`,
      );
    },
  });
  await out.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  say(
    `stopped: ${summary.eventsIn} events, ${summary.late} late, ${summary.problems} problems, ${summary.findingsEmitted} finding updates`,
  );
  return EXIT.ok;
}
